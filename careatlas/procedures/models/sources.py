"""Citations: every figure on a page points at one of these."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

pmid_validator = RegexValidator(r"^\d{1,9}$", _("A PMID is a number of up to nine digits."))
pmcid_validator = RegexValidator(r"^PMC\d{3,9}$", _("A PMCID looks like PMC1234567."))
doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    _("A DOI starts with 10. and a registrant code, e.g. 10.1186/1471-2474-6-43."),
)


class Source(models.Model):
    key = models.SlugField(
        _("key"),
        max_length=120,
        unique=True,
        help_text=_("Short stable name used by the content pack, e.g. licciardone-2005-omt-lbp."),
    )
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("journal or publisher"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    pmid = models.CharField("PMID", max_length=12, blank=True, validators=[pmid_validator])
    pmcid = models.CharField("PMCID", max_length=14, blank=True, validators=[pmcid_validator])
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[doi_validator])
    url = models.URLField("URL", max_length=500, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source")
        constraints = [
            models.CheckConstraint(
                condition=~Q(pmid="") | ~Q(pmcid="") | ~Q(doi="") | ~Q(url=""),
                name="source_has_identifier",
                violation_error_message=_("Give at least one of PMID, PMCID, DOI or URL."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.year})"

    def clean(self) -> None:
        if not any([self.pmid, self.pmcid, self.doi, self.url]):
            raise ValidationError(
                _("Give at least one of PMID, PMCID, DOI or URL so readers can check it.")
            )

    @property
    def link(self) -> str:
        """The most durable link to the source: DOI, then PubMed Central, PubMed, URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmcid:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url
