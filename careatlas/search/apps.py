"""Search over guides, conditions and specialties (and providers, later)."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "careatlas.search"
    label = "search"
