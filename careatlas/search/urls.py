"""Search URLs: the results page, the search box's suggestions, and the provider search page."""

from django.urls import path

from careatlas.search import provider_views, views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("autocomplete", views.autocomplete, name="autocomplete"),
]
# The provider search page is the directory's front page (/providers/, "providers:find"):
# the root URLconf mounts it in the providers namespace, beside the profiles.
provider_urlpatterns = [
    path("", provider_views.find, name="find"),
]
