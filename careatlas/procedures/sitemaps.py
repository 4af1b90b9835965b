"""sitemap.xml entries for every public page."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from careatlas.core.sitemaps import TranslatedSitemap
from careatlas.procedures.models import Condition, Guide, Specialty


class GuideSitemap(Sitemap):
    """Each guide at its own language's address, with its translations as alternates.

    Not a TranslatedSitemap: a guide's /es/ address without a Spanish translation shows the
    English text and names the English page as canonical, so it is no page of its own.
    """

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Guide.objects.published().select_related("procedure").order_by("pk")

    def location(self, guide: Guide) -> str:
        return guide.own_url()

    def lastmod(self, guide: Guide):
        return guide.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        translations: dict[int, list[Guide]] = {}
        for guide in (
            Guide.objects.published()
            .filter(procedure__in=[url["item"].procedure_id for url in urls])
            .select_related("procedure")
            .order_by("language")
        ):
            translations.setdefault(guide.procedure_id, []).append(guide)
        for url in urls:
            siblings = translations.get(url["item"].procedure_id, [])
            if len(siblings) < 2:
                continue
            links = {g.language: f"{protocol}://{domain}{g.own_url()}" for g in siblings}
            url["alternates"] = [{"lang_code": code, "location": at} for code, at in links.items()]
            if settings.LANGUAGE_CODE in links:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": links[settings.LANGUAGE_CODE]}
                )
        return urls


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
