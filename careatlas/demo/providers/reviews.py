"""Synthetic reviews of demo providers, so ratings show in `make run` and the benchmarks.

Every row is marked `is_demo` and the pages say "Demo review". The spread is what a young
review site looks like: most providers have none, some have one to four (too few to judge),
some have many. Rows are written in bulk with explicit ids, like the demo providers; the
stored counts and means are set from the scores drawn, with the rounding refresh_rating uses.
"""

import datetime
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from careatlas.demo.providers.bulk import TableWriter
from careatlas.practices.models import Practice
from careatlas.practices.models.practices import token_digest
from careatlas.providers.models import Practitioner
from careatlas.reviews.models import Reply, Report, Review, ReviewLink, Status
from careatlas.reviews.ratings import mean_score

MODELS = (Practice, ReviewLink, Review, Reply)
# Share of demo providers with no review, with one to four, and with five or more.
NONE, FEW = 0.55, 0.20
MANY = (5, 30)
REPLY_SHARE = 0.15
TEXTS = (
    "Demo review: explained the options clearly and answered every question.",
    "Demo review: friendly front desk, but the wait was long.",
    "Demo review: the visit felt rushed.",
    "Demo review: careful examination and a clear plan.",
    "Demo review: easy to book and on time.",
    "",
)
REPLY_TEXT = "Demo reply: thank you for the feedback."
NAMES = ("", "", "Demo patient")


@dataclass
class ReviewChunk:
    rows: dict = field(default_factory=lambda: {model: [] for model in MODELS})
    # practitioner id -> (count, sum of overall scores)
    totals: dict[int, tuple[int, int]] = field(default_factory=dict)


def _score(rng: random.Random, centre: float) -> int:
    return min(5, max(1, round(rng.gauss(centre, 0.9))))


class ReviewGenerator:
    def __init__(self, seed: int, now: datetime.datetime | None = None):
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.seed = seed
        self.ids = {
            model: itertools.count((model.objects.aggregate(m=Max("id"))["m"] or 0) + 1)
            for model in MODELS
        }

    def how_many(self) -> int:
        draw = self.rng.random()
        if draw < NONE:
            return 0
        if draw < NONE + FEW:
            return self.rng.randint(1, 4)
        return self.rng.randint(*MANY)

    def add(self, chunk: ReviewChunk, practitioner_id: int, count: int) -> None:
        """`count` published demo reviews of one practitioner (and their practice)."""
        if not count:
            return
        rng, rows = self.rng, chunk.rows
        practice_id = next(self.ids[Practice])
        rows[Practice].append({"id": practice_id, "practitioner_id": practitioner_id})
        centre = rng.uniform(2.6, 4.9)
        total = 0
        for _ in range(count):
            link_id, review_id = next(self.ids[ReviewLink]), next(self.ids[Review])
            created = self.now - datetime.timedelta(minutes=rng.randint(60, 730 * 24 * 60))
            rows[ReviewLink].append(
                {
                    "id": link_id,
                    "practice_id": practice_id,
                    "token_hash": token_digest(f"demo-review-{self.seed}-{link_id}"),
                    "created_at": created,
                    "expires_at": created + datetime.timedelta(days=90),
                }
            )
            overall = _score(rng, centre)
            total += overall
            published = created + datetime.timedelta(hours=1)
            rows[Review].append(
                {
                    "id": review_id,
                    "practice_id": practice_id,
                    "link_id": link_id,
                    "overall": overall,
                    "bedside_manner": _score(rng, overall),
                    "explained_clearly": _score(rng, overall),
                    "wait_time": _score(rng, centre - 0.5),
                    "text": rng.choice(TEXTS),
                    "display_name": rng.choice(NAMES),
                    "status": Status.PUBLISHED,
                    "is_demo": True,
                    "created_at": created,
                    "updated_at": published,
                    "published_at": published,
                }
            )
            if rng.random() < REPLY_SHARE:
                rows[Reply].append(
                    {
                        "id": next(self.ids[Reply]),
                        "review_id": review_id,
                        "text": REPLY_TEXT,
                        "status": Status.PUBLISHED,
                        "created_at": published,
                        "published_at": published + datetime.timedelta(days=1),
                    }
                )
        chunk.totals[practitioner_id] = (count, total)


def write_chunk(chunk: ReviewChunk, writers: dict) -> int:
    """Insert a chunk's rows and store its practitioners' counts and means; returns reviews."""
    with transaction.atomic():
        for model in MODELS:
            writers[model].write(chunk.rows[model])
        store_ratings(chunk.totals)
    return len(chunk.rows[Review])


def store_ratings(totals: dict[int, tuple[int, int]]) -> None:
    """The stored count and mean of each practitioner, as refresh_rating would compute them."""
    table = connection.ops.quote_name(Practitioner._meta.db_table)
    average_field = Practitioner._meta.get_field("review_average")
    adapt = connection.ops.adapt_decimalfield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET review_count = %s, review_average = %s WHERE id = %s",  # noqa: S608
            [
                (n, adapt(mean_score(total / n), average_field.max_digits, 2), pk)
                for pk, (n, total) in totals.items()
            ],
        )


def seed_demo_reviews(
    seed: int, practitioner_ids: Iterable[int] | None = None, chunk_size: int = 20_000
) -> int:
    """Reviews for demo practitioners (all of them, or the ids given); returns how many."""
    if practitioner_ids is None:
        practitioner_ids = (
            Practitioner.objects.filter(is_demo=True).order_by("id").values_list("id", flat=True)
        )
    generator = ReviewGenerator(seed)
    writers = {model: TableWriter(model) for model in MODELS}
    written = 0
    for batch in _batches(iter(practitioner_ids), chunk_size):
        chunk = ReviewChunk()
        for pk in batch:
            generator.add(chunk, pk, generator.how_many())
        written += write_chunk(chunk, writers)
    reset_sequences()
    return written


def reset_sequences() -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
            cursor.execute(sql)


def _batches(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    while batch := list(itertools.islice(ids, size)):
        yield batch


def clear_demo_reviews() -> int:
    """Delete the reviews (and their links, replies, reports) of demo providers' practices,
    one DELETE per table: the ORM's cascade would load millions of rows at benchmark size."""
    practices = Practice.objects.filter(
        Q(practitioner__is_demo=True) | Q(organization__is_demo=True)
    ).values("id")
    reviews = Review.objects.filter(practice__in=practices).values("id")
    with transaction.atomic():
        for queryset in (
            Reply.objects.filter(review__in=reviews),
            Report.objects.filter(review__in=reviews),
        ):
            queryset._raw_delete(queryset.db)
        deleted = Review.objects.filter(practice__in=practices)
        count = deleted._raw_delete(deleted.db)
        links = ReviewLink.objects.filter(practice__in=practices)
        links._raw_delete(links.db)
    return count
