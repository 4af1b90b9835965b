"""Consistent backups of the site's database while it serves, and restoring one."""

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

# A plain copy of a live SQLite file misses what still sits in its write-ahead log (a drill
# lost all 93 recent rows that way); the online backup API copies through a connection, so
# it sees every committed row and holds one read snapshot for the whole copy.
SQLITE_SUFFIX = ".sqlite3"
# pg_dump's custom format: compressed, restorable table by table, readable by pg_restore only.
POSTGRESQL_SUFFIX = ".dump"


class BackupError(Exception):
    """A backup or restore could not be made; the message says what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    size_bytes: int
    seconds: float


def default_backup_path(folder: Path, alias: str = "default") -> Path:
    suffix = SQLITE_SUFFIX if connections[alias].vendor == "sqlite" else POSTGRESQL_SUFFIX
    return folder / f"careatlas-{time.strftime('%Y%m%d-%H%M%S')}{suffix}"


def backup(destination: Path, alias: str = "default") -> Outcome:
    """Write a consistent copy of the database to `destination` (replaced only when whole)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    started = time.perf_counter()
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        name = connections[alias].settings_dict["NAME"]
        _run_postgresql(["pg_dump", "--format=custom", f"--file={partial}", name], alias)
    else:
        raise BackupError(f"No backup method for the {connection.vendor} database.")
    os.replace(partial, destination)
    return Outcome(destination, destination.stat().st_size, time.perf_counter() - started)


def restore(source: Path, alias: str = "default") -> Outcome:
    """Replace the database's contents with the backup at `source`, all or nothing."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file.")
    started = time.perf_counter()
    connection = connections[alias]
    if connection.vendor == "sqlite":
        _check_sqlite_file(source)
        connection.ensure_connection()
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            # The backup API swaps every page under one write lock: readers see the old
            # database or the restored one, never a mix.
            origin.backup(connection.connection)
        finally:
            origin.close()
    elif connection.vendor == "postgresql":
        _run_postgresql(["pg_restore", "--list", str(source)], alias)
        if connection.in_atomic_block:
            raise BackupError("Cannot restore inside a transaction.")
        # Our own pooled connection would hold locks that DROP TABLE waits for.
        connection.close()
        _run_postgresql(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(source),
                f"--dbname={connection.settings_dict['NAME']}",
            ],
            alias,
        )
    else:
        raise BackupError(f"No restore method for the {connection.vendor} database.")
    return Outcome(source, source.stat().st_size, time.perf_counter() - started)


def _check_sqlite_file(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as probe:
            verdict = probe.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite backup: {exc}.") from exc
    if verdict != "ok":
        raise BackupError(f"{source} is damaged: {verdict}.")


def _run_postgresql(command: list[str], alias: str) -> None:
    """Run a PostgreSQL client program with the alias's server and user (never its password
    on the command line); the command names the database itself where it needs one."""
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    settings_dict = connections[alias].settings_dict
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]  # not on the command line: ps shows it
    args = [program, *command[1:]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{flag}={settings_dict[key]}")
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")
