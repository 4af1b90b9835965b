"""sitemap.xml sections for provider profiles (a million of them page in 50,000s)."""

from django.db.models import Q

from careatlas.core.sitemaps import TranslatedSitemap
from careatlas.providers.models import Organization, OrganizationKind, Practitioner
from careatlas.providers.registry_presenters import organization_url


class PractitionerSitemap(TranslatedSitemap):
    changefreq = "weekly"
    priority = 0.5
    # Search engines read at most 50,000 URLs per sitemap file (each language's address
    # counts: 25,000 profiles a file); the index lists the files.
    limit = 50_000

    def items(self):
        # Synthetic demo providers carry noindex and stay out of the sitemap.
        return (
            Practitioner.objects.public()
            .filter(is_demo=False)
            .only("npi", "first_name", "last_name", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, practitioner: Practitioner):
        return practitioner.updated_at


class OrganizationSitemap(TranslatedSitemap):
    """Hospitals (by CCN) and group practices (by PAC ID): the organizations with a page."""

    changefreq = "monthly"
    priority = 0.4
    limit = 50_000

    def items(self):
        with_page = Q(kind=OrganizationKind.HOSPITAL) & ~Q(ccn="") | Q(
            kind=OrganizationKind.PRACTICE
        ) & ~Q(pac_id="")
        return (
            Organization.objects.public()
            .filter(with_page, is_demo=False)
            .only("kind", "name", "ccn", "pac_id", "updated_at")
            .order_by("pk")
        )

    def location(self, organization: Organization) -> str:
        return organization_url(organization)

    def lastmod(self, organization: Organization):
        return organization.updated_at
