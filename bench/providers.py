"""Provider search at scale: seed demo providers, build the index, time varied searches.

    .venv/bin/python bench/providers.py [--count 1000000] [--queries 200] [--naive 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_bench \
        .venv/bin/python bench/providers.py

Uses a throw-away SQLite file unless DATABASE_URL is set; PostgreSQL must be a scratch
database whose name ends in "_bench" (created if missing). `--database-file PATH` keeps
the SQLite file and `--skip-seed` reuses what a previous run left there.

Prints seeding and index build times, then p50/p95 (ms) over varied queries through the
search interface (find_providers / autocomplete_providers: SQL plus filling the hits):
(a) a specialty or procedure within 25 miles of a ZIP, nearest first, first page of 20;
(b) free text ("manipulative", a surname) within 25 miles; (c) autocomplete of a name
with a typo; and, in the same run, query (a) without the spatial and text indexes (a
plain scan with the distance formula) against the indexed query, for the speed-up.
Asserts nothing; prints PASS or MISS against the targets of issue 3.
"""

import argparse
import os
import random
import statistics
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

TARGETS = {"a": 20.0, "b": 50.0, "c": 15.0}  # p95 ms
PAGE_MEDIAN_TARGET = 60.0  # ms, the full HTML search page for (a)
SEED_LIMIT_SECONDS = 600


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="demo providers to seed")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind (>= 200)")
    parser.add_argument("--naive", type=int, default=20, help="queries (a) run without indexes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-file", help="SQLite file to use and keep")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    return parser.parse_args()


def _prepare_database(args: argparse.Namespace) -> tempfile.TemporaryDirectory | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        if args.database_file:
            os.environ["SQLITE_PATH"] = str(Path(args.database_file).resolve())
            return None
        scratch = tempfile.TemporaryDirectory(prefix="careatlas-bench-")
        os.environ["SQLITE_PATH"] = str(Path(scratch.name) / "providers.sqlite3")
        return scratch
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to seed {name!r}: point DATABASE_URL at a *_bench scratch database.")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    return None


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def timed(calls: list[Callable[[], object]]) -> tuple[list[float], list[object]]:
    samples, answers = [], []
    for call in calls:
        start = time.perf_counter()
        answers.append(call())
        samples.append((time.perf_counter() - start) * 1000)
    return samples, answers


def typo(word: str, rng: random.Random) -> str:
    """One realistic slip: a letter dropped, doubled, swapped with the next, or replaced."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]


def migrated_site() -> None:
    """Migrate, load the content pack, and print the database, its cores and their load
    (after django.setup())."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.cursor().connection.info.server_version}"
    )
    print(f"{version} | {os.cpu_count()} cores | load average {os.getloadavg()[0]:.2f}")


def naive_within(criteria, circle, limit: int) -> tuple[list[int], int]:
    """Query (a) without spatial or text indexes: every entry read and measured.

    The reference the indexed query is compared with; it reuses the backend's filter and
    distance SQL, so both answer the same (the benchmark counts how often they do).
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        from careatlas.search.backends.sqlite import Distance, Filters, register_functions

        register_functions()
        filters, distance = Filters(criteria), Distance(circle)
        sql = (
            "SELECT e.practitioner_id, min("  # noqa: S608
            f"{distance.squared}) AS distance_key, count(*) OVER ()"
            " FROM search_provider_entry e NOT INDEXED"
            f" WHERE {filters.sql()} AND {distance.cut}"
            " GROUP BY e.practitioner_id ORDER BY distance_key, e.practitioner_id"
            " LIMIT %(limit)s"
        )
        params = {**filters.params, **distance.params, "limit": limit}
    else:
        from careatlas.search.backends.postgresql import Filters, circle_params

        filters = Filters(criteria)
        # No box: nothing the GiST index can serve, so every row is read and measured.
        sql = (
            "SELECT practitioner_id, count(*) OVER () FROM ("  # noqa: S608
            " SELECT DISTINCT ON (e.practitioner_id) e.practitioner_id,"
            " e.location <@> point(%(lon)s, %(lat)s) AS distance_key"
            " FROM search_provider_entry e"
            " WHERE (e.location <@> point(%(lon)s, %(lat)s)) <= %(reach)s"
            f" AND {filters.sql()}"
            " ORDER BY e.practitioner_id, distance_key) best"
            " ORDER BY distance_key, practitioner_id LIMIT %(limit)s"
        )
        params = {**filters.params, **circle_params(circle), "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [r[0] for r in found], (found[0][-1] if found else 0)


def main() -> None:  # noqa: PLR0915 - one linear script
    args = _arguments()
    scratch = _prepare_database(args)

    import django

    django.setup()

    from django.db import connection
    from django.utils import timezone

    from careatlas.demo.providers import catalogue, seed_demo_providers
    from careatlas.demo.providers.generate import US_STATES
    from careatlas.procedures.models import Procedure, Specialty
    from careatlas.providers.geocoding import standard_zip_places
    from careatlas.providers.models import Practitioner
    from careatlas.search.backends import get_backend
    from careatlas.search.backends.values import Circle, Order, day_number
    from careatlas.search.interface import (
        BuildStats,
        GeoPoint,
        ProviderQuery,
        autocomplete_providers,
        find_providers,
        rebuild_provider_index,
    )
    from careatlas.search.provider_query import resolve_query

    migrated_site()

    if not args.skip_seed:
        started = time.perf_counter()

        def progress(done: int, seconds: float) -> None:
            if done % 200_000 < 20_000:
                print(f"  seeded {done:,} in {seconds:.0f} s", flush=True)

        result = seed_demo_providers(args.count, args.seed, progress=progress)
        seconds = time.perf_counter() - started
        verdict = "PASS" if seconds < SEED_LIMIT_SECONDS or args.count < 1_000_000 else "MISS"
        print(
            f"Seeding: {result.practitioners:,} providers, {result.total_rows:,} rows in "
            f"{seconds:.1f} s ({result.total_rows / seconds:,.0f} rows/s)"
            + (
                f"  target < {SEED_LIMIT_SECONDS} s at 1,000,000: {verdict}"
                if args.count >= 1_000_000
                else ""
            )
        )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; the index build plans its joins on it.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE after seeding: {time.perf_counter() - started:.1f} s")
    stats = BuildStats()
    started = time.perf_counter()
    rebuild_provider_index(stats)
    steps = ", ".join(f"{step} {s:.1f}" for step, s in stats.seconds.items())
    print(
        f"Index build: {stats.entries:,} entries, {stats.names:,} practitioners in "
        f"{time.perf_counter() - started:.1f} s ({steps})"
    )
    print(f"Load average after build: {os.getloadavg()[0]:.2f}")

    rng = random.Random(args.seed)
    states = set(US_STATES)
    places = [p for p in standard_zip_places() if p.state in states]
    specialties = list(Specialty.objects.values_list("slug", flat=True))
    procedures = list(Procedure.objects.values_list("slug", flat=True))
    n = max(args.queries, 1)

    def around(place) -> GeoPoint:
        return GeoPoint(place.latitude, place.longitude, place.zip_code)

    kind_a = []
    for i in range(n):
        place = rng.choice(places)
        topic = {"specialty": rng.choice(specialties)} if i % 2 else {}
        topic = topic or {"procedure": rng.choice(procedures)}
        kind_a.append(ProviderQuery(near=around(place), radius_miles=25, **topic))
    kind_b = [
        ProviderQuery(
            near=around(rng.choice(places)),
            radius_miles=25,
            text="manipulative" if i % 2 else rng.choice(catalogue.SURNAMES),
        )
        for i in range(n)
    ]
    typed_c = []
    for i in range(n):
        surname = rng.choice([s for s in catalogue.SURNAMES if len(s) >= 5])
        slip = typo(surname.lower(), rng)
        if i % 2:
            first = rng.choice(catalogue.FEMALE_NAMES + catalogue.MALE_NAMES)
            typed_c.append((surname, f"{first} {slip[: max(5, len(slip) - 1)]}"))
        else:
            typed_c.append((surname, slip))
    mixed_radii = [
        ProviderQuery(
            near=around(rng.choice(places)),
            radius_miles=rng.choice([5, 10, 25, 50, 100]),
            specialty=rng.choice(specialties),
        )
        for _ in range(n)
    ]
    nationwide = [
        ProviderQuery(text=rng.choice(catalogue.SURNAMES))
        if i % 2
        else ProviderQuery(specialty=rng.choice(specialties), accepting_new_patients=True)
        for i in range(n)
    ]

    # Warm-up: connection, caches, the geocoder's ZIP table.
    for query in kind_a[:10] + kind_b[:10]:
        find_providers(query)
    for _surname, typed in typed_c[:10]:
        autocomplete_providers(typed)

    rows = []

    def measure(label: str, key: str, calls, check: Callable[[object], bool]) -> None:
        samples, answers = timed(calls)
        p50, p95 = percentiles(samples)
        ok = sum(1 for a in answers if check(a))
        target = TARGETS.get(key)
        verdict = f"p95 <= {target:.0f}: {'PASS' if p95 <= target else 'MISS'}" if target else ""
        if key == "page":  # the issue sets a median target for the HTML page
            verdict = f"p50 <= 60: {'PASS' if p50 <= PAGE_MEDIAN_TARGET else 'MISS'}"
        rows.append((label, len(samples), p50, p95, max(samples), verdict, ok))

    measure(
        "(a) specialty/procedure, 25 mi, by distance",
        "a",
        [lambda q=q: find_providers(q) for q in kind_a],
        lambda r: r.total > 0,
    )
    measure(
        "(b) text (manipulative / surname), 25 mi",
        "b",
        [lambda q=q: find_providers(q) for q in kind_b],
        lambda r: r.total > 0,
    )
    expected = {}
    calls_c = []
    for surname, typed in typed_c:
        expected[typed] = surname
        calls_c.append(lambda t=typed: (t, autocomplete_providers(t)))
    measure(
        "(c) autocomplete, name with a typo",
        "c",
        calls_c,
        lambda r: any(expected[r[0]] in s.label for s in r[1]),
    )
    measure(
        "specialty, 5-100 mi (mixed radii)",
        "",
        [lambda q=q: find_providers(q) for q in mixed_radii],
        lambda r: r.total > 0,
    )
    measure(
        "nationwide: surname or specialty, by name",
        "",
        [lambda q=q: find_providers(q) for q in nationwide],
        lambda r: r.total > 0,
    )

    # The whole search page for (a), HTML, through Django (form, geocoding, engine, template),
    # with the page cache emptied before each request so every one is rendered.
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    page_urls = []
    for query in kind_a:
        topic = (
            f"specialty={query.specialty}" if query.specialty else f"procedure={query.procedure}"
        )
        page_urls.append(f"/providers/?{topic}&location={query.near.label}&radius=25")
    measure(
        "(a) full search page, HTML, uncached",
        "page",
        [lambda u=u: (cache.clear(), client.get(u))[1] for u in page_urls],
        lambda r: r.status_code == 200 and b"result-count" in r.content,
    )

    print(f"\n{'Query (through the interface)':48} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}")
    for label, count, p50, p95, worst, verdict, ok in rows:
        print(
            f"{label:48} {count:4} {p50:7.2f} {p95:7.2f} {worst:7.2f}  {verdict:18}"
            f" ({ok}/{count} found something)"
        )

    # Naive (a): the same criteria and circle, SQL only, with and without the indexes.
    backend = get_backend()
    today = day_number(timezone.localdate())
    sample = kind_a[: args.naive]
    indexed_ms, naive_ms, same = [], [], 0
    for query in sample:
        criteria = resolve_query(query, today, backend).criteria
        circle = Circle(query.near.latitude, query.near.longitude, query.radius_miles)
        start = time.perf_counter()
        page = backend.within(criteria, circle, Order.DISTANCE, 20, 0)
        indexed_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        ids, total = naive_within(criteria, circle, 20)
        naive_ms.append((time.perf_counter() - start) * 1000)
        same += ids == [r.practitioner_id for r in page.rows] and total == page.total
    indexed_p50, naive_p50 = statistics.median(indexed_ms), statistics.median(naive_ms)
    print(
        f"\nQuery (a), SQL only, {len(sample)} queries: indexed median {indexed_p50:.2f} ms, "
        f"naive scan median {naive_p50:.1f} ms: speed-up {naive_p50 / indexed_p50:,.0f}x "
        f"(same answers in {same}/{len(sample)})"
    )
    print(
        f"Demo providers: {Practitioner.objects.demo().count():,}; "
        f"load average at the end: {os.getloadavg()[0]:.2f}"
    )
    if scratch:
        connection.close()
        scratch.cleanup()


if __name__ == "__main__":
    main()
