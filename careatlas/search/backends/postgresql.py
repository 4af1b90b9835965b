"""PostgreSQL backend: a weighted tsvector (A title, B keywords, C body) and pg_trgm."""

from django.db import connection

from careatlas.search.backends import Clause, IndexedText
from careatlas.search.models import SearchTerm


def _compile(clauses: list[Clause], require_all: bool) -> str:
    # Words are [a-z0-9]+ by construction, so they cannot carry tsquery operators.
    parts = []
    for clause in clauses:
        options = [alt[0] if len(alt) == 1 else "(" + " & ".join(alt) + ")" for alt in clause]
        parts.append("(" + " | ".join(options) + ")")
    return (" & " if require_all else " | ").join(parts)


class PostgreSQLBackend:
    def replace_documents(self, rows: list[IndexedText]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_searchdocument SET search_vector ="
                " setweight(to_tsvector('english', %s), 'A')"
                " || setweight(to_tsvector('english', %s), 'B')"
                " || setweight(to_tsvector('english', %s), 'C')"
                " WHERE id = %s",
                [(r.title, r.keywords, r.body, r.document_id) for r in rows],
            )

    def replace_terms(self) -> None:
        # The trigram index follows the table by itself; fresh statistics keep the
        # planner on the b-tree for exact lookups right after a rebuild.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchterm, search_searchdocument")

    def match(
        self, clauses: list[Clause], language: str, require_all: bool, limit: int
    ) -> list[tuple[int, float]]:
        if not clauses:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                # Weights are {D, C, B, A}; normalisation 1 damps long bodies.
                "SELECT id, ts_rank('{0.05, 0.2, 0.5, 1.0}', search_vector, query, 1) AS relevance"
                " FROM search_searchdocument, to_tsquery('english', %s) query"
                " WHERE language = %s AND search_vector @@ query"
                " ORDER BY relevance DESC, id LIMIT %s",
                [_compile(clauses, require_all), language, limit],
            )
            return [(pk, float(rank) or 1e-6) for pk, rank in cursor.fetchall()]

    def prefix_terms(self, prefix: str, limit: int) -> list[str]:
        # startswith becomes LIKE 'x%', served by Django's varchar_pattern_ops index.
        return list(
            SearchTerm.objects.filter(term__startswith=prefix)
            .order_by("-weight", "term")
            .values_list("term", flat=True)[:limit]
        )

    def similar_terms(self, word: str, limit: int) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            # `%%` is pg_trgm's similarity operator (threshold 0.3), served by the GIN index.
            cursor.execute(
                "SELECT term, weight FROM search_searchterm WHERE term %% %s"
                " ORDER BY similarity(term, %s) DESC, weight DESC LIMIT %s",
                [word, word, limit],
            )
            return cursor.fetchall()
