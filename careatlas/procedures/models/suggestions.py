"""Figures computed from public data and offered to a guide's editors, who accept or dismiss.

An importer never writes a guide's StatRange: it leaves a suggestion with its provenance,
and only an editor's "accept" turns it into a published figure (careatlas.procedures.
suggestions), so a figure an editor chose is never replaced behind their back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models.guides import Guide, StatKind, StatRange, StatUnit


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an editor")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")
    SUPERSEDED = "superseded", _("Replaced by newer data")


class Measure(models.TextChoices):
    """What a suggested figure measures; it decides the stat card and the unit."""

    MEDICARE_SERVICES = "medicare_services", _("Medicare services in a year")
    MEDICARE_ALLOWED = "medicare_allowed", _("Average Medicare allowed amount per service")


# The existing stat kinds, read the way the guide page shows them: Medicare services are
# the "US volume per year" card (a count, per_year) and the average allowed amount is the
# "Average cost (US)" card (usd). The qualifier written on accept says "Medicare" either way.
MEASURE_STAT = {
    Measure.MEDICARE_SERVICES: (StatKind.VOLUME, StatUnit.PER_YEAR),
    Measure.MEDICARE_ALLOWED: (StatKind.COST, StatUnit.USD),
}


class StatSuggestionQuerySet(models.QuerySet):
    def pending(self) -> "StatSuggestionQuerySet":
        return self.filter(status=SuggestionStatus.PENDING)


class StatSuggestion(models.Model):
    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="stat_suggestions", verbose_name=_("guide")
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("data year"))
    services = models.PositiveBigIntegerField(_("services counted"))
    practitioners = models.PositiveIntegerField(_("practitioners billing"))
    hcpcs_codes = models.JSONField(_("HCPCS code numbers"), default=list)
    # Provenance: which public file, which import run and which exact bytes.
    dataset = models.CharField(_("dataset"), max_length=200)
    dataset_url = models.URLField(_("dataset URL"), max_length=300)
    # A number, not a foreign key: guides must not depend on the imports app, and the
    # provenance must outlive a pruned import history.
    import_run = models.PositiveBigIntegerField(_("import run"), null=True, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("suggested at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    stat = models.ForeignKey(
        StatRange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("figure written"),
    )

    objects = StatSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "guide", "measure"]
        verbose_name = _("data-derived figure")
        verbose_name_plural = _("data-derived figures")
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "measure"],
                condition=Q(status="pending"),
                name="one_pending_suggestion_per_measure",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="suggestion_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.guide}: {self.get_measure_display()} {self.year}"

    @property
    def kind(self) -> str:
        return MEASURE_STAT[self.measure][0]

    @property
    def unit(self) -> str:
        return MEASURE_STAT[self.measure][1]

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING

    def current_stat(self) -> StatRange | None:
        """The guide's figure this suggestion would replace, if it has one."""
        return self.guide.stats.filter(kind=self.kind).select_related("source").first()
