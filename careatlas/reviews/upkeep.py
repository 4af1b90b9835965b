"""The periodic work: publish reviews whose hold ended, erase addresses of expired links."""

import logging

from django.utils import timezone
from django_tasks import task

from careatlas.reviews import services
from careatlas.reviews.models import Review, ReviewLink

log = logging.getLogger(__name__)


def purge_expired_links(now=None) -> tuple[int, int]:
    """(links deleted, addresses erased). An expired link with no review goes; one with a
    review stays (the review needs it) without its address, and the review without the
    sender's fingerprint."""
    now = now or timezone.now()
    expired = ReviewLink.objects.expired(now)
    deleted, _by_model = expired.filter(review__isnull=True).delete()
    # An empty address is stored as "" (never encrypted), so this compares stored values.
    erased = expired.exclude(email="").update(email="")
    # The sender's fingerprint served the burst check; it goes with the address.
    Review.objects.filter(link__in=expired).exclude(fingerprint="").update(fingerprint="")
    log.info("Review links: %d expired deleted, %d addresses erased.", deleted, erased)
    return deleted, erased


def publish_held(now=None) -> int:
    published = services.publish_held(now)
    log.info("Published %d held reviews.", published)
    return published


@task()
def publish_held_reviews() -> int:
    """The scheduled form of `manage.py publish_held_reviews` (run it hourly)."""
    return publish_held()


@task()
def purge_review_links() -> int:
    """The scheduled form of `manage.py purge_review_links` (run it daily)."""
    return sum(purge_expired_links())
