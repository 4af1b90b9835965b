"""The rating a practitioner shows and is searched by, recomputed from published reviews."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count

from careatlas.practices.models import Practice
from careatlas.providers.services import directory_changed
from careatlas.reviews.models import Review


def mean_score(average: float | None) -> Decimal | None:
    """The stored mean: two decimals, halves rounded up (4.125 -> 4.13), as people round."""
    if average is None:
        return None
    return Decimal(str(average)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def refresh_rating(practice: Practice) -> None:
    """Store the count and mean overall score of the practice's published reviews.

    Called whenever a review is published, edited while published, or taken down. Only
    practitioner practices carry a rating in the directory today. Saving the practitioner
    re-indexes it for search (search's post_save receiver, after commit); the content
    practitioner's page tag moves after that, so no cached profile keeps the old rating, and
    the re-index retires the search pages (core/page_tags.py).
    """
    if practice.practitioner_id is None:
        return
    totals = (
        Review.objects.filter(practice=practice)
        .published()
        .aggregate(count=Count("id"), average=Avg("overall"))
    )
    practice.practitioner.review_count = totals["count"]
    practice.practitioner.review_average = mean_score(totals["average"])
    practice.practitioner.save(update_fields=["review_count", "review_average", "updated_at"])
    # Registered after the save's re-index callback, so it runs after it: a page cached
    # between the two would otherwise show the old index under the new version.
    practitioner_id = practice.practitioner_id
    transaction.on_commit(lambda: directory_changed([practitioner_id]))
