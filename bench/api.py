"""FHIR directory and JSON provider API at scale: seed demo providers, time searches through Django.

    .venv/bin/python bench/api.py [--count 1000000] [--queries 200] [--database-file F]
        [--skip-seed] [--export DIR]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_api_bench \
        .venv/bin/python bench/api.py --skip-seed

Seeds with `manage.py seed_demo_providers --count N --seed 1` (which also builds the search
index) into a throw-away SQLite file, the file given by --database-file (kept, and reused
with --skip-seed), or the `*_bench` PostgreSQL database named by DATABASE_URL. Requests go
through Django's test Client (the whole stack: middleware, views, SQL, JSON; no network),
with the response cache emptied before each one and the rate limit off. Prints p50/p95/max
in milliseconds for:

  FHIR  PractitionerRole?specialty=<NUCC>&location.near=<lat|lon|25|mi>  (target p95 <= 60)
        the same with _include=PractitionerRole:practitioner and :location
        Location?near=<lat|lon|25|mi>&_revinclude=PractitionerRole:location
        Practitioner?family=<surname>, Location?address-postalcode=<zip>  (no target)
  JSON  /api/v1/providers?specialty=<slug>&location=<zip>&radius=25 and the HTML search
        page /providers/ for the same queries, each whole and its database time alone
        (target: the JSON search's p95 within 1.5x of the page's database p95, shown both
        for the JSON request's whole time and for its database time)

and, with --export DIR, the whole bulk export (manage.py export_fhir) with its peak memory.
Asserts nothing; prints PASS or MISS against the targets.
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careatlas.settings")
os.environ["CAREATLAS_ENV"] = "development"
# One client asking a lot: the search pages' per-client limit would answer 429s instead.
os.environ["SEARCH_RATE_LIMIT_PER_MINUTE"] = "0"
os.environ.setdefault("DEBUG", "0")  # debug mode would log every SQL query
os.environ["API_RATE_LIMIT_PER_MINUTE"] = "0"  # the benchmark is one client asking a lot

FHIR_TARGET_MS = 60.0
JSON_TO_PAGE_DB_RATIO = 1.5


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="demo providers to seed")
    parser.add_argument("--queries", type=int, default=200, help="requests per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-file", help="SQLite file to use and keep")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument("--export", help="also time manage.py export_fhir into this folder")
    return parser.parse_args()


def _prepare_database(args: argparse.Namespace) -> tempfile.TemporaryDirectory | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        if args.database_file:
            os.environ["SQLITE_PATH"] = str(Path(args.database_file).resolve())
            return None
        scratch = tempfile.TemporaryDirectory(prefix="careatlas-api-bench-")
        os.environ["SQLITE_PATH"] = str(Path(scratch.name) / "providers.sqlite3")
        return scratch
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to seed {name!r}: point DATABASE_URL at a *_bench scratch database.")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return None


def _summary(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], max(samples)


def main() -> None:  # noqa: PLR0915 - one linear script
    args = _arguments()
    scratch = _prepare_database(args)

    import django

    django.setup()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from careatlas.demo.providers import catalogue
    from careatlas.demo.providers.generate import US_STATES
    from careatlas.procedures.models import Specialty
    from careatlas.providers.geocoding import standard_zip_places
    from careatlas.providers.models import Practitioner

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.cursor().connection.info.server_version}"
    )
    print(f"{version} | {os.cpu_count()} cores | load average {os.getloadavg()[0]:.2f}")
    if not args.skip_seed:
        started = time.perf_counter()
        call_command("seed_demo_providers", count=args.count, seed=args.seed)
        print(f"Seeding and index build: {time.perf_counter() - started:.0f} s")
    print(f"Demo providers: {Practitioner.objects.demo().count():,}")

    rng = random.Random(args.seed)
    states = set(US_STATES)
    places = [p for p in standard_zip_places() if p.state in states]
    specialties = [(s.slug, s.nucc_codes[0]) for s in Specialty.objects.all() if s.nucc_codes]
    n = max(args.queries, 20)
    picks = [(rng.choice(places), *rng.choice(specialties)) for _ in range(n)]

    client = Client()
    rows: list[tuple[str, list[float], str]] = []

    def run(urls: list[str], check: Callable | None = None) -> list[float]:
        for url in urls[:10]:  # warm-up: connection, caches, the geocoder's ZIP table
            cache.clear()
            client.get(url)
        samples = []
        for url in urls:
            cache.clear()  # every request is rendered, never served from the cache
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.content[:300])
            if check:
                check(response)
        return samples

    def near(place) -> str:
        return f"{place.latitude}|{place.longitude}|25|mi"

    fhir_roles = [
        f"/fhir/PractitionerRole?specialty={code}&location.near={near(place)}"
        for place, _slug, code in picks
    ]
    found = []
    samples = run(fhir_roles, lambda r: found.append(b'"total":0' not in r.content))
    p95 = _summary(samples)[1]
    verdict = f"p95 <= {FHIR_TARGET_MS:.0f}: {'PASS' if p95 <= FHIR_TARGET_MS else 'MISS'}"
    rows.append(("FHIR PractitionerRole specialty + near 25 mi", samples, verdict))
    print(f"  ({sum(found)}/{len(found)} role searches found someone)")
    includes = "&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
    rows.append(
        ("  ... with _include practitioner, location", run([u + includes for u in fhir_roles]), "")
    )
    rows.append(
        (
            "FHIR Location near 25 mi + _revinclude roles",
            run(
                [
                    f"/fhir/Location?near={near(place)}&_revinclude=PractitionerRole:location"
                    f"&_count=20"
                    for place, _slug, _code in picks
                ]
            ),
            "",
        )
    )
    surnames = [rng.choice(catalogue.SURNAMES) for _ in range(max(20, n // 10))]
    rows.append(
        (
            "FHIR Practitioner?family=",
            run([f"/fhir/Practitioner?family={s}" for s in surnames]),
            "",
        )
    )
    zips = [rng.choice(places).zip_code for _ in range(max(20, n // 10))]
    rows.append(
        (
            "FHIR Location?address-postalcode=",
            run([f"/fhir/Location?address-postalcode={z}" for z in zips]),
            "",
        )
    )

    # The HTML search page and the JSON API for the same queries, each request's database
    # time (time inside cursor.execute; on SQLite a statement runs to its first row there)
    # kept beside its whole time.
    def timed_with_db(urls: list[str]) -> tuple[list[float], list[float]]:
        whole, database = [], []

        def clock(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                database[-1] += (time.perf_counter() - started) * 1000

        for url in urls[:10]:
            cache.clear()
            client.get(url)
        for url in urls:
            cache.clear()
            database.append(0.0)
            started = time.perf_counter()
            with connection.execute_wrapper(clock):
                response = client.get(url)
            whole.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.content[:300])
        return whole, database

    page_whole, page_db = timed_with_db(
        [
            f"/providers/?specialty={slug}&location={place.zip_code}&radius=25"
            for place, slug, _code in picks
        ]
    )
    json_whole, json_db = timed_with_db(
        [
            f"/api/v1/providers?specialty={slug}&location={place.zip_code}&radius=25"
            for place, slug, _code in picks
        ]
    )
    page_db_p95 = _summary(page_db)[1]
    limit = JSON_TO_PAGE_DB_RATIO * page_db_p95

    def against_page(samples: list[float]) -> str:
        p95 = _summary(samples)[1]
        return f"p95 <= {limit:.1f} (1.5x page DB): {'PASS' if p95 <= limit else 'MISS'}"

    rows.append(("HTML search page /providers/, whole", page_whole, ""))
    rows.append(("HTML search page: database time", page_db, ""))
    rows.append(("JSON /api/v1/providers, whole", json_whole, against_page(json_whole)))
    rows.append(("JSON /api/v1/providers: database time", json_db, against_page(json_db)))

    heading = "Request (through Django, cache emptied)"
    print(f"\n{heading:46} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}")
    for label, samples, verdict in rows:
        p50, p95, worst = _summary(samples)
        print(f"{label:46} {len(samples):4} {p50:7.2f} {p95:7.2f} {worst:7.2f}  {verdict}")

    if args.export:
        # In a child process, so its peak memory is the export's own.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(REPO / "manage.py"), "export_fhir", "--out", args.export],
            check=True,
            env=os.environ.copy(),
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"Bulk export: {seconds:.0f} s, peak memory {peak:,.0f} MB")
    print(f"Load average at the end: {os.getloadavg()[0]:.2f}")
    if scratch:
        connection.close()
        scratch.cleanup()


if __name__ == "__main__":
    main()
