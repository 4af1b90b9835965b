"""Claims-based evidence: how often a practitioner performed a procedure for Medicare patients."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models import Procedure
from careatlas.providers.models.practitioners import Practitioner


class ProcedureVolume(models.Model):
    """Services and patients in one data year, summed over the procedure's HCPCS codes.

    Source: CMS "Medicare Physician & Other Practitioners - by Provider and Service". CMS
    suppresses counts under 11, so a missing row means "fewer than 11 or not billed".
    """

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="procedure_volumes"
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="medicare_volumes"
    )
    year = models.PositiveSmallIntegerField(_("data year"))
    services = models.PositiveIntegerField(_("services"))
    beneficiaries = models.PositiveIntegerField(_("Medicare patients"), null=True, blank=True)
    hcpcs_codes = models.JSONField(_("HCPCS code numbers"), default=list)
    # Sum of (average allowed amount x services): lets the importer compute an average
    # allowed amount per procedure across practitioners without keeping every row.
    allowed_total = models.DecimalField(
        _("total Medicare allowed amount (USD)"), max_digits=14, decimal_places=2, null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "procedure_id"]
        verbose_name = _("Medicare procedure volume")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "procedure", "year"], name="volume_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.year}: {self.services}"
