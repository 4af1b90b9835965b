"""Writing the SQLite index: guide documents, and provider rows from the directory.

Provider entries are written by set-based INSERT ... SELECT from the directory tables, in
spatial order (0.1-degree latitude bands, then longitude), so the rows an R*Tree box returns
sit on neighbouring pages; the R*Tree and the FTS5 name index are filled from the entries
afterwards.
"""

import json
from collections.abc import Iterable

from django.db import connection

from careatlas.search.backends.base import Backend
from careatlas.search.backends.values import (
    ACCEPTING,
    ALL_PROCEDURES,
    ORDINAL_GAP,
    TELEHEALTH,
    IndexedText,
    NameRow,
    TermRow,
)
from careatlas.search.sources import directory_tables


def ids_text(values: Iterable[int]) -> str:
    """' 3 17 ': the delimited form every multi-valued id column uses."""
    return " " + "".join(f"{v} " for v in values)


def _day(column: str) -> str:
    # Dates are stored as ISO text; 2440587.5 is the Julian day of 1970-01-01.
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


class SQLiteIndexWriter(Backend):
    staging = "temp.search_provider_staging"
    no_ids = "' '"

    def replace_documents(self, rows: list[IndexedText]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document_fts")
            cursor.executemany(
                "INSERT INTO search_document_fts (rowid, title, keywords, body, language)"
                " VALUES (%s, %s, %s, %s, %s)",
                [(r.document_id, r.title, r.keywords, r.body, r.language) for r in rows],
            )

    def replace_document_terms(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_term_trigram")
            cursor.execute(
                "INSERT INTO search_term_trigram (rowid, term, language)"
                " SELECT id, term, language FROM search_searchterm"
            )

    def begin_build(self, practitioner_ids: list[int] | None) -> dict[int, tuple[int, str]]:
        previous: dict[int, tuple[int, str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS search_provider_staging ("
                " practitioner_id INTEGER PRIMARY KEY, ordinal INTEGER,"
                " sort_name TEXT NOT NULL, name_words TEXT NOT NULL)"
            )
            cursor.execute("DELETE FROM temp.search_provider_staging")
            if practitioner_ids is None:
                for table in (
                    "search_provider_entry",
                    "search_provider_rtree",
                    "search_provider_rated_rtree",
                    "search_provider_name",
                    "search_provider_volume",
                ):
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                cursor.execute(
                    "INSERT INTO search_provider_name_fts (search_provider_name_fts)"
                    " VALUES ('delete-all')"
                )
                return previous
            ids = {"ids": json.dumps(practitioner_ids)}
            cursor.execute(
                "SELECT practitioner_id, ordinal, sort_name, document FROM search_provider_name"
                " WHERE practitioner_id IN (SELECT value FROM json_each(%(ids)s))",
                ids,
            )
            for practitioner_id, ordinal, sort_name, document in cursor.fetchall():
                previous[practitioner_id] = (ordinal, sort_name)
                cursor.execute(
                    "INSERT INTO search_provider_name_fts"
                    " (search_provider_name_fts, rowid, document) VALUES ('delete', %s, %s)",
                    [ordinal, document],
                )
            for sql in (
                "DELETE FROM search_provider_name"
                " WHERE practitioner_id IN (SELECT value FROM json_each(%(ids)s))",
                "DELETE FROM search_provider_rtree WHERE id IN (SELECT id FROM"
                " search_provider_entry WHERE practitioner_id IN"
                " (SELECT value FROM json_each(%(ids)s)))",
                "DELETE FROM search_provider_rated_rtree WHERE id IN (SELECT id FROM"
                " search_provider_entry WHERE practitioner_id IN"
                " (SELECT value FROM json_each(%(ids)s)))",
                "DELETE FROM search_provider_entry"
                " WHERE practitioner_id IN (SELECT value FROM json_each(%(ids)s))",
                "DELETE FROM search_provider_volume"
                " WHERE practitioner_id IN (SELECT value FROM json_each(%(ids)s))",
            ):
                cursor.execute(sql, ids)
        return previous

    def stage_names(self, rows: Iterable[NameRow]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO temp.search_provider_staging (practitioner_id, sort_name,"
                " name_words) VALUES (%s, %s, %s)",
                ((r.practitioner_id, r.sort_name, ids_text(r.words)) for r in rows),
            )

    def number_ordinals(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE temp.search_provider_staging AS s SET ordinal = o.ordinal FROM ("
                " SELECT practitioner_id, %s * row_number() OVER"
                " (ORDER BY sort_name, practitioner_id) AS ordinal"
                " FROM temp.search_provider_staging) o"
                " WHERE o.practitioner_id = s.practitioner_id",
                [ORDINAL_GAP],
            )

    def fill_entries(self, practitioner_ids: list[int] | None, stale_days: int) -> int:
        t = directory_tables()
        params, access_cases, sex_cases = self.entry_codes(stale_days)

        def id_list(column: str, table: str, key: str) -> str:
            return (
                f"' ' || coalesce(replace((SELECT group_concat(DISTINCT x.{column})"  # noqa: S608
                f" FROM {table} x WHERE x.{key} = r.id), ',', ' ') || ' ', '')"
            )

        sql = f"""
            INSERT INTO search_provider_entry (role_id, practitioner_id, location_id,
                latitude, longitude, flags, sex, accessibility, verified_until,
                certified_until, specialty_ids, nucc_codes, procedure_ids, plan_ids,
                languages, name_words, name_ordinal, procedure_volume, rating)
            SELECT r.id, p.id, l.id, l.latitude, l.longitude,
                (CASE WHEN r.accepting_new_patients = %(accepting)s THEN {ACCEPTING} ELSE 0 END)
                | (CASE WHEN l.telehealth THEN {TELEHEALTH} ELSE 0 END)
                | (CASE WHEN p.is_demo THEN 4 ELSE 0 END),
                CASE p.sex {sex_cases} ELSE 0 END,
                coalesce((SELECT sum(DISTINCT CASE a.value {access_cases} ELSE 0 END)
                    FROM json_each(l.accessibility) a), 0),
                coalesce(min(
                    (SELECT max({_day("v.verified_on")}) + %(stale)s FROM {t.verification} v
                     WHERE v.practitioner_id = p.id AND v.fact = %(identity)s
                       AND NOT v.disputed),
                    (SELECT max(min({_day("v.verified_on")} + %(stale)s,
                                    coalesce({_day("sl.expires_on")}, %(forever)s)))
                     FROM {t.license} sl JOIN {t.verification} v
                       ON v.license_id = sl.id AND v.fact = %(license)s AND NOT v.disputed
                     WHERE sl.practitioner_id = p.id AND sl.status = %(license_active)s)
                ), 0),
                coalesce((SELECT max(coalesce({_day("c.expires_on")}, %(forever)s))
                    FROM {t.certification} c
                    WHERE c.practitioner_id = p.id AND c.status = %(certification_active)s), 0),
                {id_list("specialty_id", t.role_specialty, "role_id")},
                {id_list("code", t.role_specialty, "role_id")},
                {id_list("procedure_id", t.offered_procedure, "role_id")},
                {id_list(t.plan_column, t.plan_link, t.plan_role_column)},
                ' ' || coalesce(replace((SELECT group_concat(DISTINCT
                    replace(lower(trim(j.value)), '-', '_')) FROM json_each(p.languages) j),
                    ',', ' ') || ' ', ''),
                s.name_words,
                s.ordinal,
                (SELECT x.services FROM search_provider_volume x
                 WHERE x.practitioner_id = p.id AND x.procedure_id = {ALL_PROCEDURES}),
                CASE WHEN p.review_count >= %(min_reviews)s AND p.review_average IS NOT NULL
                    THEN CAST(round(p.review_average * 100) AS INTEGER) ELSE 0 END
            FROM temp.search_provider_staging s
            JOIN {t.practitioner} p ON p.id = s.practitioner_id
            JOIN {t.role} r ON r.practitioner_id = p.id
            JOIN {t.location} l ON l.id = r.location_id
            WHERE r.active AND p.active
              AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
            ORDER BY CAST((l.latitude + 90) * 10 AS INTEGER), l.longitude
        """  # noqa: S608 - table names come from model metadata, values are parameters
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM search_provider_entry")
            (before,) = cursor.fetchone()
            cursor.execute(sql, params)
            cursor.execute(
                "INSERT INTO search_provider_rtree (id, min_lat, max_lat, min_lon, max_lon)"
                " SELECT id, latitude, latitude, longitude, longitude"
                " FROM search_provider_entry WHERE id > %s",
                [before],
            )
            cursor.execute(
                "INSERT INTO search_provider_rated_rtree"
                " SELECT id, latitude, latitude, longitude, longitude, rating, rating"
                " FROM search_provider_entry WHERE id > %s AND rating > 0",
                [before],
            )
            cursor.execute("SELECT count(*) FROM search_provider_entry WHERE id > %s", [before])
            return cursor.fetchone()[0]

    def staged_volumes(self, volume_table: str) -> str:
        return (
            f"FROM {volume_table} v WHERE v.practitioner_id IN"  # noqa: S608
            " (SELECT practitioner_id FROM temp.search_provider_staging)"
        )

    def newest_per_procedure(self, staged: str) -> str:
        return (
            "SELECT practitioner_id, procedure_id, year, services FROM ("  # noqa: S608
            " SELECT v.practitioner_id, v.procedure_id, v.year, v.services, row_number()"
            "  OVER (PARTITION BY v.practitioner_id, v.procedure_id ORDER BY v.year DESC) n"
            f" {staged}) latest WHERE n = 1"
        )

    # Facet tokens of one entry: ' 3 17 ' -> ' _s3 _s17', plus sex and flags.
    _FACETS = (
        "replace(rtrim(e.specialty_ids), ' ', ' _s') || replace(rtrim(e.procedure_ids), ' ', ' _p')"
        " || replace(rtrim(e.plan_ids), ' ', ' _i') || replace(rtrim(e.languages), ' ', ' _l')"
        " || ' _x' || e.sex"
        f" || CASE WHEN e.flags & {ACCEPTING} THEN ' _a' ELSE '' END"
        f" || CASE WHEN e.flags & {TELEHEALTH} THEN ' _t' ELSE '' END"
    )

    def fill_names(self, practitioner_ids: list[int] | None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_provider_name (ordinal, practitioner_id, sort_name, document)"  # noqa: S608 - a fixed fragment
                " SELECT s.ordinal, s.practitioner_id, s.sort_name,"
                " trim(s.name_words) || coalesce(f.facets, '')"
                # LEFT: a practitioner with no located role is still found by name (FHIR).
                " FROM temp.search_provider_staging s LEFT JOIN ("
                f" SELECT e.practitioner_id, group_concat({self._FACETS}, '') AS facets"
                " FROM search_provider_entry e WHERE e.practitioner_id IN"
                " (SELECT practitioner_id FROM temp.search_provider_staging)"
                " GROUP BY e.practitioner_id) f ON f.practitioner_id = s.practitioner_id"
            )
            written = cursor.rowcount
            if practitioner_ids is None:
                cursor.execute(
                    "INSERT INTO search_provider_name_fts (search_provider_name_fts)"
                    " VALUES ('rebuild')"
                )
            else:
                cursor.execute(
                    "INSERT INTO search_provider_name_fts (rowid, document)"
                    " SELECT ordinal, document FROM search_provider_name WHERE practitioner_id"
                    " IN (SELECT practitioner_id FROM temp.search_provider_staging)"
                )
            return written

    def replace_provider_terms(self, terms: list[TermRow]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_provider_term")
            cursor.executemany(
                "INSERT INTO search_provider_term (term, weight, is_name, specialty_ids,"
                " procedure_ids) VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        t.term,
                        t.weight,
                        t.is_name,
                        ids_text(t.specialty_ids),
                        ids_text(t.procedure_ids),
                    )
                    for t in terms
                ],
            )
            cursor.execute(
                "INSERT INTO search_provider_term_trigram (search_provider_term_trigram)"
                " VALUES ('rebuild')"
            )

    def add_name_terms(self, words: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            for word, count in words.items():
                cursor.execute(
                    "UPDATE search_provider_term SET is_name = 1 WHERE term = %s", [word]
                )
                if cursor.rowcount:
                    continue
                cursor.execute(
                    "INSERT INTO search_provider_term (term, weight, is_name, specialty_ids,"
                    " procedure_ids) VALUES (%s, %s, 1, ' ', ' ')",
                    [word, count],
                )
                cursor.execute(
                    "INSERT INTO search_provider_term_trigram (rowid, term)"
                    " SELECT id, term FROM search_provider_term WHERE term = %s",
                    [word],
                )

    def finish_build(self, full: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM temp.search_provider_staging")
            if full:
                # Merge FTS5 segments into one b-tree per table: fewer pages per lookup.
                cursor.execute(
                    "INSERT INTO search_provider_name_fts (search_provider_name_fts)"
                    " VALUES ('optimize')"
                )
                # No ANALYZE: every query fixes its join order (CROSS JOIN) and its indexes,
                # and with fresh statistics, in the connection that rebuilt the index,
                # SQLite chose a Bloom filter that scans all of search_provider_entry per
                # query (2 ms at 20,000 rows, 100 times that at a million).

    def settle(self) -> None:
        """After a full rebuild has committed: fold the write-ahead log back into the file.

        Readers look every page up in the WAL index first; with a rebuild's worth of pages
        there (hundreds of MB at 1M providers) each query was measured ~10x slower until
        a checkpoint ran. The checkpoint skips frames that open readers still need.
        """
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
