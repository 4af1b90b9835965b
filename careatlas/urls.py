"""Root URLs: operational endpoints, admin, and the translated public site."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from careatlas.core import views as core_views
from careatlas.core.signin import ThrottledAdminAuthenticationForm
from careatlas.procedures.sitemaps import SITEMAPS as CONTENT_SITEMAPS
from careatlas.providers import accuracy_views
from careatlas.providers import urls as directory_urls
from careatlas.providers.sitemaps import OrganizationSitemap, PractitionerSitemap
from careatlas.search import urls as search_urls

SITEMAPS = {
    **CONTENT_SITEMAPS,
    "providers": PractitionerSitemap,
    "organizations": OrganizationSitemap,
}

admin.site.site_header = _("CareAtlas editors")
admin.site.site_title = _("CareAtlas back office")
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots"),
    # An index of one file per section: provider profiles alone exceed one file's 50,000 URLs.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("careatlas.api.urls")),
    path("fhir/", include("careatlas.fhir.urls")),
]
urlpatterns += i18n_patterns(
    path("search/", include("careatlas.search.urls")),
    # One namespace for the directory's pages: the search page (search app) and the profiles.
    path(
        "providers/",
        include(
            (search_urls.provider_urlpatterns + directory_urls.urlpatterns, directory_urls.app_name)
        ),
    ),
    path("about/accuracy/", accuracy_views.directory_accuracy, name="accuracy"),
    path("", include("careatlas.procedures.urls")),
    prefix_default_language=False,
)
