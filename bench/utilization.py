"""Medicare utilization import at scale: a 1,000,000-row synthetic CMS file into the directory.

    .venv/bin/python bench/utilization.py [--rows 1000000] [--providers 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_bench \
        .venv/bin/python bench/utilization.py

Uses a throw-away SQLite file unless DATABASE_URL is set; then DATABASE_URL must name a
"*_bench" scratch database, and the run uses "<name>_utilization_bench" next to it, dropped
and created afresh. Seeds demo providers, writes a synthetic file for their NPIs (plus 5%
NPIs the directory lacks) with `make_synthetic_utilization`, then runs `import_utilization`
as an operator would, in a child process: first import, the same file again (unchanged),
and a dry run. Prints rows/s
for each, the floor (the same file only parsed by the csv module), and each import's time
by phase and peak memory (what the command prints with -v 2). Asserts nothing.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careatlas.settings")
os.environ["CAREATLAS_ENV"] = "development"
os.environ.setdefault("DEBUG", "0")  # debug mode would log every SQL query


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CMS file")
    parser.add_argument("--providers", type=int, default=100_000, help="demo providers to seed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2023)
    return parser.parse_args()


def _prepare_database(workdir: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["SQLITE_PATH"] = str(workdir / "utilization.sqlite3")
        return
    import psycopg

    base = url.rsplit("/", 1)[-1].split("?")[0]
    if not base.endswith("_bench"):
        sys.exit(f"Refusing to use {base!r}: point DATABASE_URL at a *_bench scratch database.")
    # A database of its own, made afresh: seeding here would wipe the demo providers other
    # benchmarks left in the *_bench database for --skip-seed.
    name = f"{base.removesuffix('_bench')}_utilization_bench"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'DROP DATABASE "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{server}/{name}"


def _manage(*args: str) -> tuple[float, str]:
    """Run manage.py in a child process (as an operator would); (seconds, its output)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout.strip()


def _floor(path: Path) -> tuple[int, float]:
    """The same file parsed by the csv module and nothing else: the least any import costs."""
    started = time.perf_counter()
    rows = 0
    with path.open(newline="", encoding="utf-8") as stream:
        for _row in csv.reader(stream):
            rows += 1
    return rows - 1, time.perf_counter() - started


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="careatlas-utilization-") as scratch:
        workdir = Path(scratch)
        _prepare_database(workdir)

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from careatlas.demo.providers import seed_demo_providers
        from careatlas.search.interface import rebuild_provider_index

        call_command("migrate", verbosity=0)
        call_command("load_content", verbosity=0)
        version = (
            f"SQLite {connection.Database.sqlite_version}"
            if connection.vendor == "sqlite"
            else f"PostgreSQL {connection.cursor().connection.info.server_version}"
        )
        print(f"{version} | {os.cpu_count()} cores | load average {os.getloadavg()[0]:.2f}")
        started = time.perf_counter()
        seed_demo_providers(args.providers, args.seed)
        rebuild_provider_index()
        print(f"Seeded and indexed {args.providers:,} demo providers in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        connection.close()  # the children write; SQLite wants no open reader here

        path = workdir / f"utilization_{args.year}.csv"
        seconds, _out = _manage(
            "make_synthetic_utilization", "--rows", str(args.rows), "--seed", str(args.seed),
            "--from-db", "--year", str(args.year), "--out", str(path),
        )  # fmt: skip
        size = path.stat().st_size
        print(f"Synthetic file: {args.rows:,} rows, {size / 1e6:,.0f} MB in {seconds:.1f} s")
        rows, floor = _floor(path)
        print(f"Floor (csv module only): {rows / floor:,.0f} rows/s ({floor:.1f} s)")

        results = []
        for label, extra in (
            ("First import", []),
            ("Same file again (unchanged)", []),
            ("Dry run", ["--dry-run"]),
        ):
            seconds, out = _manage(
                "import_utilization", str(path), "--year", str(args.year), "-v", "2", *extra
            )
            results.append((label, seconds, out))
        for label, seconds, out in results:
            print(f"{label}: {seconds:.1f} s wall (with Django start-up), "
                  f"{rows / seconds:,.0f} rows/s, {seconds / floor:.1f}x the floor")  # fmt: skip
            for line in out.splitlines():  # the summary, then time by phase and peak memory
                print(f"    {line}")
        print(f"Load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
