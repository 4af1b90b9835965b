"""App configuration: keeps the search index in step with published content and the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "careatlas.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Django's documented place to connect receivers: the receivers module imports
        # models, which cannot be imported while the app registry is still loading.
        from careatlas.search import receivers

        receivers.connect()
