"""SQLite backend: FTS5 with the porter stemmer for documents, trigrams for the vocabulary."""

from django.db import connection

from careatlas.search.backends import Clause, IndexedText
from careatlas.search.models import SearchTerm
from careatlas.search.text import trigrams


def _quoted(word: str) -> str:
    # Words are [a-z0-9]+ by construction; quoting makes FTS5 read NEAR/AND/OR as words.
    return f'"{word}"'


def _compile(clauses: list[Clause], require_all: bool) -> str:
    parts = []
    for clause in clauses:
        options = [
            _quoted(alt[0]) if len(alt) == 1 else "(" + " AND ".join(map(_quoted, alt)) + ")"
            for alt in clause
        ]
        parts.append("(" + " OR ".join(options) + ")")
    return (" AND " if require_all else " OR ").join(parts)


class SQLiteBackend:
    def replace_documents(self, rows: list[IndexedText]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document_fts")
            cursor.executemany(
                "INSERT INTO search_document_fts (rowid, title, keywords, body, language)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(r.document_id, r.title, r.keywords, r.body, r.language) for r in rows],
            )

    def replace_terms(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_term_trigram")
            cursor.execute(
                "INSERT INTO search_term_trigram (rowid, term)"
                " SELECT id, term FROM search_searchterm"
            )

    def match(
        self, clauses: list[Clause], language: str, require_all: bool, limit: int
    ) -> list[tuple[int, float]]:
        if not clauses:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                # bm25 weights in column order: title, keywords, body, language (unindexed).
                "SELECT rowid, bm25(search_document_fts, 10.0, 4.0, 1.0, 0.0)"
                " FROM search_document_fts"
                " WHERE search_document_fts MATCH %s AND language = %s"
                " ORDER BY 2 LIMIT %s",
                [_compile(clauses, require_all), language, limit],
            )
            # bm25 is negative, lower is better.
            return [(rowid, -score) for rowid, score in cursor.fetchall()]

    def prefix_terms(self, prefix: str, limit: int) -> list[str]:
        # A range scan on the unique index; LIKE would be case-insensitive and unindexed.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return list(
            SearchTerm.objects.filter(term__gte=prefix, term__lt=upper)
            .order_by("-weight", "term")
            .values_list("term", flat=True)[:limit]
        )

    def similar_terms(self, word: str, limit: int) -> list[tuple[str, int]]:
        grams = trigrams(word)
        if not grams:
            return []
        with connection.cursor() as cursor:
            # Words sharing the most (and rarest) three-letter pieces with `word`.
            cursor.execute(
                "SELECT term, weight FROM search_searchterm WHERE id IN ("
                " SELECT rowid FROM search_term_trigram WHERE search_term_trigram MATCH %s"
                " ORDER BY rank LIMIT %s)",
                [" OR ".join(f'"{g}"' for g in grams), limit],
            )
            return cursor.fetchall()
