"""Provider search: the directory's half of the search module.

Views and the API call only what is exported here; the backend per database lives in
`careatlas.search.providers.backends` and is picked from the connection's vendor.
"""

from careatlas.search.providers.interface import (
    MAX_PAGE_SIZE,
    RADIUS_CHOICES,
    SORT_CHOICES,
    GeoPoint,
    NearbyRoles,
    ProviderHit,
    ProviderQuery,
    ProviderResults,
    ProviderSuggestion,
    autocomplete_providers,
    find_providers,
    indexed_near,
    rebuild_provider_index,
    reindex_practitioners,
    roles_near,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "RADIUS_CHOICES",
    "SORT_CHOICES",
    "GeoPoint",
    "NearbyRoles",
    "ProviderHit",
    "ProviderQuery",
    "ProviderResults",
    "ProviderSuggestion",
    "autocomplete_providers",
    "find_providers",
    "indexed_near",
    "rebuild_provider_index",
    "reindex_practitioners",
    "roles_near",
]
