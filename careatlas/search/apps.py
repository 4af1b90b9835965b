"""App configuration: keeps the search index in step with published content."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "careatlas.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from careatlas.procedures.signals import content_changed
        from careatlas.search.indexing import reindex_on_content_change
        from careatlas.search.providers.receivers import connect as connect_provider_receivers

        content_changed.connect(reindex_on_content_change, dispatch_uid="search.rebuild_index")
        # Provider search: reindex edited practitioners after commit, re-read topic words.
        connect_provider_receivers()
