"""SQLite backend: FTS5 for guides and names, an R*Tree for the radius, trigrams for typos.

Guides: FTS5 with the porter stemmer, ranked by bm25. Providers: an R*Tree box finds the
candidates of a radius search (entries are stored in spatial order, so they sit on
neighbouring pages). Distance in SQL is equirectangular
with the cosine taken at the mid-latitude (first-order), within 0.03% of the great circle
up to 100 miles and 71 degrees north; rows within 0.1% of the radius are decided by an
exact haversine (a Python function registered on the connection), so the edge is exact.
"""

import json
import math
from collections.abc import Collection, Iterable

from django.db import connection

from careatlas.providers.geocoding import distance_miles
from careatlas.search.backends.base import Codes, Ids
from careatlas.search.backends.filters import (
    FilterTerms,
    VolumeTerms,
)
from careatlas.search.backends.sqlite_index import SQLiteIndexWriter
from careatlas.search.backends.values import (
    ENTRY_ID_COLUMNS,
    MILES_PER_DEGREE,
    Circle,
    Clause,
    Criteria,
    Order,
    PhraseClause,
    TermRow,
)
from careatlas.search.models import SearchTerm
from careatlas.search.text import trigrams

# Relative error the equirectangular distance may carry (measured worst case 2.8e-4).
BAND = 1e-3
_ROW_COLUMNS = (
    "e.practitioner_id, e.role_id, e.location_id, e.latitude, e.longitude, e.flags,"
    " e.verified_until, e.certified_until, e.specialty_ids"
)


def _columns(volume: VolumeTerms) -> str:
    return f"{_ROW_COLUMNS}, {volume.column} AS volume, e.rating AS rating"


def _quoted(token: str) -> str:
    # Tokens are [a-z0-9_]+ by construction; quotes make FTS5 read AND/OR/NEAR as words.
    return f'"{token}"'


def _phrases(clauses: list[PhraseClause], require_all: bool) -> str:
    parts = []
    for clause in clauses:
        options = [
            _quoted(alt[0]) if len(alt) == 1 else "(" + " AND ".join(map(_quoted, alt)) + ")"
            for alt in clause
        ]
        parts.append("(" + " OR ".join(options) + ")")
    return (" AND " if require_all else " OR ").join(parts)


def _match(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(map(_quoted, group)) + ")" for group in groups)


def register_functions() -> None:
    """Register provider_miles() once per SQLite connection (re-registering while another
    statement is open fails), the way Django registers its own SQL functions."""
    connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "_provider_miles_on", None) is raw:
        return
    raw.create_function(
        "provider_miles",
        4,
        lambda lat1, lon1, lat2, lon2: distance_miles((lat1, lon1), (lat2, lon2)),
        deterministic=True,
    )
    connection._provider_miles_on = raw


class Filters(FilterTerms):
    always_true = "1"

    def contains(self, column: str, value) -> str:
        # Multi-valued columns hold space-delimited tokens: " 3 17 42 ".
        self.params[column] = f" {value} "
        return f"instr(e.{column}, %({column})s) > 0"

    def _clause(self, clause: Clause) -> str:
        tests = []
        for column, values in (
            ("specialty_ids", sorted(clause.specialty_ids)),
            ("procedure_ids", sorted(clause.procedure_ids)),
            ("name_words", sorted(clause.name_terms)),
        ):
            for value in values:
                name = f"clause_{len(self.params)}"
                self.params[name] = f" {value} "
                tests.append(f"instr(e.{column}, %({name})s) > 0")
        return "(" + " OR ".join(tests or ["0"]) + ")"


class Distance:
    """Equirectangular distance in squared degrees of latitude, and the radius cut."""

    def __init__(self, circle: Circle):
        lat0 = math.radians(circle.latitude)
        reach = circle.radius_miles / MILES_PER_DEGREE
        self.params = {
            "lat": circle.latitude,
            "lon": circle.longitude,
            "cos_lat": math.cos(lat0),
            # cos(mid-latitude) ~ cos(lat0) - sin(lat0) * (lat - lat0) / 2, in degrees
            "k": math.sin(lat0) * math.pi / 360,
            "inner": (reach * (1 - BAND)) ** 2,
            "outer": (reach * (1 + BAND)) ** 2,
            "radius": circle.radius_miles,
        }
        dy = "(e.latitude - %(lat)s)"
        dx = f"((e.longitude - %(lon)s) * (%(cos_lat)s - %(k)s * {dy}))"
        self.squared = f"({dy} * {dy} + {dx} * {dx})"
        self.cut = (
            f"({self.squared} <= %(inner)s OR ({self.squared} <= %(outer)s"
            " AND provider_miles(e.latitude, e.longitude, %(lat)s, %(lon)s) <= %(radius)s))"
        )


def _order_sql(order: Order, by_distance: bool) -> str:
    tail = "distance_key, e.practitioner_id" if by_distance else "e.name_ordinal"
    if order is Order.NAME:
        return "e.name_ordinal"
    if order is Order.VOLUME:
        return f"volume IS NULL, volume DESC, {tail}"
    if order is Order.RATING:
        return f"rating DESC, {tail}"
    return tail


class SQLiteBackend(SQLiteIndexWriter):
    """Searches guides and providers; the index is written by SQLiteIndexWriter."""

    filter_terms = Filters

    @staticmethod
    def ids(value) -> tuple[int, ...]:
        return tuple(int(v) for v in value.split())

    # -- guides ---------------------------------------------------------------------------
    def match_documents(
        self, clauses: list[PhraseClause], language: str, require_all: bool, limit: int
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
                [_phrases(clauses, require_all), language, limit],
            )
            # bm25 is negative, lower is better.
            return [(rowid, -score) for rowid, score in cursor.fetchall()]

    def document_prefix_terms(self, prefix: str, language: str, limit: int) -> list[str]:
        # A range scan on the unique index; LIKE would be case-insensitive and unindexed.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return list(
            SearchTerm.objects.filter(language=language, term__gte=prefix, term__lt=upper)
            .order_by("-weight", "term")
            .values_list("term", flat=True)[:limit]
        )

    def document_similar_terms(self, word: str, language: str, limit: int) -> list[tuple[str, int]]:
        grams = trigrams(word)
        if not grams:
            return []
        with connection.cursor() as cursor:
            # Words sharing the most (and rarest) three-letter pieces with `word`.
            cursor.execute(
                "SELECT term, weight FROM search_searchterm WHERE id IN ("
                " SELECT rowid FROM search_term_trigram WHERE search_term_trigram MATCH %s"
                " AND language = %s ORDER BY rank LIMIT %s)",
                [" OR ".join(f'"{g}"' for g in grams), language, limit],
            )
            return cursor.fetchall()

    # -- providers ------------------------------------------------------------------------

    candidate_columns = "n.ordinal"
    # CROSS JOIN: SQLite keeps the tables in the order written.
    ordered_join = "CROSS JOIN"

    def within_sql(self, criteria: Criteria, circle: Circle, order: Order) -> tuple[str, str, dict]:
        register_functions()
        distance = Distance(circle)
        volume, filters, params = self.query_terms(
            criteria, order, **distance.params, **circle.box_params()
        )
        # A minimum rating reads the tree of rated entries, which cuts by rating too.
        tree, rated = "search_provider_rtree", ""
        if criteria.min_rating is not None:
            tree, rated = "search_provider_rated_rtree", " AND t.max_rating >= %(min_rating)s"
        source = (
            f"FROM {tree} t CROSS JOIN search_provider_entry e ON e.id = t.id"
            f"{volume.join}"
            " WHERE t.max_lat >= %(south)s AND t.min_lat <= %(north)s"
            f" AND t.max_lon >= %(west)s AND t.min_lon <= %(east)s{rated}"
            f" AND {filters.sql()} AND {distance.cut}"
        )
        sql = (
            f"SELECT {_columns(volume)}, min({distance.squared}) AS distance_key,"  # noqa: S608
            f" count(*) OVER () {source}"
            f" GROUP BY e.practitioner_id ORDER BY {_order_sql(order, True)}"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        count = f"SELECT count(DISTINCT e.practitioner_id) {source}"  # noqa: S608
        return sql, count, params

    def name_candidates(self, criteria: Criteria, params: dict) -> str:
        groups = criteria.match_tokens()
        if not groups:
            return "SELECT ordinal FROM search_provider_name ORDER BY ordinal"
        params["match"] = _match(groups)
        return (
            "SELECT rowid AS ordinal FROM search_provider_name_fts"
            " WHERE search_provider_name_fts MATCH %(match)s ORDER BY rowid"
        )

    def nationwide_sql(
        self, candidates: str, volume: VolumeTerms, filters: FilterTerms, order: Order
    ) -> tuple[str, str]:
        source = (
            f"FROM ({candidates} LIMIT %(window)s) c"  # noqa: S608
            " CROSS JOIN search_provider_name n ON n.ordinal = c.ordinal"
            " CROSS JOIN search_provider_entry e ON e.practitioner_id = n.practitioner_id"
            f"{volume.join}"
            f" WHERE {filters.sql()}"
        )
        sql = (
            f"SELECT {_columns(volume)}, min(e.id), count(*) OVER () {source}"  # noqa: S608
            f" GROUP BY n.ordinal ORDER BY {_order_sql(order, False)}"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        return sql, f"SELECT count(DISTINCT n.ordinal) {source}"  # noqa: S608

    def practitioners_named(self, clauses: list[Clause], limit: int) -> list[tuple[int, int]]:
        groups = [sorted(c.name_terms) for c in clauses]
        if not groups or not all(groups):
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.practitioner_id, (SELECT e.location_id FROM search_provider_entry e"
                "  WHERE e.practitioner_id = n.practitioner_id ORDER BY e.id LIMIT 1)"
                " FROM (SELECT rowid AS ordinal"
                " FROM search_provider_name_fts WHERE search_provider_name_fts MATCH %(match)s"
                " ORDER BY rowid LIMIT %(limit)s) c"
                " JOIN search_provider_name n ON n.ordinal = c.ordinal ORDER BY c.ordinal",
                {"match": _match(groups), "limit": limit},
            )
            return cursor.fetchall()

    def provider_terms(self, words: Iterable[str]) -> dict[str, TermRow]:
        words = sorted(set(words))
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, weight, is_name, specialty_ids, procedure_ids"
                " FROM search_provider_term WHERE term IN (SELECT value FROM json_each(%s))",
                [json.dumps(words)],
            )
            return {row[0]: self.term_row(row) for row in cursor.fetchall()}

    @staticmethod
    def word_table(words: list[str]) -> tuple[str, object]:
        return "json_each(%s) p", json.dumps(words)

    def provider_similar_terms(self, word: str, limit: int) -> list[TermRow]:
        grams = [word[i : i + 3] for i in range(len(word) - 2)]
        if not grams:
            return []
        with connection.cursor() as cursor:
            # Words sharing the most (and rarest) three-letter pieces with `word`.
            cursor.execute(
                "SELECT term, weight, is_name, specialty_ids, procedure_ids"
                " FROM search_provider_term WHERE id IN ("
                " SELECT rowid FROM search_provider_term_trigram"
                " WHERE search_provider_term_trigram MATCH %s ORDER BY rank LIMIT %s)",
                [" OR ".join(f'"{g}"' for g in grams), limit],
            )
            return [self.term_row(row) for row in cursor.fetchall()]

    def roles_source(
        self, circle: Circle, specialty_ids: Ids, nucc_codes: Codes, params: dict
    ) -> tuple[str, str]:
        register_functions()
        distance = Distance(circle)
        params.update(distance.params, **circle.box_params())
        terms = [distance.cut]
        if specialty_ids:
            facets = []
            for i, pk in enumerate(sorted(specialty_ids)):
                params[f"facet_{i}"] = f" {pk} "
                facets.append(f"instr(e.specialty_ids, %(facet_{i})s) > 0")
            terms.append("(" + " OR ".join(facets) + ")")
        if nucc_codes is not None:
            codes = []
            for i, code in enumerate(sorted(nucc_codes)):
                params[f"code_{i}"] = f" {code} "
                codes.append(f"instr(e.nucc_codes, %(code_{i})s) > 0")
            terms.append("(" + " OR ".join(codes) + ")")
        source = (
            "FROM search_provider_rtree t CROSS JOIN search_provider_entry e ON e.id = t.id"
            " WHERE t.max_lat >= %(south)s AND t.min_lat <= %(north)s"
            " AND t.max_lon >= %(west)s AND t.min_lon <= %(east)s AND " + " AND ".join(terms)
        )
        return source, distance.squared

    def names_with_words(self, prefixes: list[str]) -> tuple[str, list]:
        match = " AND ".join(_quoted(prefix) + "*" for prefix in prefixes)
        return (
            "SELECT n.practitioner_id FROM search_provider_name_fts f"
            " CROSS JOIN search_provider_name n ON n.ordinal = f.rowid"
            " WHERE search_provider_name_fts MATCH %s",
            [match],
        )

    def entries_in_box(
        self, circle: Circle, column: str, specialty_ids: Collection[int] = ()
    ) -> tuple[str, list]:
        if column not in ENTRY_ID_COLUMNS:
            raise ValueError(f"not an id column of the index: {column!r}")
        south, north, west, east = circle.bounding_box()
        facets = " OR ".join(["instr(e.specialty_ids, %s) > 0"] * len(specialty_ids))
        sql = (
            f"SELECT e.{column} FROM search_provider_rtree t"  # noqa: S608 - column checked
            " CROSS JOIN search_provider_entry e ON e.id = t.id"
            " WHERE t.max_lat >= %s AND t.min_lat <= %s AND t.max_lon >= %s AND t.min_lon <= %s"
            + (f" AND ({facets})" if facets else "")
        )
        return sql, [south, north, west, east, *(f" {pk} " for pk in sorted(specialty_ids))]
