"""The search module's public interface: pages, the API, FHIR and importers import only this.

Guides, conditions and specialties::

    search(query, language, limit) -> SearchResults
    autocomplete(prefix, language, limit) -> list[Suggestion]
    rebuild_index() / refresh_index()

Providers::

    find_providers(ProviderQuery) -> ProviderResults
    autocomplete_providers(prefix, limit) -> list[ProviderSuggestion]
    roles_near(...) / locations_near(...) / indexed_near(...)  (FHIR's searches near a point)
    indexed_names(text, surname_first)             (FHIR's searches by name)
    rebuild_provider_index(stats) / reindex_practitioners(ids)

The provider search page's form (`ProviderSearchForm`, `Choices`) validates the API's
parameters too. This is a module of its own, not the package's `__init__`, because Django
imports the package while the app registry is loading, before any model can be imported.
"""

from careatlas.search.backends.values import BuildStats
from careatlas.search.indexing import (
    rebuild_index,
    rebuild_provider_index,
    refresh_index,
    reindex_practitioners,
)
from careatlas.search.presenters import kind_label
from careatlas.search.provider_form import (
    LANGUAGE_CODES,
    QUERY_KEYS,
    Choices,
    ProviderSearchForm,
)
from careatlas.search.provider_query import (
    autocomplete_providers,
    find_providers,
    indexed_names,
    indexed_near,
    locations_near,
    roles_near,
)
from careatlas.search.provider_results import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS,
    MAX_PAGE_SIZE,
    RADIUS_CHOICES,
    SORT_CHOICES,
    GeoPoint,
    NearbyPlaces,
    NearbyRoles,
    ProviderHit,
    ProviderQuery,
    ProviderResults,
    ProviderSuggestion,
)
from careatlas.search.query import autocomplete, search
from careatlas.search.results import Group, Hit, SearchResults, Suggestion
from careatlas.search.text import MAX_QUERY_LENGTH

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_RADIUS",
    "LANGUAGE_CODES",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_LENGTH",
    "QUERY_KEYS",
    "RADIUS_CHOICES",
    "SORT_CHOICES",
    "BuildStats",
    "Choices",
    "GeoPoint",
    "Group",
    "Hit",
    "NearbyPlaces",
    "NearbyRoles",
    "ProviderHit",
    "ProviderQuery",
    "ProviderResults",
    "ProviderSearchForm",
    "ProviderSuggestion",
    "SearchResults",
    "Suggestion",
    "autocomplete",
    "autocomplete_providers",
    "find_providers",
    "indexed_names",
    "indexed_near",
    "locations_near",
    "kind_label",
    "rebuild_index",
    "rebuild_provider_index",
    "refresh_index",
    "reindex_practitioners",
    "roles_near",
    "search",
]
