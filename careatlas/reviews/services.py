"""The writes with side effects: a review written, edited, deleted, held, published, reported.

Every change that moves a review into or out of "published", or edits a published one,
calls `refresh_rating` (the practitioner's rating, the search index, the page caches).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from careatlas.core.audit import record
from careatlas.reviews import mail
from careatlas.reviews.models import (
    LINK_DAYS,
    Report,
    Review,
    ReviewLink,
    Status,
)
from careatlas.reviews.ratings import refresh_rating
from careatlas.reviews.screening import Flag, burst_flags, burst_window_start, screen


class LinkUsed(Exception):
    """The link already wrote its one review."""


def practitioner_names(practice) -> tuple[str, ...]:
    """Full names a review of this practice may carry: the practitioner's own."""
    person = practice.practitioner
    if person is None:
        return ()
    return (f"{person.first_name} {person.last_name}",)


def review_flags(review: Review) -> list[Flag]:
    """The text checks on the review and on the name it is shown under."""
    names = practitioner_names(review.practice) + (review.display_name,)
    flags = screen(review.text, allowed_names=names)
    # The name shown may be the author's own full name (their choice); anything else in it
    # (an address, a number, profanity) is flagged like the text.
    flags += [f for f in screen(review.display_name) if f.rule not in ("full_name", "all_caps")]
    return flags


def _has_open_reports(review: Review) -> bool:
    return review.pk is not None and review.reports.filter(resolved_at__isnull=True).exists()


def _settle(review: Review, flags: list[Flag], now) -> None:
    """Flagged or reported: to moderation. Clean: published stays published, others wait
    out the hold."""
    review.flags = [flag.as_json() for flag in flags]
    if flags or _has_open_reports(review):
        review.status = Status.PENDING
        review.publish_after = None
    elif review.status != Status.PUBLISHED:
        review.status = Status.HELD
        review.publish_after = now + timedelta(hours=settings.REVIEW_HOLD_HOURS)


def _audit(action: str, review: Review, actor=None, old: str = "", new: str = "") -> None:
    record(
        action,
        actor=actor,
        subject=review,
        field="status" if old or new else "",
        old=old,
        new=new,
        practice_key=review.practice.key,
    )


def _flag_burst_siblings(fingerprint: str, burst: list[Flag], now) -> None:
    """Reviews from the same browser still waiting out their hold go to a moderator too."""
    siblings = Review.objects.filter(
        fingerprint=fingerprint, status=Status.HELD, created_at__gte=burst_window_start(now)
    )
    for sibling in siblings.select_for_update():
        sibling.flags = [*sibling.flags, *(f.as_json() for f in burst)]
        sibling.status = Status.PENDING
        sibling.publish_after = None
        sibling.save(update_fields=["flags", "status", "publish_after", "updated_at"])


def write_review(link: ReviewLink, review: Review, fingerprint: str) -> Review:
    """Save a new review through its link (once), screened and held or queued."""
    now = timezone.now()
    with transaction.atomic():
        link = ReviewLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise LinkUsed
        review.practice, review.link, review.fingerprint = link.practice, link, fingerprint
        review.created_at = now
        recent = Review.objects.filter(
            fingerprint=fingerprint, created_at__gte=burst_window_start(now)
        ).count()
        burst = burst_flags(recent)
        _settle(review, review_flags(review) + burst, now)
        if burst:
            _flag_burst_siblings(fingerprint, burst, now)
        review.save()
        link.used_at = now
        # The author may change or delete the review for LINK_DAYS after writing it.
        link.expires_at = max(link.expires_at, now + timedelta(days=LINK_DAYS))
        link.save(update_fields=["used_at", "expires_at"])
        _audit("review.written", review, new=review.status)
    return review


def edit_review(review: Review) -> Review:
    """Save the author's changes (already on `review`): checked again like a new review."""
    before = Review.objects.get(pk=review.pk)
    kept = [Flag(**f) for f in before.flags if f.get("rule") == "burst"]
    _settle(review, review_flags(review) + kept, timezone.now())
    review.save()
    _audit("review.edited", review, old=before.status, new=review.status)
    if Status.PUBLISHED in (before.status, review.status):
        refresh_rating(review.practice)
    return review


def delete_review(review: Review) -> None:
    """The author takes the review down; the link's address goes with it."""
    was_published = review.status == Status.PUBLISHED
    _audit("review.deleted_by_author", review, old=review.status)
    link, practice = review.link, review.practice
    review.delete()
    link.email = ""
    link.save(update_fields=["email"])
    if was_published:
        refresh_rating(practice)


def publish_held(now=None) -> int:
    """Publish every held review whose hold has ended; returns how many."""
    now = now or timezone.now()
    published = 0
    due = Review.objects.due_for_publication(now).select_related("practice")
    for review in due.order_by("pk"):
        # The WHERE clause is checked again at update time: a review flagged, reported or
        # deleted since the list was read is left alone.
        changed = Review.objects.due_for_publication(now).filter(pk=review.pk)
        if changed.update(status=Status.PUBLISHED, published_at=now, publish_after=None):
            published += 1
            _audit("review.published", review, old=Status.HELD, new=Status.PUBLISHED)
            refresh_rating(review.practice)
    return published


def _resolve_reports(review: Review, now) -> None:
    review.reports.filter(resolved_at__isnull=True).update(resolved_at=now)


def approve(review: Review, moderator) -> None:
    """A moderator publishes a flagged or reported review."""
    now = timezone.now()
    old = review.status
    review.status = Status.PUBLISHED
    review.published_at = review.published_at or now
    review.publish_after = None
    review.reject_reason = ""
    review.save()
    _resolve_reports(review, now)
    _audit("review.approved", review, moderator, old=old, new=review.status)
    refresh_rating(review.practice)


def reject(review: Review, moderator, reason: str) -> None:
    """A moderator refuses a review; the author is emailed the reason."""
    old = review.status
    review.status = Status.REJECTED
    review.reject_reason = reason.strip()
    review.publish_after = None
    review.save()
    _resolve_reports(review, timezone.now())
    _audit("review.rejected", review, moderator, old=old, new=review.status)
    if old == Status.PUBLISHED:
        refresh_rating(review.practice)
    # In the language the author wrote from (their request's), not the moderator's; the
    # site's once the retention purge has deleted the request.
    request = review.link.request
    language = request.language if request else settings.LANGUAGE_CODE
    transaction.on_commit(lambda: mail.email_rejection.enqueue(review.pk, language))


def report(review: Review, reason: str, details: str, fingerprint: str) -> Report:
    """A visitor reports a published review: it leaves the page until a moderator decides."""
    found = Report.objects.create(
        review=review, reason=reason, details=details.strip(), fingerprint=fingerprint
    )
    old = review.status
    if old == Status.PUBLISHED:
        review.status = Status.PENDING
        review.save(update_fields=["status", "updated_at"])
        refresh_rating(review.practice)
    record(
        "review.reported",
        subject=review,
        field="reason",
        new=reason,
        practice_key=review.practice.key,
    )
    return found
