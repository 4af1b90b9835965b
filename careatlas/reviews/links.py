"""Review links: offered once per consultation request that reached a visit, by email."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from careatlas.consultations.models import ConsultationRequest, Status, new_token
from careatlas.core.audit import record
from careatlas.practices.models import Practice
from careatlas.practices.models.practices import token_digest
from careatlas.providers.fields import encrypt
from careatlas.reviews import mail
from careatlas.reviews.models import ReviewLink

# A request in one of these states had a visit arranged: its patient may review the practice.
VISITED = (Status.SCHEDULED, Status.CLOSED)


def is_member(user, practice: Practice) -> bool:
    """Whether the signed-in user works for the practice (owner or staff)."""
    return bool(user.is_authenticated) and practice.memberships.filter(user_id=user.pk).exists()


def is_member_address(practice: Practice, address: str) -> bool:
    """Whether `address` belongs to an account of one of the practice's members, as its
    account address or any address it added: staff may not review their own practice."""
    address = address.strip()
    if not address:
        return False
    members = practice.memberships.values("user_id")
    return (
        EmailAddress.objects.filter(user_id__in=members, email__iexact=address).exists()
        or practice.memberships.filter(user__email__iexact=address).exists()
    )


def offer_link(found: ConsultationRequest) -> ReviewLink | None:
    """Create the request's review link and email it after the commit; None when the request
    has no email address, already has a link, or its address is a member's."""
    if not found.email or ReviewLink.objects.filter(request=found).exists():
        return None
    if is_member_address(found.practice, found.email):
        record("review.link_withheld_member", subject=found, practice_key=found.practice.key)
        return None
    token = new_token()
    try:
        with transaction.atomic():
            link = ReviewLink.objects.create(
                practice=found.practice,
                request=found,
                token_hash=token_digest(token),
                email=found.email,
            )
    except IntegrityError:  # a second status change raced this one: it sent the link
        return None
    record("review.link_sent", subject=found, practice_key=found.practice.key)
    sealed = encrypt(settings.SITE_URL + reverse("reviews:link", args=[token]))
    # In the patient's language, not that of the office member who moved the request on.
    transaction.on_commit(lambda: mail.email_link.enqueue(link.pk, sealed, found.language))
    return link


def on_status_changed(sender, request: ConsultationRequest, old: str, new: str, **kwargs) -> None:
    """consultations.signals.status_changed: a visit was scheduled or done."""
    if new in VISITED:
        offer_link(request)
