"""Reports of incorrect information from the public, reviewed in the admin queue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careatlas.providers.fields import EncryptedTextField
from careatlas.providers.models.practitioners import Practitioner
from careatlas.providers.models.verification import Fact, Verification

OTHER = "other"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    # A report is an "informe": Spanish needs the masculine, unlike a rejected review.
    REJECTED = "rejected", pgettext_lazy("report", "Rejected")


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(status="open")


class IncorrectInfoReport(models.Model):
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    fact = models.CharField(
        _("what is wrong"),
        max_length=24,
        choices=[*Fact.choices, (OTHER, _("Something else"))],
    )
    fact_key = models.CharField(
        _("fact key"), max_length=40, help_text=_("The fact and the id of the object it is about.")
    )
    about = models.CharField(
        _("about"), max_length=300, help_text=_("The fact as the profile showed it.")
    )
    verification = models.ForeignKey(
        Verification,
        verbose_name=_("verification disputed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    details = models.TextField(_("details"), max_length=2000)
    # Optional, encrypted at rest; shown only in the admin and never logged.
    contact = EncryptedTextField(_("contact"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incorrect information report")

    def __str__(self) -> str:
        # Never includes the contact.
        return f"{self.get_fact_display()}: {self.practitioner_id} ({self.get_status_display()})"
