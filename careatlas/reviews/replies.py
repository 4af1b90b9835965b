"""The practice's one public reply to a review: written, screened, moderated."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from careatlas.accounts.emails import send_email
from careatlas.core.audit import record
from careatlas.reviews.models import Reply, Review, Status
from careatlas.reviews.ratings import refresh_rating
from careatlas.reviews.screening import screen
from careatlas.reviews.services import practitioner_names


def may_reply(review: Review) -> bool:
    """Once per review: a reply waiting, or published, closes the door; a rejected one not."""
    reply = Reply.objects.filter(review=review).first()
    return reply is None or reply.status == Status.REJECTED


def _audit(action: str, reply: Reply, actor, old: str = "", new: str = "") -> None:
    record(
        action,
        actor=actor,
        subject=reply,
        field="status",
        old=old,
        new=new,
        practice_key=reply.review.practice.key,
    )


def write_reply(review: Review, user, text: str) -> Reply:
    """Save the reply: clean ones are published at once, flagged ones wait for a moderator."""
    flags = screen(
        text,
        allowed_names=practitioner_names(review.practice),
        is_reply=True,
        reviewer_name=review.display_name,
    )
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.select_for_update().filter(review=review).first() or Reply(
            review=review
        )
        if reply.pk and reply.status != Status.REJECTED:
            raise ValueError("This review already has a reply.")
        reply.text, reply.author, reply.created_at = text.strip(), user, now
        reply.flags = [flag.as_json() for flag in flags]
        reply.reject_reason = ""
        reply.status = Status.PENDING if flags else Status.PUBLISHED
        reply.published_at = None if flags else now
        reply.save()
        _audit("reply.written", reply, user, new=reply.status)
    if reply.status == Status.PUBLISHED:
        refresh_rating(review.practice)  # the profile's caches show the reply
    return reply


def approve_reply(reply: Reply, moderator) -> None:
    old = reply.status
    reply.status, reply.published_at = Status.PUBLISHED, reply.published_at or timezone.now()
    reply.save(update_fields=["status", "published_at"])
    _audit("reply.approved", reply, moderator, old=old, new=reply.status)
    refresh_rating(reply.review.practice)


def reject_reply(reply: Reply, moderator, reason: str) -> None:
    """Refuse the reply and tell its author why; the practice may write another."""
    old = reply.status
    reply.status, reply.reject_reason = Status.REJECTED, reason.strip()
    reply.save(update_fields=["status", "reject_reason"])
    _audit("reply.rejected", reply, moderator, old=old, new=reply.status)
    if old == Status.PUBLISHED:
        refresh_rating(reply.review.practice)
    practice = reply.review.practice
    if reply.author is not None and reply.author.email:
        link = settings.SITE_URL + reverse("reviews:practice_reviews", args=[practice.pk])
        send_email(
            [reply.author.email],
            _("Your reply to a review was not published"),
            "reviews/email/reply_rejected.txt",
            {"practice_name": practice.name, "reason": reply.reject_reason, "link": link},
        )
