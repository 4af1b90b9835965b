"""Provider directory URLs."""

from django.urls import path, register_converter

from careatlas.providers import organization_views, photo_views, profile_views


class NPIConverter:
    regex = "[0-9]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DigestConverter:
    regex = "[0-9a-f]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NPIConverter, "npi")
register_converter(DigestConverter, "hex")

app_name = "providers"
# The search page at the top of these URLs ("providers:find") belongs to the search app, which
# builds on this one; careatlas/urls.py mounts it in this namespace.
urlpatterns = [
    path("<npi:npi>/", profile_views.profile_by_npi, name="profile_by_npi"),
    path("<npi:npi>/report/", profile_views.report, name="report"),
    path("<npi:npi>/photo/<hex:digest>.jpg", photo_views.photo, name="photo"),
    path("<npi:npi>/report/thanks/", profile_views.report_thanks, name="report_thanks"),
    path("<npi:npi>/<slug:slug>/", profile_views.profile, name="profile"),
    path("hospitals/<str:ccn>/<slug:slug>/", organization_views.hospital, name="hospital"),
    path("practices/<str:pac_id>/<slug:slug>/", organization_views.practice, name="practice"),
]
