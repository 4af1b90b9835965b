"""An owner's office team: invitations by email, accepting them, and removing staff."""

import secrets
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from careatlas.accounts.addresses import verified_addresses
from careatlas.core.audit import record
from careatlas.practices import notify
from careatlas.practices.models import Invitation, Membership, Practice, PracticeRole
from careatlas.practices.models.practices import token_digest
from careatlas.providers.models import Location


class Refusal(Enum):
    UNUSABLE = "unusable"  # unknown, expired, already used or cancelled
    OTHER_ADDRESS = "other_address"  # sent to an address that is not this account's
    ALREADY_MEMBER = "already_member"


def masked_email(email: str) -> str:
    """'dana@riverside.example' -> 'd•••@riverside.example': enough for an owner's trail."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@transaction.atomic
def invite(practice: Practice, by, email: str, locations: list[Location] | None) -> Invitation:
    """Invite office staff; `locations` None means all of the practice's locations."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        practice=practice,
        email=email,
        token_hash=token_digest(token),
        all_locations=locations is None,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.STAFF_INVITATION_DAYS),
    )
    if locations is not None:
        invitation.locations.set(locations)
    link = settings.SITE_URL + reverse("practices:invitation", args=[token])
    transaction.on_commit(
        lambda: notify.send_email(
            email,
            _("You are invited to help manage %(name)s") % {"name": practice.name},
            "practices/email/invitation.txt",
            {"practice": practice, "link": link, "days": settings.STAFF_INVITATION_DAYS},
        )
    )
    record(
        "team.invited",
        actor=by,
        subject=invitation,
        new=masked_email(email),
        practice_key=practice.key,
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The open invitation this link's token opens, or None."""
    return (
        Invitation.objects.open()
        .select_related("practice__practitioner", "practice__organization")
        .filter(token_hash=token_digest(token))
        .first()
    )


@transaction.atomic
def accept(token: str, user) -> Membership | Refusal:
    """Join the practice as staff. The link works once, before it expires, and only for the
    account whose address it was sent to."""
    invitation = find_invitation(token)
    if invitation is None:
        return Refusal.UNUSABLE
    # Any address the account confirmed counts, not only the one it signed up with.
    if invitation.email.strip().lower() not in verified_addresses(user):
        return Refusal.OTHER_ADDRESS
    if invitation.practice.memberships.filter(user=user).exists():
        return Refusal.ALREADY_MEMBER
    # Claim the single use atomically: of two tabs accepting at once, one wins.
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not used:
        return Refusal.UNUSABLE
    membership = Membership.objects.create(
        practice=invitation.practice,
        user=user,
        role=PracticeRole.STAFF,
        all_locations=invitation.all_locations,
    )
    membership.locations.set(invitation.locations.all())
    record("team.joined", actor=user, subject=membership, practice_key=invitation.practice.key)
    return membership


def cancel(invitation: Invitation, by) -> None:
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(
        "team.invitation_cancelled",
        actor=by,
        subject=invitation,
        practice_key=invitation.practice.key,
    )


def remove(membership: Membership, by) -> None:
    """Remove a staff member; their next request is refused (access is never cached)."""
    if membership.is_owner:
        raise ValueError("Owners are removed by revoking their claim, not from the team page.")
    key, label = membership.practice.key, str(membership.user.email or membership.user)
    record("team.removed", actor=by, subject=membership, old=label, practice_key=key)
    membership.delete()
