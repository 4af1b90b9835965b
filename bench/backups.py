"""Backup and restore of a whole directory: `manage.py backup` and `restore` on N providers.

Run: .venv/bin/python bench/backups.py [--count 1000000]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_backup_bench \
         .venv/bin/python bench/backups.py --count 1000000

It migrates a scratch database (a temporary SQLite file, or the PostgreSQL database named by
DATABASE_URL, which it empties), loads the content pack, seeds `--count` demo providers, then
times the two commands as an operator runs them and checks that the restore gives back the
same row counts. Figures are printed; nothing is asserted.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict, *args: str) -> tuple[str, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip(), time.perf_counter() - started


def counts(env: dict) -> str:
    code = (
        "import django; django.setup()\n"
        "from careatlas.providers.models import Location, Practitioner, PractitionerRole\n"
        "for model in (Practitioner, PractitionerRole, Location):\n"
        "    print(model.__name__, model.objects.count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().replace("\n", ", ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="careatlas-bench-backups-"))
    env = {**os.environ, "CAREATLAS_ENV": "development", "LOG_LEVEL": "WARNING"}
    env["DJANGO_SETTINGS_MODULE"] = "careatlas.settings"
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(scratch / "site.sqlite3")
    else:
        manage(env, "flush", "--noinput")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", "-v0")
    _, seeding = manage(env, "seed_demo_providers", "--count", str(args.count), "--seed", "1")
    before = counts(env)
    target = scratch / "site.backup"
    said, backup_seconds = manage(env, "backup", "--output", str(target))
    manage(env, "seed_demo_providers", "--count", "10", "--seed", "2")  # writes after the backup
    _, restore_seconds = manage(env, "restore", str(target), "--yes")
    after = counts(env)
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"Command: {' '.join(sys.orig_argv)}")
    print(f"Date:    {time.strftime('%a %d %b %Y %H:%M:%S %Z')}; {os.cpu_count()} cores")
    print(f"{database}, {args.count:,} demo providers (seeded in {seeding:.0f} s)")
    print(f"Backup:  {backup_seconds:.1f} s, {target.stat().st_size / 1e6:,.0f} MB ({said})")
    print(f"Restore: {restore_seconds:.1f} s (command wall time, Django start-up included)")
    print(f"Rows before the backup: {before}")
    print(f"Rows after the restore: {after} ({'same' if before == after else 'DIFFERENT'})")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
