"""A condition's page in one language: what it is, symptoms, red flags, self-care, sourced."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models.sources import Source
from careatlas.procedures.models.taxonomy import Condition


class ConditionSection(models.TextChoices):
    # The order here is the order of the sections on the page.
    WHAT_IT_IS = "what_it_is", _("What it is")
    SYMPTOMS = "symptoms", _("Common symptoms")
    RED_FLAGS = "red_flags", _("When to see a doctor")
    SELF_CARE = "self_care", _("What you can do yourself")


class ConditionPageQuerySet(models.QuerySet):
    def for_page(self) -> "ConditionPageQuerySet":
        return self.prefetch_related(
            models.Prefetch(
                "page_sources", queryset=ConditionPageSource.objects.select_related("source")
            )
        )


class ConditionPage(models.Model):
    """The words of a condition page; `Condition` keeps what is the same in every language."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="pages")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    what_it_is = models.TextField(_("what it is (Markdown)"))
    symptoms = models.TextField(_("common symptoms (Markdown)"))
    red_flags = models.TextField(_("when to see a doctor (Markdown)"))
    self_care = models.TextField(_("self-care with evidence (Markdown)"), blank=True)
    updated_on = models.DateField(_("last updated"))

    objects = ConditionPageQuerySet.as_manager()

    class Meta:
        ordering = ["condition__name"]
        verbose_name = _("condition page")
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language"], name="one_condition_page_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition} [{self.language}]"


class ConditionPageSource(models.Model):
    page = models.ForeignKey(ConditionPage, on_delete=models.CASCADE, related_name="page_sources")
    section = models.CharField(_("section"), max_length=20, choices=ConditionSection.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "section", "source"], name="cite_source_once_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.section}: {self.source_id}"
