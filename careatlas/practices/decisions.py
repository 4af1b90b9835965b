"""Where a claim becomes active, is refused or is revoked: one function each, each audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careatlas.core.audit import record
from careatlas.practices import notify
from careatlas.practices.models import Claim, ClaimStatus, Membership, PracticeRole
from careatlas.providers import claiming


def _close(claim: Claim, status: str, by, reason: str) -> None:
    claim.status = status
    claim.reason = reason
    claim.decided_by = by if getattr(by, "is_authenticated", False) else None
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    deleted, _counts = claim.documents.all().delete()
    if deleted:
        record(
            "claim.documents_deleted",
            actor=by,
            subject=claim,
            new=str(deleted),
            practice_key=claim.practice.key,
        )


def _tell_claimant(claim: Claim, subject: str) -> None:
    notify.send_email(
        claim.user.email, subject, "practices/email/claim_decided.txt", {"claim": claim}
    )


@transaction.atomic
def approve_claim(claim: Claim, by=None) -> Claim:
    """The claim becomes active: its claimant owns the practice. `by` is staff, or None when
    the claimant's own proof (phone code, email link) sufficed."""
    _close(claim, ClaimStatus.APPROVED, by, "")
    Membership.objects.update_or_create(
        practice=claim.practice,
        user=claim.user,
        defaults={"role": PracticeRole.OWNER, "all_locations": True},
    )
    subject = claim.practice.subject
    if subject.claimed_on is None:
        # A second owner joining an already claimed listing keeps the listing's 90-day clock.
        claiming.mark_claimed(subject, timezone.localdate())
    record(
        "claim.approved",
        actor=by or claim.user,
        subject=claim,
        field="method",
        new=claim.method,
        practice_key=claim.practice.key,
    )
    transaction.on_commit(lambda: _tell_claimant(claim, _("Your claim was approved")))
    return claim


def _announce(claim: Claim, by, action: str, email_subject: str) -> None:
    """Record a refusal with its reason, and tell the claimant once the decision is saved."""
    record(
        action,
        actor=by,
        subject=claim,
        field="reason",
        new=claim.reason,
        practice_key=claim.practice.key,
    )
    transaction.on_commit(lambda: _tell_claimant(claim, email_subject))


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValueError("A rejection or revocation needs a reason the claimant can read.")
    return reason.strip()


@transaction.atomic
def reject_claim(claim: Claim, by, reason: str) -> Claim:
    """Staff refuse an open claim, with a reason the claimant reads."""
    _close(claim, ClaimStatus.REJECTED, by, _reason(reason))
    _announce(claim, by, "claim.rejected", _("Your claim was not approved"))
    return claim


@transaction.atomic
def revoke_claim(claim: Claim, by, reason: str) -> Claim:
    """Staff withdraw an approved claim: its claimant stops being an owner at once, and when
    no owner is left, everyone they let in goes too and open invitations are cancelled."""
    practice = claim.practice
    _close(claim, ClaimStatus.REVOKED, by, _reason(reason))
    practice.memberships.filter(user=claim.user).delete()
    if not practice.is_claimed():
        practice.memberships.all().delete()
        practice.invitations.open().update(cancelled_at=timezone.now())
        claiming.mark_unclaimed(practice.subject)
    _announce(claim, by, "claim.revoked", _("Your claim was revoked"))
    return claim
