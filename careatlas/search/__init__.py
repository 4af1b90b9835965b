"""Search over guides, conditions and specialties (and providers, later).

The interface other apps use::

    from careatlas.search import search, autocomplete, rebuild_index

Names are loaded on first use, because this package is imported while Django is
still loading apps and the interface needs the models.
"""

from typing import TYPE_CHECKING

_EXPORTS = {
    "search": "careatlas.search.query",
    "autocomplete": "careatlas.search.query",
    "rebuild_index": "careatlas.search.indexing",
    "SearchResults": "careatlas.search.results",
    "Hit": "careatlas.search.results",
    "Group": "careatlas.search.results",
    "Suggestion": "careatlas.search.results",
}
__all__ = [
    "Group",
    "Hit",
    "SearchResults",
    "Suggestion",
    "autocomplete",
    "rebuild_index",
    "search",
]

if TYPE_CHECKING:
    from careatlas.search.indexing import rebuild_index
    from careatlas.search.query import autocomplete, search
    from careatlas.search.results import Group, Hit, SearchResults, Suggestion


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_EXPORTS[name]), name)
