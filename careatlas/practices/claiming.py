"""Starting a claim and proving it: a code to the practice phone, a link, or documents."""

import secrets
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from careatlas.core.audit import record
from careatlas.practices import notify
from careatlas.practices.decisions import approve_claim
from careatlas.practices.models import (
    Claim,
    ClaimDocument,
    ClaimMethod,
    ClaimStatus,
    Practice,
    Proof,
)
from careatlas.practices.models.claims import ProofKind
from careatlas.practices.senders import VOICE, phone_sender
from careatlas.practices.uploads import encrypt_bytes
from careatlas.providers.models import Location, Organization, Practitioner


class Outcome(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries: ask for a new code
    MISSING = "missing"  # no code or link outstanding


def find_subject(npi: str) -> Practitioner | Organization | None:
    """The listed practitioner or organization with this NPI."""
    practitioner = Practitioner.objects.public().filter(npi=npi).first()
    if practitioner is not None:
        return practitioner
    return Organization.objects.public().filter(npi=npi).first() if npi else None


def practice_for(subject: Practitioner | Organization) -> Practice:
    field = "practitioner" if isinstance(subject, Practitioner) else "organization"
    practice, _created = Practice.objects.get_or_create(**{field: subject})
    return practice


def open_claim(user, practice: Practice, method: str) -> Claim:
    """The user's open claim on the practice (a second attempt continues it), or a new one."""
    claim = practice.claims.open().filter(user=user).first()
    if claim is None:
        claim = Claim.objects.create(practice=practice, user=user, method=method)
        record(
            "claim.started",
            actor=user,
            subject=claim,
            field="method",
            new=method,
            practice_key=practice.key,
        )
    elif claim.status == ClaimStatus.PROVING and claim.method != method:
        claim.method = method
        claim.save(update_fields=["method", "updated_at"])
    return claim


def _digest(secret: str, salt: str) -> str:
    # Keyed with SECRET_KEY: a copy of the table alone cannot be searched for the million
    # possible codes.
    return salted_hmac("careatlas.practices.proof", f"{salt}:{secret}").hexdigest()


def _new_proof(claim: Claim, kind: str, secret: str, minutes: int, **where) -> Proof:
    # Only the newest secret counts: asking again retires the earlier ones.
    claim.proofs.filter(kind=kind, used_at__isnull=True).update(used_at=timezone.now())
    salt = secrets.token_hex(16)
    return Proof.objects.create(
        claim=claim,
        kind=kind,
        salt=salt,
        secret_hash=_digest(secret, salt),
        expires_at=timezone.now() + timedelta(minutes=minutes),
        **where,
    )


def send_phone_code(claim: Claim, location: Location, channel: str) -> None:
    """Send a 6-digit code to the phone on file at `location` by text or voice call."""
    code = f"{secrets.randbelow(10**6):06d}"
    _new_proof(claim, ProofKind.PHONE_CODE, code, settings.CLAIM_CODE_MINUTES, location=location)
    spoken = " ".join(code) if channel == VOICE else code
    message = _(
        "Your %(site)s code to claim %(name)s is %(code)s. It expires in %(minutes)s minutes."
    ) % {
        "site": settings.SITE_NAME,
        "name": claim.practice.name,
        "code": spoken,
        "minutes": settings.CLAIM_CODE_MINUTES,
    }
    phone_sender().send(location.phone, message, channel)
    record(
        "claim.code_sent",
        actor=claim.user,
        subject=claim,
        field="channel",
        new=channel,
        practice_key=claim.practice.key,
    )


def send_email_link(claim: Claim, email: str) -> None:
    """Send a one-time link to an address at the practice's website domain."""
    token = secrets.token_urlsafe(32)
    _new_proof(claim, ProofKind.EMAIL_LINK, token, settings.CLAIM_LINK_MINUTES, email=email)
    link = settings.SITE_URL + reverse("practices:confirm_email", args=[claim.pk, token])
    notify.send_email(
        email,
        _("Confirm your claim of %(name)s") % {"name": claim.practice.name},
        "practices/email/claim_link.txt",
        {"claim": claim, "link": link, "minutes": settings.CLAIM_LINK_MINUTES},
    )
    record("claim.link_sent", actor=claim.user, subject=claim, practice_key=claim.practice.key)


def check_secret(claim: Claim, kind: str, secret: str) -> Outcome:
    """Compare `secret` with the claim's outstanding code or link; the claim is proved on a
    match. Each wrong try is counted atomically, so parallel guesses cannot exceed the limit."""
    proof = claim.proofs.filter(kind=kind, used_at__isnull=True).first()
    if proof is None:
        return Outcome.MISSING
    if proof.expires_at <= timezone.now():
        return Outcome.EXPIRED
    if proof.tries >= settings.CLAIM_CODE_TRIES:
        return Outcome.LOCKED
    if constant_time_compare(_digest(secret, proof.salt), proof.secret_hash):
        used = Proof.objects.filter(pk=proof.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            prove(claim)
            return Outcome.ACCEPTED
        return Outcome.MISSING
    Proof.objects.filter(pk=proof.pk).update(tries=F("tries") + 1)
    record("claim.code_failed", actor=claim.user, subject=claim, practice_key=claim.practice.key)
    tries = Proof.objects.values_list("tries", flat=True).get(pk=proof.pk)
    return Outcome.LOCKED if tries >= settings.CLAIM_CODE_TRIES else Outcome.WRONG


@transaction.atomic
def prove(claim: Claim) -> Claim:
    """The claimant proved control: the claim is approved, or goes to staff review if somebody
    else already manages the practice (never silently handed to the newcomer)."""
    # Lock the practice so two claimants proving at once cannot both become first owner.
    Practice.objects.select_for_update().filter(pk=claim.practice_id).first()
    owners = list(claim.practice.owners().exclude(user=claim.user).select_related("user"))
    if not owners:
        return approve_claim(claim)
    # The owners hear of it, so an impostor's attempt never goes unnoticed.
    for owner in owners:
        transaction.on_commit(
            lambda address=owner.user.email: notify.send_email(
                address,
                _("Someone else has claimed %(name)s") % {"name": claim.practice.name},
                "practices/email/second_claim.txt",
                {"claim": claim},
            )
        )
    return send_to_review(claim, _("The practice is already claimed by someone else."))


def send_to_review(claim: Claim, note: str) -> Claim:
    claim.status = ClaimStatus.IN_REVIEW
    claim.review_note = note
    claim.save(update_fields=["status", "review_note", "updated_at"])
    record(
        "claim.in_review",
        actor=claim.user,
        subject=claim,
        field="review_note",
        new=note,
        practice_key=claim.practice.key,
    )
    return claim


@transaction.atomic
def submit_documents(claim: Claim, files: dict[str, tuple[str, bytes]]) -> Claim:
    """Store each document (kind -> (detected type, bytes)) encrypted; staff review it."""
    claim.documents.all().delete()  # a fresh upload replaces an earlier one
    for kind, (content_type, data) in files.items():
        ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            content_type=content_type,
            size=len(data),
            ciphertext=encrypt_bytes(data),
        )
    if claim.method != ClaimMethod.DOCUMENTS:
        claim.method = ClaimMethod.DOCUMENTS
        claim.save(update_fields=["method", "updated_at"])
    return send_to_review(claim, _("Documents to check."))
