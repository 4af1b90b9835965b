"""Search latency: the interface functions and the HTTP endpoints, over the real content pack.

    .venv/bin/python bench/search.py [--rounds N]

Uses a throw-away SQLite file unless DATABASE_URL is set (then that database is
migrated and loaded: point it at a scratch database). Prints p50/p95 in ms; asserts
nothing. Target: p95 under 10 ms on SQLite.
"""

import argparse
import io
import os
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
# Debug mode logs every SQL query; production does not, so neither does the benchmark.
os.environ.setdefault("DEBUG", "0")
_scratch = tempfile.TemporaryDirectory(prefix="careatlas-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(_scratch.name) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from careatlas.search.interface import autocomplete, rebuild_index, search  # noqa: E402
from careatlas.search.models import SearchDocument, SearchTerm  # noqa: E402
from tests.search_queries import SEARCH_QUERIES  # noqa: E402


def timed(calls: list[Callable[[], object]], rounds: int, before_round=None) -> list[float]:
    """Milliseconds per call, every call run once per round."""
    samples = []
    for _ in range(rounds):
        if before_round:
            before_round()
        for call in calls:
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    print(
        f"{name:42} n={len(samples):6}  p50={cuts[49]:6.2f}  p95={cuts[94]:6.2f}"
        f"  max={max(samples):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=io.StringIO())
    rebuild_index()  # in case the pack was already loaded and sent no signal

    queries = sorted({query for query, _kind, _slug in SEARCH_QUERIES})
    # What the search box sends while each query is typed, from the second letter on.
    typed = sorted({q[:n] for q in queries for n in range(2, len(q) + 1)})
    client = Client()

    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
    print(
        f"{connection.vendor} {version}"
        f" | {SearchDocument.objects.count()} documents, {SearchTerm.objects.count()} terms"
        f" | {len(queries)} queries, {len(typed)} partial queries, {args.rounds} rounds"
    )
    report("rebuild_index()", timed([rebuild_index], 5))
    report("search()", timed([lambda q=q: search(q) for q in queries], args.rounds))
    report("autocomplete()", timed([lambda q=q: autocomplete(q) for q in typed], args.rounds))
    report(
        "GET /search/?q= (page cache cold)",
        timed(
            [lambda q=q: client.get("/search/", {"q": q}) for q in queries],
            args.rounds,
            before_round=cache.clear,
        ),
    )
    report(
        "GET /search/autocomplete?q= (cold)",
        timed(
            [lambda q=q: client.get("/search/autocomplete", {"q": q}) for q in typed],
            args.rounds,
            before_round=cache.clear,
        ),
    )
    report(
        "GET /search/autocomplete?q= (cached)",
        timed(
            [lambda q=q: client.get("/search/autocomplete", {"q": q}) for q in typed], args.rounds
        ),
    )


if __name__ == "__main__":
    main()
