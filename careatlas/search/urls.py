"""Search URLs: the results page and the search box's suggestions."""

from django.urls import path

from careatlas.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("autocomplete", views.autocomplete, name="autocomplete"),
]
