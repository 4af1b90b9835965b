"""Provider search: the directory's half of the search module.

Views and the API call only what is exported here; the backend per database lives in
`careatlas.search.providers.backends` and is picked from the connection's vendor.
"""

from careatlas.search.providers.interface import (
    MAX_PAGE_SIZE,
    RADIUS_CHOICES,
    SORT_CHOICES,
    GeoPoint,
    ProviderHit,
    ProviderQuery,
    ProviderResults,
    ProviderSuggestion,
    autocomplete_providers,
    find_providers,
    rebuild_provider_index,
    reindex_practitioners,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "RADIUS_CHOICES",
    "SORT_CHOICES",
    "GeoPoint",
    "ProviderHit",
    "ProviderQuery",
    "ProviderResults",
    "ProviderSuggestion",
    "autocomplete_providers",
    "find_providers",
    "rebuild_provider_index",
    "reindex_practitioners",
]
