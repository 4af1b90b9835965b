"""The one search box's suggestions at scale: seed demo providers, time the grouped endpoint.

    .venv/bin/python bench/suggest.py [--count 1000000] [--queries 400]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careatlas_suggest_bench \
        .venv/bin/python bench/suggest.py

Seeds like bench/providers.py (a throw-away SQLite file unless DATABASE_URL names a
"*_bench" PostgreSQL database; `--database-file` and `--skip-seed` reuse one), then times
`suggest()` (what /search/autocomplete answers: topics, doctors, practices, places) and the
HTTP endpoint through Django's test client with the page cache emptied, over what people
type into the box as they type it: doctors' names with a typo ("Dr Costa", "Raj Chavz"),
topic prefixes ("osteo", "back p"), places ("Chica", "Queens"), and topic plus place
("back pain near Chic", "chiropractor 1000"). Prints p50/p95 (ms) per kind and overall
against the issue 15 target (p95 <= 15 ms), and the gazetteer's build time.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import providers as provider_bench  # noqa: E402 - the seeding and timing helpers

TARGET_P95_MS = 15.0
TOPICS = ["osteo", "osteopathic m", "back p", "knee rep", "chiro", "acupunc", "colonos", "catar"]
PLACES = ["Chica", "Queens", "Brookl", "Austin, T", "San Fran", "St. Lou", "Springfield"]
MIXED = [
    "back pain near Chic",
    "chiropractor 1000",
    "omt in queens n",
    "knee replacement aus",
    "physical therapy brooklyn",
]


def _typed_so_far(text: str, rng: random.Random) -> str:
    """What is in the box part-way through typing `text` (at least three letters)."""
    return text[: rng.randint(min(3, len(text)), len(text))]


def main() -> None:
    args = provider_bench._arguments()
    scratch = provider_bench._prepare_database(args)

    import django

    django.setup()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from careatlas.demo.providers import catalogue, seed_demo_providers
    from careatlas.providers.gazetteer import index
    from careatlas.providers.models import Practitioner
    from careatlas.search.interface import autocomplete_providers, rebuild_provider_index
    from careatlas.search.suggest import suggest

    started = time.perf_counter()
    index()
    print(f"Gazetteer build: {time.perf_counter() - started:.1f} s")
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    if not args.skip_seed:
        started = time.perf_counter()
        result = seed_demo_providers(args.count, args.seed)
        print(f"Seeded {result.practitioners:,} providers in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        rebuild_provider_index()
        print(f"Index build: {time.perf_counter() - started:.0f} s")
    count = Practitioner.objects.count()
    print(f"{connection.vendor}, {count:,} practitioners")

    rng = random.Random(args.seed)
    n = max(args.queries, 200)
    names = list(
        Practitioner.objects.order_by("?").values_list("first_name", "last_name")[: n // 4]
    )
    kinds: dict[str, list[str]] = {
        "doctor": [
            f"Dr {last}"
            if i % 3 == 0 or len(last) < 4
            else f"{first} {provider_bench.typo(last, rng)}"
            for i, (first, last) in enumerate(names)
        ],
        "topic": [_typed_so_far(rng.choice(TOPICS), rng) for _ in range(n // 4)],
        "place": [_typed_so_far(rng.choice(PLACES), rng) for _ in range(n // 4)],
        "mixed": [rng.choice(MIXED) for _ in range(n // 4)],
    }
    kinds["doctor"] += [f"Dr {rng.choice(catalogue.SURNAMES)}" for _ in range(10)]
    for text in ["Raj Chavez", "Dr Costa"] * 3:  # the issue's own examples
        suggest(text, "en")  # warm-up: connection, caches, gazetteer lookups
    client = Client()
    everything = []
    for kind, texts in kinds.items():
        samples, _answers = provider_bench.timed([lambda t=t: suggest(t, "en") for t in texts])
        everything += samples
        p50, p95 = provider_bench.percentiles(samples)
        print(f"suggest() {kind:6} ({len(texts)}): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    p50, p95 = provider_bench.percentiles(everything)
    print(f"suggest() all ({len(everything)}): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    # A control under the same load: the doctors' lookup alone, which bench/providers.py
    # measured at p95 10 ms at 1,000,000 providers on a quiet machine (issue 3's target 15).
    samples, _answers = provider_bench.timed(
        [lambda t=t: autocomplete_providers(t, 5) for t in kinds["doctor"]]
    )
    c50, c95 = provider_bench.percentiles(samples)
    print(f"control: autocomplete_providers() alone: p50 {c50:.1f} ms, p95 {c95:.1f} ms")

    texts = [t for kind in kinds.values() for t in kind]

    def over_http(text: str, n: int) -> None:
        # A parameter of its own per request: the page cache keys on the full path, so
        # no answer comes from it and every request reaches the engine.
        response = client.get("/search/autocomplete", {"q": text, "n": n})
        assert response.status_code == 200, response.status_code

    cache.clear()
    samples, _answers = provider_bench.timed(
        [lambda t=t, i=i: over_http(t, i) for i, t in enumerate(texts)]
    )
    h50, h95 = provider_bench.percentiles(samples)
    verdict = "PASS" if max(p95, h95) <= TARGET_P95_MS else "MISS"
    print(f"GET /search/autocomplete ({len(texts)}): p50 {h50:.1f} ms, p95 {h95:.1f} ms")
    print(f"Target p95 <= {TARGET_P95_MS:.0f} ms at {count:,} providers: {verdict}")
    print(f"Load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if scratch:
        scratch.cleanup()


if __name__ == "__main__":
    main()
