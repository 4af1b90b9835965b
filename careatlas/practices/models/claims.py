"""Claims on a practice, the secrets that prove them and the documents staff review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.practices.models.practices import Practice
from careatlas.providers.fields import EncryptedTextField
from careatlas.providers.models import Location


class ClaimMethod(models.TextChoices):
    PHONE = "phone", _("Code to the practice phone")
    EMAIL = "email", _("Link to an address at the practice’s website")
    DOCUMENTS = "documents", _("Documents reviewed by our staff")


class ClaimStatus(models.TextChoices):
    PROVING = "proving", _("Waiting for your proof")
    IN_REVIEW = "in_review", _("Waiting for our staff to review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


OPEN_STATUSES = (ClaimStatus.PROVING, ClaimStatus.IN_REVIEW)


class ClaimQuerySet(models.QuerySet):
    def open(self) -> "ClaimQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Claim(models.Model):
    """Someone's request to manage a practice, and what became of it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimant"),
        on_delete=models.CASCADE,
        related_name="practice_claims",
    )
    method = models.CharField(_("proof"), max_length=10, choices=ClaimMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PROVING
    )
    # Why staff must look (e.g. the practice is already claimed); shown to staff only.
    review_note = models.CharField(_("why it needs review"), max_length=200, blank=True)
    # Staff's reason for a rejection or revocation: the claimant sees it.
    reason = models.TextField(_("reason given to the claimant"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        constraints = [
            # One open claim per person per practice: a second attempt continues the first.
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=Q(status__in=["proving", "in_review"]),
                name="one_open_claim_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Claim')} #{self.pk} – {self.practice}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProofKind(models.TextChoices):
    PHONE_CODE = "phone_code", _("Code sent to a phone")
    EMAIL_LINK = "email_link", _("Link sent by email")


class Proof(models.Model):
    """A secret sent to the practice; only its keyed hash is kept."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="proofs")
    kind = models.CharField(max_length=12, choices=ProofKind.choices)
    # The phone on file it went to (by location), or the address at the practice's domain.
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True)
    email = EncryptedTextField(blank=True)
    secret_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proof")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DocumentKind(models.TextChoices):
    LICENSE = "license", _("Professional license")
    PHOTO_ID = "photo_id", _("Photo ID")


class ClaimDocument(models.Model):
    """An uploaded document, encrypted at rest and deleted once staff decide."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    # Detected from the file's first bytes, never from its name or declared type.
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    # A Fernet token of the file (careatlas.practices.uploads); no file name is kept.
    ciphertext = models.TextField(editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("claim document")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.content_type})"
