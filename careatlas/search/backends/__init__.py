"""Full-text backends, one per database vendor, behind one small interface.

A query reaches a backend already reduced to clauses of plain [a-z0-9] words, so
each backend only compiles that structure to its own syntax and never sees user text.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db import connection

# A clause is satisfied by any one of its alternatives; an alternative is a run of
# words that must all occur ("physical therapy").
Alternative = tuple[str, ...]
Clause = tuple[Alternative, ...]


@dataclass(frozen=True)
class IndexedText:
    """What a backend indexes for one SearchDocument: folded title, keywords and body."""

    document_id: int
    language: str
    title: str
    keywords: str
    body: str


class Backend(Protocol):
    def replace_documents(self, rows: list[IndexedText]) -> None: ...

    def replace_terms(self) -> None: ...

    def match(
        self, clauses: list[Clause], language: str, require_all: bool, limit: int
    ) -> list[tuple[int, float]]:
        """(document id, relevance) pairs, most relevant first; relevance is > 0."""

    def prefix_terms(self, prefix: str, limit: int) -> list[str]: ...

    def similar_terms(self, word: str, limit: int) -> list[tuple[str, int]]:
        """(term, weight) pairs of vocabulary words that look like `word`."""


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        from careatlas.search.backends.postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from careatlas.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor!r} databases.")
