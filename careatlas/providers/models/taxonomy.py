"""The NUCC Health Care Provider Taxonomy code set, as imported, and our specialty for each code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models import Specialty
from careatlas.procedures.models.taxonomy import nucc_code_validator

# The licence of the code set asks for this wherever its names are shown.
NUCC_ATTRIBUTION = _(
    "Provider types from the NUCC Health Care Provider Taxonomy code set, nucc.org."
)


class TaxonomyCode(models.Model):
    """One NUCC code: grouping > classification > specialization, and NUCC's display name."""

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[nucc_code_validator])
    grouping = models.CharField(_("grouping"), max_length=200)
    classification = models.CharField(_("classification"), max_length=200)
    specialization = models.CharField(_("specialization"), max_length=200, blank=True)
    display_name = models.CharField(_("display name"), max_length=250, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    section = models.CharField(_("section"), max_length=20, blank=True)
    version = models.CharField(_("code set version"), max_length=10, blank=True)
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taxonomy_codes",
        help_text=_("Our specialty for this code, from the mapping in the content pack."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUCC taxonomy code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """NUCC's display name, or the classification and specialization it stands for."""
        if self.display_name:
            return self.display_name
        return ", ".join(p for p in (self.classification, self.specialization) if p)
