"""The rating a practitioner shows and is searched by, recomputed from published reviews."""

from decimal import Decimal

from django.db.models import Avg, Count

from careatlas.practices.models import Practice
from careatlas.reviews.models import Review


def refresh_rating(practice: Practice) -> None:
    """Store the count and mean overall score of the practice's published reviews.

    Called whenever a review is published, edited while published, or taken down. Only
    practitioner practices carry a rating in the directory today.
    """
    if practice.practitioner_id is None:
        return
    totals = (
        Review.objects.filter(practice=practice)
        .published()
        .aggregate(count=Count("id"), average=Avg("overall"))
    )
    average = totals["average"]
    practice.practitioner.review_count = totals["count"]
    practice.practitioner.review_average = (
        None if average is None else Decimal(str(average)).quantize(Decimal("0.01"))
    )
    practice.practitioner.save(update_fields=["review_count", "review_average", "updated_at"])
