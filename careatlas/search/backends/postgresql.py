"""PostgreSQL backend: tsvectors for guides and names, a GiST point index for the radius.

Guides: a weighted tsvector (A title, B keywords, C body) ranked by ts_rank, and pg_trgm for
their vocabulary. Providers: a GIN tsvector of names and facets; a radius search takes the
GiST box around the circle (the same box as SQLite's R*Tree), then cuts at the exact
great-circle distance from earthdistance's `<@>` operator (haversine in statute miles on a
3,958.747-mile sphere, scaled to our 3,958.7613 so both databases cut at the same place).
"""

from collections.abc import Collection, Iterable

from django.db import connection

from careatlas.providers.geocoding import EARTH_RADIUS_MILES
from careatlas.search.backends.base import Codes, Ids
from careatlas.search.backends.filters import (
    FilterTerms,
    VolumeTerms,
)
from careatlas.search.backends.postgresql_index import PostgreSQLIndexWriter
from careatlas.search.backends.values import (
    ENTRY_ID_COLUMNS,
    Circle,
    Clause,
    Criteria,
    Order,
    PhraseClause,
    TermRow,
)
from careatlas.search.models import SearchTerm

# The sphere earthdistance's <@> measures on (statute miles, its EARTH_RADIUS).
EARTHDISTANCE_RADIUS_MILES = 3958.747
_ROW_COLUMNS = (
    "e.practitioner_id, e.role_id, e.location_id, e.latitude, e.longitude, e.flags,"
    " e.verified_until, e.certified_until, e.specialty_ids"
)


def _columns(volume: VolumeTerms) -> str:
    return f"{_ROW_COLUMNS}, {volume.column} AS procedure_volume, e.name_ordinal, e.rating"


def _phrases(clauses: list[PhraseClause], require_all: bool) -> str:
    # Words are [a-z0-9]+ by construction, so they cannot carry tsquery operators.
    parts = []
    for clause in clauses:
        options = [alt[0] if len(alt) == 1 else "(" + " & ".join(alt) + ")" for alt in clause]
        parts.append("(" + " | ".join(options) + ")")
    return (" & " if require_all else " | ").join(parts)


def _lexeme(token: str) -> str:
    # Tokens are [a-z0-9_]+ by construction; quoting keeps tsquery from parsing them.
    return f"'{token}'"


def _tsquery(groups: list[list[str]]) -> str:
    return " & ".join("(" + " | ".join(map(_lexeme, group)) + ")" for group in groups)


class Filters(FilterTerms):
    always_true = "true"

    def contains(self, column: str, value) -> str:
        self.params[column] = value
        return f"%({column})s = ANY(e.{column})"

    def _clause(self, clause: Clause) -> str:
        tests = []
        for column, values, cast in (
            ("specialty_ids", sorted(clause.specialty_ids), "integer[]"),
            ("procedure_ids", sorted(clause.procedure_ids), "integer[]"),
            ("name_terms", sorted(clause.name_terms), "text[]"),
        ):
            if values:
                name = f"clause_{len(self.params)}"
                self.params[name] = values
                tests.append(f"e.{column} && %({name})s::{cast}")
        return "(" + " OR ".join(tests or ["false"]) + ")"


def circle_params(circle: Circle) -> dict:
    return {
        "lat": circle.latitude,
        "lon": circle.longitude,
        **circle.box_params(),
        "reach": circle.radius_miles * EARTHDISTANCE_RADIUS_MILES / EARTH_RADIUS_MILES,
    }


def _order_sql(order: Order, by_distance: bool) -> str:
    tail = "distance_key, practitioner_id" if by_distance else "name_ordinal"
    if order is Order.NAME:
        return "name_ordinal"
    if order is Order.VOLUME:
        return f"procedure_volume DESC NULLS LAST, {tail}"
    if order is Order.RATING:
        return f"rating DESC, {tail}"
    return tail


def _best_page(best: str, order: Order, by_distance: bool) -> tuple[str, str]:
    """A page of the practitioners' `best` rows (one each) with their count, and the count's
    SQL (see Backend.page_of)."""
    sql = (
        f"SELECT *, count(*) OVER () FROM ({best}) best"  # noqa: S608
        f" ORDER BY {_order_sql(order, by_distance)} LIMIT %(limit)s OFFSET %(offset)s"
    )
    return sql, f"SELECT count(*) FROM ({best}) best"  # noqa: S608


class PostgreSQLBackend(PostgreSQLIndexWriter):
    """Searches guides and providers; the index is written by PostgreSQLIndexWriter."""

    filter_terms = Filters

    @staticmethod
    def ids(value) -> tuple[int, ...]:
        return tuple(value)

    # -- guides ---------------------------------------------------------------------------
    def match_documents(
        self, clauses: list[PhraseClause], language: str, require_all: bool, limit: int
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
                [_phrases(clauses, require_all), language, limit],
            )
            return [(pk, float(rank) or 1e-6) for pk, rank in cursor.fetchall()]

    def document_prefix_terms(self, prefix: str, language: str, limit: int) -> list[str]:
        # startswith becomes LIKE 'x%', served by Django's varchar_pattern_ops index.
        return list(
            SearchTerm.objects.filter(term__startswith=prefix, language=language)
            .order_by("-weight", "term")
            .values_list("term", flat=True)[:limit]
        )

    def document_similar_terms(self, word: str, language: str, limit: int) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            # `%%` is pg_trgm's similarity operator (threshold 0.3), served by the GIN index.
            cursor.execute(
                "SELECT term, weight FROM search_searchterm WHERE term %% %s AND language = %s"
                " ORDER BY similarity(term, %s) DESC, weight DESC LIMIT %s",
                [word, language, word, limit],
            )
            return cursor.fetchall()

    # -- providers ------------------------------------------------------------------------

    candidate_columns = "n.ordinal, n.practitioner_id"
    ordered_join = "JOIN"

    def within_sql(self, criteria: Criteria, circle: Circle, order: Order) -> tuple[str, str, dict]:
        volume, filters, params = self.query_terms(criteria, order, **circle_params(circle))
        best = (
            f"SELECT DISTINCT ON (e.practitioner_id) {_columns(volume)},"  # noqa: S608
            " e.location <@> point(%(lon)s, %(lat)s) AS distance_key"
            f" FROM search_provider_entry e{volume.join}"
            " WHERE e.location <@ box(point(%(west)s, %(south)s), point(%(east)s, %(north)s))"
            " AND (e.location <@> point(%(lon)s, %(lat)s)) <= %(reach)s"
            # Names the predicate of the partial GiST index over rated entries.
            f"{' AND e.rating > 0' if criteria.min_rating is not None else ''}"
            f" AND {filters.sql()}"
            " ORDER BY e.practitioner_id, distance_key"
        )
        return *_best_page(best, order, True), params

    def name_candidates(self, criteria: Criteria, params: dict) -> str:
        where = ""
        groups = criteria.match_tokens()
        if groups:
            params["match"] = _tsquery(groups)
            where = " WHERE document @@ %(match)s::tsquery"
        # Names sort by surname, so one surname's rows are neighbours in ordinal order
        # and an ordered scan that filters would read every name before them: with name
        # words, "+ 0" makes PostgreSQL collect the GIN matches and sort those instead.
        # Facets (a specialty) are spread out, and the ordered scan stops early.
        named = any(clause.name_terms for clause in criteria.clauses)
        return (
            f"SELECT ordinal, practitioner_id FROM search_provider_name{where}"  # noqa: S608
            f" ORDER BY ordinal{' + 0' if named else ''}"
        )

    def nationwide_sql(
        self, candidates: str, volume: VolumeTerms, filters: FilterTerms, order: Order
    ) -> tuple[str, str]:
        best = (
            f"SELECT DISTINCT ON (c.ordinal) {_columns(volume)}"  # noqa: S608
            f" FROM ({candidates} LIMIT %(window)s) c"
            " JOIN search_provider_entry e ON e.practitioner_id = c.practitioner_id"
            f"{volume.join}"
            f" WHERE {filters.sql()} ORDER BY c.ordinal, e.id"
        )
        return _best_page(best, order, False)

    def practitioners_named(self, clauses: list[Clause], limit: int) -> list[tuple[int, int]]:
        groups = [sorted(c.name_terms) for c in clauses]
        if not groups or not all(groups):
            return []
        with connection.cursor() as cursor:
            # "+ 0": sort the GIN matches rather than filter an ordered scan (see nationwide).
            cursor.execute(
                "SELECT n.practitioner_id, (SELECT e.location_id FROM search_provider_entry e"
                "  WHERE e.practitioner_id = n.practitioner_id ORDER BY e.id LIMIT 1)"
                " FROM (SELECT practitioner_id, ordinal FROM search_provider_name"
                "  WHERE document @@ %s::tsquery ORDER BY ordinal + 0 LIMIT %s) n"
                " ORDER BY n.ordinal",
                [_tsquery(groups), limit],
            )
            return cursor.fetchall()

    TERM_COLUMNS = "term, weight, is_name, specialty_ids, procedure_ids"

    def provider_terms(self, words: Iterable[str]) -> dict[str, TermRow]:
        words = sorted(set(words))
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self.TERM_COLUMNS} FROM search_provider_term"  # noqa: S608
                " WHERE term = ANY(%s)",
                [words],
            )
            return {row[0]: self.term_row(row) for row in cursor.fetchall()}

    @staticmethod
    def word_table(words: list[str]) -> tuple[str, object]:
        # "C" collation: "~" sorts after [a-z0-9].
        return "unnest(%s::text[]) p(value)", words

    def provider_similar_terms(self, word: str, limit: int) -> list[TermRow]:
        with connection.cursor() as cursor:
            # `%%` is similarity over the whole word, `<%%` over its best-matching part
            # (an unfinished name); both are served by the trigram GIN index.
            cursor.execute(
                f"SELECT {self.TERM_COLUMNS} FROM search_provider_term"  # noqa: S608
                " WHERE term %% %(w)s OR %(w)s <%% term"
                " ORDER BY greatest(similarity(term, %(w)s), word_similarity(%(w)s, term)) DESC,"
                " weight DESC LIMIT %(limit)s",
                {"w": word, "limit": limit},
            )
            return [self.term_row(row) for row in cursor.fetchall()]

    def roles_source(
        self, circle: Circle, specialty_ids: Ids, nucc_codes: Codes, params: dict
    ) -> tuple[str, str]:
        params.update(circle_params(circle))
        terms = [
            "e.location <@ box(point(%(west)s, %(south)s), point(%(east)s, %(north)s))",
            "(e.location <@> point(%(lon)s, %(lat)s)) <= %(reach)s",
        ]
        if specialty_ids:
            params["facets"] = sorted(specialty_ids)
            terms.append("e.specialty_ids && %(facets)s::integer[]")
        if nucc_codes is not None:
            params["codes"] = sorted(nucc_codes)
            terms.append("e.nucc_codes && %(codes)s::text[]")
        source = "FROM search_provider_entry e WHERE " + " AND ".join(terms)
        return source, "e.location <@> point(%(lon)s, %(lat)s)"

    def names_with_words(self, prefixes: list[str]) -> tuple[str, list]:
        return (
            "SELECT practitioner_id FROM search_provider_name WHERE document @@ %s::tsquery",
            [" & ".join(_lexeme(prefix) + ":*" for prefix in prefixes)],
        )

    def entries_in_box(
        self, circle: Circle, column: str, specialty_ids: Collection[int] = ()
    ) -> tuple[str, list]:
        if column not in ENTRY_ID_COLUMNS:
            raise ValueError(f"not an id column of the index: {column!r}")
        south, north, west, east = circle.bounding_box()
        sql = (
            f"SELECT e.{column} FROM search_provider_entry e"  # noqa: S608 - column checked
            " WHERE e.location <@ box(point(%s, %s), point(%s, %s))"
            + (" AND e.specialty_ids && %s::integer[]" if specialty_ids else "")
        )
        params = [west, south, east, north]
        return sql, params + ([sorted(specialty_ids)] if specialty_ids else [])
