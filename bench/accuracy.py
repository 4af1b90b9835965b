"""Directory accuracy at scale: the site-wide figures of /about/accuracy/ over many providers.

    .venv/bin/python bench/accuracy.py [--count 1000000] [--rounds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_bench \
        .venv/bin/python bench/accuracy.py

Seeds `--count` demo providers with `manage.py seed_demo_providers` into a throw-away SQLite
file (or the `*_bench` PostgreSQL database DATABASE_URL names; `--database-file` keeps the
SQLite file, `--skip-seed` reuses it), claims 10% of them, has half of those confirm
their facts within 90 days, and files `--reports` reports of incorrect information of
which 80% are closed. Then prints p50/p95 (ms) of computing the figures (the four
aggregate queries, cache bypassed), of the cached figures, and of the whole page with a
cold page cache. Asserts nothing; prints PASS or MISS against a 1 s target for the cold
figures (they are computed at most once an hour per cache).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careatlas.settings")
os.environ["CAREATLAS_ENV"] = "development"
os.environ.setdefault("DEBUG", "0")

from providers import _prepare_database  # noqa: E402  (bench/providers.py: same scratch rules)

COLD_TARGET_MS = 1000.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="demo providers to seed")
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-file", help="SQLite file to use and keep")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    return parser.parse_args()


def _ms(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms"


def _timed(call, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _claims_and_reports(count: int, reports: int, rng: random.Random) -> None:
    """10% claimed, half of those confirmed recently (with their office confirmations)."""
    from django.db import transaction
    from django.utils import timezone

    from careatlas.providers.models import IncorrectInfoReport, Practitioner, Verification

    today = timezone.localdate()
    ids = list(Practitioner.objects.values_list("pk", flat=True))
    claimed = rng.sample(ids, len(ids) // 10)
    confirmed = claimed[: len(claimed) // 2]
    with transaction.atomic():
        for start in range(0, len(claimed), 5000):
            Practitioner.objects.filter(pk__in=claimed[start : start + 5000]).update(
                claimed_on=today - datetime.timedelta(days=rng.randrange(1, 400))
            )
        for start in range(0, len(confirmed), 5000):
            batch = confirmed[start : start + 5000]
            Practitioner.objects.filter(pk__in=batch).update(
                practice_confirmed_on=today - datetime.timedelta(days=rng.randrange(0, 89))
            )
            Verification.objects.filter(role__practitioner_id__in=batch).update(
                method="office_confirmation", verified_on=today - datetime.timedelta(days=5)
            )
        now = timezone.now()
        rows = []
        for _ in range(reports):
            received = now - datetime.timedelta(hours=rng.randrange(1, 24 * 300))
            closed = rng.random() < 0.8
            rows.append(
                IncorrectInfoReport(
                    practitioner_id=rng.choice(ids),
                    fact="phone",
                    fact_key="phone:1",
                    about="Phone",
                    details="Bench report.",
                    status=rng.choice(["resolved", "rejected"]) if closed else "open",
                    created_at=received,
                    closed_at=received + datetime.timedelta(hours=rng.randrange(1, 24 * 30))
                    if closed
                    else None,
                )
            )
        IncorrectInfoReport.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    args = _arguments()
    scratch = _prepare_database(args)
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from careatlas.core.models import SiteVersion
        from careatlas.providers.accuracy import compute_site_figures, site_figures
        from careatlas.providers.models import Practitioner, Verification

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
            call_command("seed_demo_providers", count=args.count, seed=args.seed, verbosity=0)
            _claims_and_reports(args.count, args.reports, random.Random(args.seed))
            print(f"Seeded {args.count:,} providers in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "sqlite":
            connection.cursor().execute("ANALYZE")
        print(
            f"{Practitioner.objects.count():,} providers, "
            f"{Verification.objects.count():,} verifications"
        )
        figures = compute_site_figures()
        print(
            f"Figures: {figures.claimed:,} claimed of {figures.profiles:,}; "
            f"{figures.claimed_confirmed:,} confirmed in 90 days; {figures.facts_confirmed:,} "
            f"facts confirmed; reports {figures.reports_open:,} open, "
            f"{figures.reports_resolved + figures.reports_rejected:,} closed, median "
            f"{figures.median_days_to_close} days"
        )
        cold = _timed(compute_site_figures, args.rounds)
        verdict = "PASS" if statistics.median(cold) < COLD_TARGET_MS else "MISS"
        print(f"Figures computed (4 queries, no cache): {_ms(cold)}  target < 1 s: {verdict}")
        site_figures()
        print(f"Figures from the cache: {_ms(_timed(site_figures, args.rounds))}")
        client = Client()

        def cold_page() -> None:
            SiteVersion.bump()  # a fresh page render; the figures stay cached
            assert client.get("/about/accuracy/").status_code == 200

        print(f"Page, cold page cache: {_ms(_timed(cold_page, args.rounds))}")
        cache.clear()
    finally:
        if scratch is not None:
            scratch.cleanup()


if __name__ == "__main__":
    main()
