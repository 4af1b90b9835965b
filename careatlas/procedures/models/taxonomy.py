"""Language-neutral identities: specialties, conditions, procedures and their billing codes."""

import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

nucc_code_validator = RegexValidator(
    r"^[0-9A-Z]{9}X$", _("A NUCC taxonomy code has ten characters ending in X.")
)
procedure_code_validator = RegexValidator(
    r"^[0-9A-Z]\d{3}[0-9A-Z]$",
    _("Enter a five-character HCPCS/CPT code number only, never its descriptor."),
)


class SpecialtyQuerySet(models.QuerySet):
    def with_published_guides(self) -> "SpecialtyQuerySet":
        return self.filter(procedures__guides__status="published").distinct()


class ConditionQuerySet(models.QuerySet):
    def with_published_guides(self) -> "ConditionQuerySet":
        return self.filter(procedures__guides__status="published").distinct()


class NamedInLanguages(models.Model):
    """A name and synonyms per language beyond the site's own (content/names/<lang>.yaml).

    A JSON field, not a table: a few dozen rows, always read with their owner, and one
    language file writes them all.
    """

    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('For example {"es": {"name": "Lumbalgia", "synonyms": ["dolor lumbar"]}}.'),
    )

    class Meta:
        abstract = True

    def default_name(self) -> str:
        return getattr(self, "name", "")

    def name_in(self, language: str) -> str:
        """The name in `language`, else the site language's."""
        if language != settings.LANGUAGE_CODE:
            name = self.names.get(language, {}).get("name")
            if name:
                return name
        return self.default_name()

    def synonyms_in(self, language: str) -> list[str]:
        """Synonyms in `language` only (the site language's live in their own fields)."""
        return list(self.names.get(language, {}).get("synonyms", []))

    @property
    def local_name(self) -> str:
        """The name in the language of the page being shown."""
        return self.name_in(get_language() or settings.LANGUAGE_CODE)


def in_local_name_order(objects) -> list:
    """Specialties or conditions in the order of their names in the page's language
    ("Úlcera" among the u's): the database orders by the site language's name only."""
    return sorted(objects, key=lambda o: unicodedata.normalize("NFKD", o.local_name.casefold()))


class Specialty(NamedInLanguages):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    nucc_codes = models.JSONField(
        _("NUCC taxonomy codes"),
        default=list,
        blank=True,
        help_text=_("Provider taxonomy codes that belong to this specialty, e.g. 204D00000X."),
    )

    objects = SpecialtyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procedures:specialty", args=[self.slug])


class Condition(NamedInLanguages):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    synonyms = models.JSONField(
        _("synonyms"),
        default=list,
        blank=True,
        help_text=_("Other words patients use, e.g. lumbago."),
    )
    summary = models.TextField(_("summary"), blank=True)
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditions",
    )

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("condition")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procedures:condition", args=[self.slug])


class Procedure(NamedInLanguages):
    """What a procedure is, whatever the language: its guides hold the words."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="procedures"
    )
    synonyms = models.JSONField(_("synonyms and abbreviations"), default=list, blank=True)
    alternatives = models.ManyToManyField(
        "self",
        verbose_name=_("alternatives"),
        symmetrical=False,
        blank=True,
        related_name="alternative_to",
    )
    conditions = models.ManyToManyField(
        Condition, verbose_name=_("conditions treated"), blank=True, related_name="procedures"
    )
    illustration_svg = models.TextField(_("illustration (SVG)"), blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("procedure")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("procedures:guide", args=[self.slug])


class ProcedureCode(models.Model):
    """A HCPCS/CPT number for joining claims data; never its (AMA-copyrighted) descriptor."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(
        _("HCPCS/CPT code"), max_length=5, validators=[procedure_code_validator], db_index=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure code")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="unique_procedure_code")
        ]

    def __str__(self) -> str:
        return self.code
