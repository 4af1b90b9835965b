"""FHIR directory searches over HTTP through gunicorn, at 100,000 to 1,000,000 providers.

    .venv/bin/python bench/fhir.py --database-file /tmp/fhir-bench.sqlite3 --count 1000000
    .venv/bin/python bench/fhir.py --database-file /tmp/fhir-bench.sqlite3 --skip-seed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_fhir_bench \\
        .venv/bin/python bench/fhir.py --count 1000000

Seeds `--count` demo providers with `manage.py seed_demo_providers` (which builds the search
index) into the SQLite file given (a scratch one if none), or the `*_bench` PostgreSQL
database DATABASE_URL names (never any other; bench/api.py's check), unless --skip-seed.
Then serves the site with gunicorn (2 sync workers, production settings, response cache
off, rate limit off) on 127.0.0.1 and sends `--queries` requests of each kind, one at a
time, timing each round trip. Places are the demo's metro centres (where demo providers
crowd, as real ones do), names the demo's name lists.
Prints p50/p95/max in ms and PASS/MISS against issue 19's targets; asserts nothing.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api import _prepare_database  # noqa: E402
from pages import bench_environment, free_port, stop, wait_until_up  # noqa: E402


def _catalogue():
    """The demo's name lists and metros, read without setting Django up."""
    import importlib.util

    path = ROOT / "careatlas" / "demo" / "providers" / "catalogue.py"
    spec = importlib.util.spec_from_file_location("demo_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogue = _catalogue()

NEW_YORK = (40.7128, -74.0060)
NUCC = "http://nucc.org/provider-taxonomy"
# Common specialties of the demo data (NUCC): family medicine, internal medicine, DO
# osteopathic manipulative medicine, chiropractor, physical therapist.
SPECIALTIES = ("207Q00000X", "207R00000X", "204D00000X", "111N00000X", "225100000X")
INCLUDES = (
    "&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
    "&_include=PractitionerRole:organization"
)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="demo providers to seed")
    parser.add_argument("--queries", type=int, default=100, help="requests per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-file", help="SQLite file (kept; reuse with --skip-seed)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    return parser.parse_args()


def _manage(env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed")


def _seed(args: argparse.Namespace, env: dict) -> None:
    _manage(env, "migrate", "--noinput", "-v0")
    if not args.skip_seed:
        _manage(env, "load_content", "-v0")
        started = time.perf_counter()
        _manage(env, "seed_demo_providers", "--count", str(args.count), "--seed", str(args.seed))
        print(f"Seeding and index build: {time.perf_counter() - started:.0f} s")


def _near(place: tuple[float, float], miles: int) -> str:
    return f"{place[0]:.4f}|{place[1]:.4f}|{miles}|mi"


def _kinds(rng: random.Random, n: int) -> list[tuple[str, list[str], float]]:
    """(label, paths, target p95 ms) per kind of request."""
    metros = [(m[1], m[2]) for m in catalogue.METROS]
    # A point somewhere in a metro, as a patient's address would be.
    places = [
        (lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2))
        for lat, lon in (rng.choice(metros) for _ in range(n))
    ]
    given = catalogue.FEMALE_NAMES + catalogue.MALE_NAMES
    surnames = [rng.choice(catalogue.SURNAMES) for _ in range(n)]
    any_part = [rng.choice((rng.choice(catalogue.SURNAMES), rng.choice(given))) for _ in range(n)]
    specialty = [rng.choice(SPECIALTIES) for _ in range(n)]
    roles_near = [
        f"/fhir/PractitionerRole?specialty={quote(NUCC + '|' + code)}&location.near={_near(p, 25)}"
        for code, p in zip(specialty, places, strict=True)
    ]
    names = [f"/fhir/Practitioner?name={s.upper()}" for s in any_part]
    families = [f"/fhir/Practitioner?family={s}" for s in surnames]
    places_near = [f"/fhir/Location?near={_near(p, 25)}" for p in places]
    with_roles = [u + "&_revinclude=PractitionerRole:location" for u in places_near]
    around_new_york = [
        f"/fhir/PractitionerRole?specialty={quote(NUCC + '|' + code)}"
        f"&location.near={_near(NEW_YORK, 100)}"
        for code in specialty
    ]
    # Five pages deep, so each request is not the same first page.
    places_new_york = [
        f"/fhir/Location?near={_near(NEW_YORK, 100)}&page={1 + i % 5}" for i in range(n)
    ]
    return [
        ("Practitioner?name= (any part)", names, 30),
        ("Practitioner?family=", families, 20),
        ("Location?near=25 mi", places_near, 50),
        ("  ... &_revinclude=PractitionerRole:location", with_roles, 80),
        ("PractitionerRole?specialty=&location.near=25 mi", roles_near, 40),
        ("  ... with three _includes", [u + INCLUDES for u in roles_near], 80),
        ("PractitionerRole?specialty=, 100 mi around New York", around_new_york, 120),
        ("Location?near=, 100 mi around New York", places_new_york, 120),
    ]


def _time(base: str, paths: list[str]) -> tuple[list[float], list[str]]:
    """Round-trip times of the answered requests, and what each failure was."""
    samples, failures = [], []
    for path in paths:
        request = urllib.request.Request(base + path, headers={"Accept": "application/fhir+json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as error:  # e.g. 503 past the statement deadline
            failures.append(f"{error.code} {path}")
            continue
        samples.append((time.perf_counter() - started) * 1000)
    return samples, failures


def main() -> None:
    args = _arguments()
    # The *_bench PostgreSQL database (created if missing; no other name is accepted), or
    # the SQLite file given, or a scratch one (set in SQLITE_PATH).
    scratch = _prepare_database(args)
    workdir = Path(tempfile.mkdtemp(prefix="careatlas-fhir-bench-"))
    port = free_port()
    env = bench_environment(workdir, port)
    if "DATABASE_URL" not in os.environ:
        env["SQLITE_PATH"] = os.environ["SQLITE_PATH"]
    env.update({"PAGE_CACHE_SECONDS": "0", "API_RATE_LIMIT_PER_MINUTE": "0"})
    _seed(args, env)
    _manage(env, "collectstatic", "--noinput", "-v0")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "careatlas.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "sync"],
        cwd=ROOT, env=env, stdout=(workdir / "site-gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, f"{base}/fhir/metadata", workdir, "site")
        rng = random.Random(1)
        kinds = _kinds(rng, args.queries)
        _time(base, [paths[0] for _label, paths, _t in kinds])  # warm both workers' caches
        vendor = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
        print(
            f"{vendor} | {os.cpu_count()} cores | load average {os.getloadavg()[0]:.2f}"
            f" | {args.queries} requests per kind, one at a time, gunicorn 2 sync workers"
        )
        print(f"{'request':58} {'p50':>7} {'p95':>7} {'max':>7}  target p95")
        for label, paths, target in kinds:
            samples, failures = _time(base, paths)
            cuts = statistics.quantiles(samples, n=100, method="inclusive")
            verdict = "PASS" if cuts[94] <= target and not failures else "MISS"
            print(
                f"{label:58} {cuts[49]:7.1f} {cuts[94]:7.1f} {max(samples):7.1f}"
                f"  <= {target:.0f} ms {verdict}"
                + (f" ({len(failures)} failed: {failures[0]})" if failures else "")
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
        if scratch is not None:
            scratch.cleanup()


if __name__ == "__main__":
    main()
