"""NPPES import at scale: a synthetic registry file into an empty directory, against its floor.

    .venv/bin/python bench/imports.py [--rows 1000000] [--seed 1] [--file F] [--keep-file]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_imports_bench \
        .venv/bin/python bench/imports.py

Writes a synthetic NPPES file (`make_synthetic_nppes`, real layout, about 1.2 KB a row) unless
--file names one, then, on a scratch SQLite file or the `*_bench` PostgreSQL database named
by DATABASE_URL (dropped and created again):

1. the floor: the same file parsed with the csv module and every row inserted as raw text
   (330 columns) into one bare table, in batches of 5,000 (executemany / COPY), committed
   per batch, in this process (then the table is dropped and the WAL checkpointed);
2. `manage.py import_nppes FILE` into a migrated directory with the content pack and the
   NUCC code set, search index included, in a subprocess: wall time, and peak resident
   memory of the import and its reading process (sampled from /proc every 50 ms, summed);
3. the same command again on the unchanged file.

Prints the figures and PASS or MISS against the targets of issue 4; asserts nothing.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
NUCC_FILE = REPO / "data" / "nucc" / "nucc_taxonomy_251.csv"
LIMIT_SECONDS = {"sqlite": 120.0, "postgresql": 180.0}
RATIO_TARGET = 3.0
MEMORY_LIMIT_MB = 400
REIMPORT_SPEEDUP = 3.0
FLOOR_BATCH = 5_000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, help="an NPPES file to use instead of a new one")
    parser.add_argument("--keep-file", action="store_true", help="keep the synthetic file")
    return parser.parse_args()


def _environment(scratch: Path) -> tuple[dict, str]:
    env = {**os.environ, "CAREATLAS_ENV": "development", "DEBUG": "0"}
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        env["SQLITE_PATH"] = str(scratch / "imports.sqlite3")
        return env, "sqlite"
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to use {name!r}: point DATABASE_URL at a *_bench scratch database.")
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return env, "postgresql"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def timed_import(env: dict, path: Path) -> tuple[float, str, int, int]:
    """Seconds, summary and phase lines, peak RSS of the importer alone and of it plus its
    reading process (KB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "import_nppes", str(path), "--verbosity", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peaks = {"main": 0, "total": 0}

    def sample() -> None:
        while process.poll() is None:
            main = _rss_kb(process.pid)
            total = main + sum(_rss_kb(child) for child in _children(process.pid))
            peaks["main"] = max(peaks["main"], main)
            peaks["total"] = max(peaks["total"], total)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode:
        sys.exit(f"import_nppes failed:\n{out}\n{err}")
    summary, phases = out.strip().splitlines()[-2:]
    return seconds, f"{summary}\n  {phases}", peaks["main"], peaks["total"]


def floor(path: Path, vendor: str, env: dict) -> tuple[float, float]:
    """(parse only, parse + raw insert) seconds for the file, in this process."""
    started = time.perf_counter()
    with path.open(encoding="latin-1", newline="") as stream:
        for _row in csv.reader(stream):
            pass
    parse_only = time.perf_counter() - started

    columns = 330
    names = ", ".join(f"c{i}" for i in range(columns))
    definition = ", ".join(f"c{i} text" for i in range(columns))
    started = time.perf_counter()
    if vendor == "sqlite":
        import sqlite3

        db = sqlite3.connect(env["SQLITE_PATH"], isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"CREATE TABLE bench_floor ({definition})")
        marks = ", ".join("?" * columns)
        insert = f"INSERT INTO bench_floor ({names}) VALUES ({marks})"  # noqa: S608

        def write(rows: list[list[str]]) -> None:
            db.execute("BEGIN")
            db.executemany(insert, rows)
            db.execute("COMMIT")

    else:
        import psycopg

        db = psycopg.connect(os.environ["DATABASE_URL"])
        db.execute(f"CREATE TABLE bench_floor ({definition})")
        db.commit()

        def write(rows: list[list[str]]) -> None:
            with (
                db.cursor() as cursor,
                cursor.copy(f"COPY bench_floor ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            db.commit()

    with path.open(encoding="latin-1", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        batch = []
        for row in reader:
            batch.append(row)
            if len(batch) >= FLOOR_BATCH:
                write(batch)
                batch = []
        if batch:
            write(batch)
    seconds = time.perf_counter() - started
    db.execute("DROP TABLE bench_floor")
    # Leave no write-back of the floor's 1.3 GB for the import to pay for.
    if vendor == "postgresql":
        db.commit()
        try:
            db.execute("CHECKPOINT")  # superuser or pg_checkpoint only
        except psycopg.Error:
            db.rollback()
    else:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return parse_only, parse_only + seconds


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="careatlas-bench-imports-") as scratch_name:
        scratch = Path(scratch_name)
        env, vendor = _environment(scratch)
        path = args.file
        if path is None:
            folder = Path.cwd() if args.keep_file else scratch
            path = folder / "npidata_pfile_20050523-20250608.csv"
            started = time.perf_counter()
            out = manage(
                env,
                "make_synthetic_nppes",
                "--rows",
                str(args.rows),
                "--seed",
                str(args.seed),
                "--latin1",
                "--nucc",
                str(NUCC_FILE),
                "--out",
                str(path),
            )
            print(f"{out.strip()} ({time.perf_counter() - started:.0f} s)")
        size_mb = path.stat().st_size / 1e6
        rows = sum(1 for _line in path.open("rb")) - 1
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_content", "--verbosity", "0")
        manage(env, "import_nucc", str(NUCC_FILE))
        print(
            f"{vendor} | {os.cpu_count()} cores | {rows:,} rows, {size_mb:,.0f} MB |"
            f" load average {os.getloadavg()[0]:.2f}"
        )

        parse_only, floor_seconds = floor(path, vendor, env)
        print(f"Floor: csv parse {parse_only:.1f} s; parse + raw insert {floor_seconds:.1f} s")

        seconds, summary, main_kb, total_kb = timed_import(env, path)
        print(f"Import: {seconds:.1f} s\n  {summary}")
        again, summary_again, again_main_kb, again_total_kb = timed_import(env, path)
        print(f"Re-import, unchanged file: {again:.1f} s\n  {summary_again}")
        print(f"Load average at the end: {os.getloadavg()[0]:.2f}")

        limit = LIMIT_SECONDS[vendor]
        ratio = seconds / floor_seconds
        peak_mb = max(total_kb, again_total_kb) / 1024
        speedup = seconds / again
        at_scale = rows >= 1_000_000
        table = [
            (
                "Import, search index included (s)",
                f"{seconds:.1f}",
                f"< {limit:.0f} at 1,000,000: "
                + (verdict(seconds < limit) if at_scale else "n/a, fewer rows"),
            ),
            ("Floor: csv + raw inserts into one bare table (s)", f"{floor_seconds:.1f}", ""),
            ("Ratio import / floor", f"{ratio:.2f}", f"<= 3x: {verdict(ratio <= RATIO_TARGET)}"),
            (
                "Peak RSS, importer + reading process (MB)",
                f"{peak_mb:.0f}",
                f"< {MEMORY_LIMIT_MB}: {verdict(peak_mb < MEMORY_LIMIT_MB)}",
            ),
            ("  of which the importer alone (MB)", f"{max(main_kb, again_main_kb) / 1024:.0f}", ""),
            ("Re-import of the unchanged file (s)", f"{again:.1f}", ""),
            (
                "Speed-up of the re-import",
                f"{speedup:.1f}x",
                f">= 3x: {verdict(speedup >= REIMPORT_SPEEDUP)}",
            ),
        ]
        print(f"\n{'Measure':50} {'Value':>8}  Target")
        for label, value, target in table:
            print(f"{label:50} {value:>8}  {target}")


if __name__ == "__main__":
    main()
