"""Reads of procedure content: every public query starts here."""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


class GuideQuerySet(models.QuerySet):
    def published(self) -> "GuideQuerySet":
        return self.filter(status="published")

    def in_language(self, language: str) -> "GuideQuerySet":
        return self.filter(language=language)

    def review_overdue(self, today=None) -> "GuideQuerySet":
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def for_page(self) -> "GuideQuerySet":
        """Everything a guide page shows, in a fixed, small number of queries."""
        from careatlas.procedures.models import GuideSource, StatRange

        return self.select_related("procedure__specialty").prefetch_related(
            Prefetch("stats", queryset=StatRange.objects.select_related("source")),
            "questions",
            "faq",
            Prefetch("guide_sources", queryset=GuideSource.objects.select_related("source")),
            "procedure__codes",
        )

    def pick_language(self, language: str) -> "GuideQuerySet":
        """Guides in `language` where they exist, else in the site's default language."""
        default = settings.LANGUAGE_CODE
        if language == default:
            return self.filter(language=default)
        have = self.filter(language=language).values("procedure_id")
        return self.filter(
            models.Q(language=language)
            | (models.Q(language=default) & ~models.Q(procedure_id__in=have))
        )


class SpecialtyQuerySet(models.QuerySet):
    def with_published_guides(self) -> "SpecialtyQuerySet":
        return self.filter(procedures__guides__status="published").distinct()


class ConditionQuerySet(models.QuerySet):
    def with_published_guides(self) -> "ConditionQuerySet":
        return self.filter(procedures__guides__status="published").distinct()
