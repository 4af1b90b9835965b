"""kill -9 at any point, run the same command again: the directory ends exactly as if the
import had never been interrupted.

The import runs in real subprocesses (`manage.py import_nppes`) against databases of their
own, on the database this test session uses (SQLite files, or PostgreSQL databases
<test database>_nppes_a and _nppes_b next to the test database: tests/workers.py).
"""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from careatlas.demo.nppes import nucc_codes_from_csv, write_synthetic_nppes
from tests.conftest import DATA, REPO
from tests.nppes_bad_rows import (
    impossible_date,
    plant,
    short_row,
    unknown_taxonomy,
    wrong_check_digit,
)
from tests.workers import scratch_database

POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
ROWS, BATCH = 6_000, 300

# Every imported row by its natural keys (ids differ between databases: PostgreSQL hands
# out sequence values that a rolled-back batch never uses).
CHECKSUM_QUERIES = {
    "practitioners": """
        SELECT npi, prefix, first_name, middle_name, last_name, suffix, credentials, sex,
               active, enumerated_on, registry_updated_on, deactivated_on, reactivated_on
        FROM providers_practitioner ORDER BY npi""",
    "organizations": """
        SELECT npi, name, kind, active, enumerated_on, registry_updated_on, deactivated_on,
               reactivated_on
        FROM providers_organization ORDER BY npi""",
    "locations": """
        SELECT l.source_key, o.npi, l.name, l.line1, l.line2, l.city, l.state, l.zip_code,
               l.latitude, l.longitude, l.phone
        FROM providers_location l LEFT JOIN providers_organization o ON o.id = l.organization_id
        ORDER BY l.source_key""",
    "roles": """
        SELECT p.npi, l.source_key, r.organization_id IS NULL, r.active
        FROM providers_practitionerrole r JOIN providers_practitioner p ON p.id = r.practitioner_id
        JOIN providers_location l ON l.id = r.location_id ORDER BY p.npi, l.source_key""",
    "specialties": """
        SELECT p.npi, s.code, s.is_primary, s.specialty_id
        FROM providers_rolespecialty s JOIN providers_practitionerrole r ON r.id = s.role_id
        JOIN providers_practitioner p ON p.id = r.practitioner_id ORDER BY p.npi, s.code""",
    "licenses": """
        SELECT p.npi, sl.state, sl.number, sl.status
        FROM providers_statelicense sl JOIN providers_practitioner p ON p.id = sl.practitioner_id
        ORDER BY p.npi, sl.state, sl.number""",
    "verifications": """
        SELECT v.fact, coalesce(p.npi, lp.npi), sl.state, sl.number, v.method, v.verified_by,
               v.verified_on, v.disputed
        FROM providers_verification v
        LEFT JOIN providers_practitioner p ON p.id = v.practitioner_id
        LEFT JOIN providers_statelicense sl ON sl.id = v.license_id
        LEFT JOIN providers_practitioner lp ON lp.id = sl.practitioner_id
        ORDER BY 1, 2, 3, 4""",
    "records": """
        SELECT npi, row_hash, entity, deactivated, as_of, verified_on
        FROM imports_nppesrecord ORDER BY npi""",
    "search index": """
        SELECT p.npi, l.source_key, e.latitude, e.longitude, e.specialty_ids, e.verified_until
        FROM search_provider_entry e JOIN providers_practitioner p ON p.id = e.practitioner_id
        JOIN providers_location l ON l.id = e.location_id ORDER BY p.npi""",
    "quarantine": """
        SELECT q.line, q.identifier, q.reason FROM imports_quarantinedrow q
        JOIN imports_importrun r ON r.id = q.run_id WHERE r.kind = 'nppes' ORDER BY q.line""",
    "run": """
        SELECT rows_read, created, updated, unchanged, deactivated, reactivated, quarantined,
               status, data_date
        FROM imports_importrun WHERE kind = 'nppes' ORDER BY id DESC LIMIT 1""",
}


class Database:
    """A scratch database for subprocesses: its environment and a raw connection to read it."""

    def __init__(self, name: str, folder: Path):
        self.name = name
        self.env = {
            **os.environ,
            "CAREATLAS_ENV": "test",
            "DEBUG": "0",
            "PYTHONPATH": str(REPO),
        }
        if POSTGRESQL:
            url = settings.DATABASES["default"]
            self.params = {
                "host": url["HOST"] or "127.0.0.1",
                "port": url["PORT"] or 5432,
                "user": url["USER"],
                "password": url["PASSWORD"],
            }
            self.env["DATABASE_URL"] = (
                f"postgres://{url['USER']}@{self.params['host']}:{self.params['port']}/{name}"
            )
        else:
            self.path = folder / f"{name}.sqlite3"
            self.env.pop("DATABASE_URL", None)
            self.env["SQLITE_PATH"] = str(self.path)

    def manage(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), *args],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def run(self, *args: str) -> str:
        process = self.manage(*args)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, f"manage.py {' '.join(args)} failed:\n{out}\n{err}"
        return out

    def query(self, sql: str) -> list[tuple]:
        if POSTGRESQL:
            import psycopg

            with psycopg.connect(dbname=self.name, autocommit=True, **self.params) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as db:
            return db.execute(sql).fetchall()

    def progress(self) -> tuple[int, str, str]:
        rows = self.query(
            "SELECT rows_read, phase, status FROM imports_importrun"
            " WHERE kind = 'nppes' ORDER BY id DESC LIMIT 1"
        )
        return rows[0] if rows else (0, "", "")

    def checksum(self) -> dict[str, str]:
        return {
            name: hashlib.sha256(repr(self.query(sql)).encode()).hexdigest()
            for name, sql in CHECKSUM_QUERIES.items()
        }


def _create_postgresql(names: list[str], template: str) -> None:
    import psycopg

    url = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=url["HOST"] or "127.0.0.1",
        port=url["PORT"] or 5432,
        user=url["USER"],
        autocommit=True,
    ) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


@pytest.fixture(scope="module")
def template(django_db_setup, tmp_path_factory) -> Database:
    """A migrated database with the NUCC code set, made once for the module's tests (one
    process does both: each Django start costs about a second)."""
    template = Database(scratch_database("nppes_template"), tmp_path_factory.mktemp("template"))
    if POSTGRESQL:
        _create_postgresql([template.name], "template0")
    template.run(
        "shell",
        "-c",
        "from pathlib import Path; from django.core.management import call_command;"
        " from tests.nppes_files import load_taxonomy;"
        " call_command('migrate', verbosity=0);"
        f" load_taxonomy(Path({str(DATA)!r}))",
    )
    return template


def _copy(template: Database, name: str, folder: Path) -> Database:
    copy = Database(name, folder)
    if POSTGRESQL:
        _create_postgresql([copy.name], template.name)
    else:
        copy.path.write_bytes(template.path.read_bytes())
    return copy


# The bad rows of the module's registry file, at their lines; the last is past the clean rows.
BAD = {
    200: short_row(1),
    2_345: wrong_check_digit(2),
    4_000: impossible_date(3),
    ROWS + 1: unknown_taxonomy(4),
}


@pytest.fixture(scope="module")
def import_args(tmp_path_factory) -> list[str]:
    """A synthetic registry file of ROWS rows, the BAD ones planted at their lines, and the
    arguments that import it in small batches; written once (about 2 s) for the module."""
    folder = tmp_path_factory.mktemp("registry")
    codes = nucc_codes_from_csv(DATA / "nucc" / "nucc_taxonomy_251.csv")
    synthetic = write_synthetic_nppes(
        folder / "npidata_pfile_20050523-20250608.csv", ROWS - len(BAD), 7, codes
    )
    plant(synthetic.path, BAD)
    return [str(synthetic.path), "--batch-rows", str(BATCH)]


@pytest.fixture(scope="module")
def reference(template, import_args, tmp_path_factory) -> Database:
    """The file imported in one go, never interrupted: what every interrupted import must
    end as. Tests only read it, so the module's tests share it."""
    clean = _copy(template, scratch_database("nppes_b"), tmp_path_factory.mktemp("reference"))
    clean.run("import_nppes", *import_args, "--bulk-load", "no")
    return clean


@pytest.fixture
def interrupted(template, tmp_path) -> Database:
    """A fresh copy of the template, for an import to be killed in."""
    return _copy(template, scratch_database("nppes_a"), tmp_path)


def _kill_when(
    database: Database, args: list[str], ready, timeout: float = 120
) -> tuple[int, str, str]:
    """Start the import, SIGKILL it as soon as `ready(progress)` holds; the progress seen."""
    process = database.manage("import_nppes", *args)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            state = database.progress()
            if ready(state) or process.poll() is not None:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    return database.progress()


def test_an_import_killed_at_any_point_resumes_to_the_same_directory(
    interrupted, reference, import_args
):
    a, args = interrupted, import_args

    # Killed after its first checkpoints, again half way, and once more as soon as its
    # rows are in (during the index refresh, if the poll sees it in time).
    first = _kill_when(a, args, lambda state: state[0] >= 2 * BATCH)
    assert 0 < first[0] < ROWS and first[2] == "running"
    second = _kill_when(a, args, lambda state: state[0] >= ROWS // 2)
    assert first[0] <= second[0] < ROWS and second[2] == "running"
    third = _kill_when(a, args, lambda state: state[1] in ("index", "done"))
    if third[2] == "running":
        a.run("import_nppes", *args)
    runs = a.query("SELECT resumed, status, message FROM imports_importrun WHERE kind = 'nppes'")
    assert len(runs) == 1, runs  # one run, picked up again each time
    resumed, status, message = runs[0]
    assert resumed == (3 if third[2] == "running" else 2) and status == "completed"
    assert f"{ROWS:,} rows imported" in message and "4 quarantined" in message

    assert a.checksum() == reference.checksum()
    assert a.query("SELECT count(*) FROM search_provider_entry")[0][0] > ROWS // 2


_KEYS_AND_INDEXES = (
    """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated::text
    FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
    UNION ALL SELECT tablename, indexname, indexdef, '' FROM pg_indexes
    WHERE schemaname = 'public' ORDER BY 1, 2"""
    if POSTGRESQL
    else "SELECT tbl_name, name, sql, '' FROM sqlite_master WHERE type = 'index' ORDER BY 1, 2"
)


def test_a_bulk_load_killed_half_way_resumes_and_puts_back_every_key_and_index(
    interrupted, reference, import_args
):
    a, args = interrupted, import_args
    schema = a.query(_KEYS_AND_INDEXES)

    killed = _kill_when(a, [*args, "--bulk-load", "yes"], lambda state: state[0] >= ROWS // 2)

    assert 0 < killed[0] < ROWS and killed[2] == "running"
    missing = set(schema) - set(a.query(_KEYS_AND_INDEXES))
    assert {"providers_practitionerrole", "providers_rolespecialty"} <= {m[0] for m in missing}
    # Resumed as a bulk load (however it is told), it ends as if never interrupted.
    a.run("import_nppes", *args, "--bulk-load", "no")
    assert a.query(_KEYS_AND_INDEXES) == schema == reference.query(_KEYS_AND_INDEXES)
    assert a.checksum() == reference.checksum()
