"""A patient's consultation request to a practice: patient details encrypted, token hashed."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.consultations.timing import overdue_if_sent_before
from careatlas.practices.models import Membership, Practice
from careatlas.practices.models.practices import token_digest
from careatlas.procedures.models import Procedure
from careatlas.providers.fields import EncryptedTextField
from careatlas.providers.models import Location

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MESSAGE_MAX_CHARS = 2000


class Status(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


# Requests in these states are finished: the retention clock runs from `finished_at`.
FINISHED = (Status.CLOSED, Status.DECLINED)


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")


class AgeRange(models.TextChoices):
    UNDER_18 = "under-18", _("Under 18")
    FROM_18 = "18-39", _("18 to 39")
    FROM_40 = "40-64", _("40 to 64")
    FROM_65 = "65-plus", _("65 or older")


def new_token() -> str:
    """The status link's secret: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def new_reference() -> str:
    """A short reference like "K7M2-9QXD" (40 bits): for talking about a request, not opening it."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class ConsultationRequestQuerySet(models.QuerySet):
    def for_member(self, membership: Membership) -> "ConsultationRequestQuerySet":
        """The requests of the member's practice at the locations they may see."""
        mine = self.filter(practice_id=membership.practice_id)
        if membership.is_owner or membership.all_locations:
            return mine
        return mine.filter(location__in=membership.locations.values("pk"))

    def with_token(self, token: str) -> "ConsultationRequestQuerySet":
        return self.filter(token_hash=token_digest(token))

    def open(self) -> "ConsultationRequestQuerySet":
        return self.exclude(status__in=FINISHED)

    def overdue(self, now=None) -> "ConsultationRequestQuerySet":
        """New requests past the practice's response-time target (timing.is_overdue)."""
        return self.filter(status=Status.NEW, created_at__lt=overdue_if_sent_before(now))

    def status_counts(self) -> dict[str, int]:
        """How many requests are in each status, every status present (one query)."""
        counts = dict.fromkeys(Status.values, 0)
        rows = self.order_by().values_list("status").annotate(n=models.Count("id"))
        counts.update(dict(rows))
        return counts

    def expired(self, now=None) -> "ConsultationRequestQuerySet":
        """Finished requests kept longer than CONSULTATION_RETENTION_DAYS: due for deletion."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.CONSULTATION_RETENTION_DAYS)
        return self.filter(status__in=FINISHED, finished_at__lt=cutoff)


class ConsultationRequest(models.Model):
    """One request. Everything the patient typed is encrypted; the practice's notes too."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="consultation_requests"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.SET_NULL, null=True, blank=True
    )
    reference = models.CharField(_("reference"), max_length=9, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    # What the patient sent: encrypted at rest (careatlas.providers.fields, MultiFernet).
    name = EncryptedTextField(_("name"))
    birth_date = EncryptedTextField(_("date of birth"), blank=True)
    age_range = EncryptedTextField(_("age range"), blank=True)
    contact_method = models.CharField(_("contact by"), max_length=5, choices=ContactMethod.choices)
    email = EncryptedTextField(_("email"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    self_pay = models.BooleanField(_("self-pay"), default=False)
    insurance = EncryptedTextField(_("insurance plan"), blank=True)
    preferred_times = EncryptedTextField(_("preferred days and times"), blank=True)
    questions = EncryptedTextField(_("questions to discuss"), blank=True)
    message = EncryptedTextField(_("message"), blank=True)
    # The language of the page the patient wrote from: every email to them uses it, whoever
    # causes the email (an office member working in English, a moderator).
    language = models.CharField(
        _("patient's language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        editable=False,
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    # The practice's reason for declining: the patient sees it on the status page.
    decline_reason = EncryptedTextField(_("reason given to the patient"), blank=True)
    # Only the practice sees these.
    notes = EncryptedTextField(_("notes for the practice"), blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    finished_at = models.DateTimeField(_("closed or declined"), null=True, blank=True)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consultation request")
        indexes = [models.Index(fields=["practice", "status"], name="request_practice_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["closed", "declined"], finished_at__isnull=False)
                | (~Q(status__in=["closed", "declined"]) & Q(finished_at__isnull=True)),
                name="finished_requests_have_a_date",
            )
        ]

    def __str__(self) -> str:
        # What the audit trail files the request under: the reference, never a patient detail.
        return f"{_('Request')} {self.reference}"

    @property
    def question_list(self) -> list[str]:
        return [q for q in self.questions.splitlines() if q.strip()]

    @property
    def age(self) -> str:
        """The date of birth if given, else the age range's label."""
        if self.birth_date:
            return self.birth_date
        return AgeRange(self.age_range).label if self.age_range in AgeRange.values else ""

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
