"""sitemap.xml entries for every public page."""

from django.urls import reverse

from careatlas.core.sitemaps import TranslatedSitemap
from careatlas.procedures.models import Condition, Guide, Specialty


class GuideSitemap(TranslatedSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # Each guide at its own language's address: a translation under /es/, and no /es/
        # entry for a guide that has none (that page is the English text).
        return Guide.objects.published().select_related("procedure").order_by("pk")

    def location(self, guide: Guide) -> str:
        return guide.own_url()

    def lastmod(self, guide: Guide):
        return guide.updated_at


class SpecialtySitemap(TranslatedSitemap):
    changefreq = "monthly"

    def items(self):
        return Specialty.objects.with_published_guides().order_by("pk")


class ConditionSitemap(TranslatedSitemap):
    changefreq = "monthly"

    def items(self):
        return Condition.objects.with_published_guides().order_by("pk")


class StaticSitemap(TranslatedSitemap):
    priority = 1.0

    def items(self):
        return [
            "procedures:home",
            "procedures:guides",
            "procedures:specialties",
            "procedures:conditions",
            "procedures:figure_policy",
            "procedures:editorial_policy",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "static": StaticSitemap,
    "guides": GuideSitemap,
    "specialties": SpecialtySitemap,
    "conditions": ConditionSitemap,
}
