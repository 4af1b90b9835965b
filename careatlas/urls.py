"""Root URLs: operational endpoints, admin, and the translated public site."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from careatlas.accounts import urls as account_urls
from careatlas.core import views as core_views
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
# Staff sign in where everyone does (allauth: throttled, with the second factor); the
# admin's own password form is never shown. AdminRequiresMFAMiddleware guards its pages.
admin.site.login = secure_admin_login(admin.site.login)
# allauth's rate limits answer with this page; the project's own limits use it too.
handler429 = "careatlas.accounts.views.too_many_attempts"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("livez", core_views.livez, name="livez"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics_text, name="metrics"),
    path("robots.txt", core_views.robots_txt, name="robots"),
    path("language-offer", core_views.dismiss_language_offer, name="dismiss_language_offer"),
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
    path("about/privacy/", core_views.privacy, name="privacy"),
    path("search/", include("careatlas.search.urls")),
    path("accounts/", include((account_urls.urlpatterns, account_urls.app_name))),
    path("accounts/", include(account_urls.allauth_urlpatterns)),
    # One namespace for the directory's pages: the search page (search app) and the profiles.
    path(
        "providers/",
        include(
            (search_urls.provider_urlpatterns + directory_urls.urlpatterns, directory_urls.app_name)
        ),
    ),
    path("about/accuracy/", accuracy_views.directory_accuracy, name="accuracy"),
    path("", include("careatlas.consultations.urls")),
    path("", include("careatlas.practices.urls")),
    path("", include("careatlas.reviews.urls")),
    path("", include("careatlas.procedures.urls")),
    prefix_default_language=False,
)
