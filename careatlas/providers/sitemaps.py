"""sitemap.xml sections for provider profiles (a million of them page in 50,000s)."""

from django.contrib.sitemaps import Sitemap

from careatlas.providers.models import Practitioner


class PractitionerSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    # Search engines read at most 50,000 URLs per sitemap file; the index lists the pages.
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
