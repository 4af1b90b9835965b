"""Emails to a review's author, rendered in a background task so no address waits in the queue.

As for consultation requests (ADR 0016), the queue stores a task's arguments in clear: these
tasks get ids, the language and an encrypted link, and read the address from the encrypted
review link when they run.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from careatlas.accounts.emails import deliver_email
from careatlas.providers.fields import decrypt
from careatlas.reviews.models import Review, ReviewLink


def _deliver(address: str, subject: str, template: str, context: dict) -> int:
    body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME}).strip()
    return deliver_email.call(
        subject=subject,
        body=body,
        html_body="",
        to=[address],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def _policy_url() -> str:
    return settings.SITE_URL + reverse("reviews:policy")


@task()
def email_link(link_id: int, sealed_url: str, language: str) -> int:
    """Invite the patient to review the practice; returns 1 if sent."""
    link = ReviewLink.objects.select_related("practice__practitioner").filter(pk=link_id).first()
    if link is None or not link.email:
        return 0
    with translation.override(language):
        subject = _("How was your visit to %(name)s?") % {"name": link.practice.name}
        context = {
            "practice_name": link.practice.name,
            "link": decrypt(sealed_url),
            "expires_at": link.expires_at,
            "policy_url": _policy_url(),
        }
        return _deliver(link.email, subject, "reviews/email/link.txt", context)


@task()
def email_rejection(review_id: int, language: str) -> int:
    """Tell the author why their review was not published; returns 1 if sent."""
    review = Review.objects.select_related("link", "practice__practitioner").filter(pk=review_id)
    review = review.first()
    if review is None or not review.link.email:
        return 0
    with translation.override(language):
        subject = _("Your review of %(name)s was not published") % {"name": review.practice.name}
        context = {
            "practice_name": review.practice.name,
            "reason": review.reject_reason,
            "policy_url": _policy_url(),
        }
        return _deliver(review.link.email, subject, "reviews/email/rejected.txt", context)
