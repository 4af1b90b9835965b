"""SQLite backend: an R*Tree for the radius, FTS5 for names and facets, trigrams for typos.

An R*Tree box finds the candidates of a radius search (entries are stored in spatial
order, so they sit on neighbouring pages). Distance in SQL is equirectangular
with the cosine taken at the mid-latitude (first-order), within 0.03% of the great circle
up to 100 miles and 71 degrees north; rows within 0.1% of the radius are decided by an
exact haversine (a Python function registered on the connection), so the edge is exact.
"""

import json
from collections.abc import Collection, Iterable

from django.db import connection

from careatlas.providers.geocoding import distance_miles
from careatlas.search.providers.backends import (
    ENTRY_ID_COLUMNS,
    MILES_PER_DEGREE,
    Circle,
    Clause,
    Criteria,
    FilterTerms,
    Order,
    Page,
    Row,
    TermRow,
    VolumeTerms,
    volume_candidates,
    volume_terms,
)
from careatlas.search.providers.backends.sqlite_index import SQLiteIndexWriter

# Relative error the equirectangular distance may carry (measured worst case 2.8e-4).
BAND = 1e-3
_ROW_COLUMNS = (
    "e.practitioner_id, e.id, e.location_id, e.latitude, e.longitude, e.flags,"
    " e.verified_until, e.certified_until, e.specialty_ids"
)


def _columns(volume: VolumeTerms) -> str:
    return f"{_ROW_COLUMNS}, {volume.column} AS volume"


def _parse_ids(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split())


def _quoted(token: str) -> str:
    # Tokens are [a-z0-9_]+ by construction; quotes make FTS5 read AND/OR/NEAR as words.
    return f'"{token}"'


def _match(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(map(_quoted, group)) + ")" for group in groups)


def _register_functions() -> None:
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


def _row(values) -> Row:
    return Row(*values[:8], _parse_ids(values[8]), values[9])


class _Filters(FilterTerms):
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


class _Distance:
    """Equirectangular distance in squared degrees of latitude, and the radius cut."""

    def __init__(self, circle: Circle):
        import math

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
    return tail


class SQLiteBackend(SQLiteIndexWriter):
    """Searches; the index is written by SQLiteIndexWriter."""

    def within(
        self, criteria: Criteria, circle: Circle, order: Order, limit: int, offset: int
    ) -> Page:
        _register_functions()
        volume = volume_terms(criteria, order)
        filters, distance = _Filters(criteria, volume), _Distance(circle)
        south, north, west, east = circle.bounding_box()
        params = {
            **volume.params,
            **filters.params,
            **distance.params,
            "south": south,
            "north": north,
            "west": west,
            "east": east,
            "limit": limit,
            "offset": offset,
        }
        source = (
            "FROM search_provider_rtree t CROSS JOIN search_provider_entry e ON e.id = t.id"
            f"{volume.join}"
            " WHERE t.max_lat >= %(south)s AND t.min_lat <= %(north)s"
            " AND t.max_lon >= %(west)s AND t.min_lon <= %(east)s"
            f" AND {filters.sql()} AND {distance.cut}"
        )
        sql = (
            f"SELECT {_columns(volume)}, min({distance.squared}) AS distance_key,"  # noqa: S608
            f" count(*) OVER () {source}"
            f" GROUP BY e.practitioner_id ORDER BY {_order_sql(order, True)}"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
            if found:
                return Page([_row(r) for r in found], found[0][-1])
            if not offset:
                return Page([], 0)
            # Past the last page: the window count came back with no row to carry it.
            cursor.execute(f"SELECT count(DISTINCT e.practitioner_id) {source}", params)
            return Page([], cursor.fetchone()[0])

    def nationwide(
        self, criteria: Criteria, order: Order, limit: int, offset: int, window: int
    ) -> Page:
        volume = volume_terms(criteria, order)
        filters = _Filters(criteria, volume)
        params = {
            **volume.params,
            **filters.params,
            "window": window,
            "limit": limit,
            "offset": offset,
        }
        groups = criteria.match_tokens()
        if criteria.min_volume is not None:
            best = volume_candidates(criteria)
            params.update(best.params)
            candidates = (
                "SELECT n.ordinal FROM search_provider_volume vc"  # noqa: S608
                " CROSS JOIN search_provider_name n ON n.practitioner_id = vc.practitioner_id"
                f" WHERE {best.where} ORDER BY {best.order}"
            )
        elif groups:
            params["match"] = _match(groups)
            candidates = (
                "SELECT rowid AS ordinal FROM search_provider_name_fts"
                " WHERE search_provider_name_fts MATCH %(match)s ORDER BY rowid"
            )
        else:
            candidates = "SELECT ordinal FROM search_provider_name ORDER BY ordinal"
        sql = (
            f"SELECT {_columns(volume)}, min(e.id), count(*) OVER ()"  # noqa: S608
            f" FROM ({candidates} LIMIT %(window)s) c"
            " CROSS JOIN search_provider_name n ON n.ordinal = c.ordinal"
            " CROSS JOIN search_provider_entry e ON e.practitioner_id = n.practitioner_id"
            f"{volume.join}"
            f" WHERE {filters.sql()}"
            f" GROUP BY n.ordinal ORDER BY {_order_sql(order, False)}"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
            cursor.execute(
                f"SELECT count(*) FROM ({candidates} LIMIT %(more)s)",  # noqa: S608
                {**params, "more": window + 1},
            )
            exact = cursor.fetchone()[0] <= window
            if found:
                return Page([_row(r) for r in found], found[0][-1], exact)
            if not offset:
                return Page([], 0, exact)
            cursor.execute(
                f"SELECT count(DISTINCT n.ordinal) FROM ({candidates} LIMIT %(window)s) c"  # noqa: S608
                " CROSS JOIN search_provider_name n ON n.ordinal = c.ordinal"
                " CROSS JOIN search_provider_entry e ON e.practitioner_id = n.practitioner_id"
                f"{volume.join}"
                f" WHERE {filters.sql()}",
                params,
            )
            return Page([], cursor.fetchone()[0], exact)

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

    def terms(self, words: Iterable[str]) -> dict[str, TermRow]:
        words = sorted(set(words))
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, weight, is_name, specialty_ids, procedure_ids"
                " FROM search_provider_term WHERE term IN (SELECT value FROM json_each(%s))",
                [json.dumps(words)],
            )
            return {row[0]: self._term(row) for row in cursor.fetchall()}

    @staticmethod
    def _term(row) -> TermRow:
        term, weight, is_name, specialty_ids, procedure_ids = row
        return TermRow(
            term, weight, bool(is_name), _parse_ids(specialty_ids), _parse_ids(procedure_ids)
        )

    def prefix_terms(self, prefix: str, limit: int, names_only: bool) -> list[TermRow]:
        return self.prefix_terms_any([prefix], limit, names_only)

    def prefix_terms_any(self, prefixes: list[str], limit: int, names_only: bool) -> list[TermRow]:
        # One range scan of the unique index per prefix; "~" sorts after [a-z0-9].
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT t.term, t.weight, t.is_name, t.specialty_ids, t.procedure_ids"
                " FROM json_each(%s) p CROSS JOIN search_provider_term t"
                " ON t.term >= p.value AND t.term < p.value || '~'"
                " WHERE t.is_name OR NOT %s ORDER BY t.weight DESC, t.term LIMIT %s",
                [json.dumps(prefixes), names_only, limit],
            )
            return [self._term(row) for row in cursor.fetchall()]

    def similar_terms(self, word: str, limit: int) -> list[TermRow]:
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
            return [self._term(row) for row in cursor.fetchall()]

    def naive_within(self, criteria: Criteria, circle: Circle, limit: int) -> tuple[list[int], int]:
        _register_functions()
        filters, distance = _Filters(criteria), _Distance(circle)
        sql = (
            "SELECT e.practitioner_id, min("  # noqa: S608
            f"{distance.squared}) AS distance_key, count(*) OVER ()"
            " FROM search_provider_entry e NOT INDEXED"
            f" WHERE {filters.sql()} AND {distance.cut}"
            " GROUP BY e.practitioner_id ORDER BY distance_key, e.practitioner_id"
            " LIMIT %(limit)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {**filters.params, **distance.params, "limit": limit})
            found = cursor.fetchall()
        return [r[0] for r in found], (found[0][-1] if found else 0)

    def roles_within(
        self,
        circle: Circle,
        specialty_ids: Collection[int],
        nucc_codes: Collection[str] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[int, float, float]], int]:
        if nucc_codes is not None and not nucc_codes:
            return [], 0
        _register_functions()
        distance = _Distance(circle)
        south, north, west, east = circle.bounding_box()
        params = {
            **distance.params,
            "south": south,
            "north": north,
            "west": west,
            "east": east,
            "limit": limit,
            "offset": offset,
        }
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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.role_id, e.latitude, e.longitude, count(*) OVER ()"  # noqa: S608
                f" {source} ORDER BY {distance.squared}, e.role_id"
                " LIMIT %(limit)s OFFSET %(offset)s",
                params,
            )
            found = cursor.fetchall()
            if found:
                return [row[:3] for row in found], found[0][3]
            cursor.execute(f"SELECT count(*) {source}", params)  # noqa: S608
            return [], cursor.fetchone()[0]

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
