"""Writing the PostgreSQL index: guide documents, and provider rows from the directory.

Provider entries are written by set-based INSERT ... SELECT, in spatial order so a radius
search reads few heap pages, with their point(longitude, latitude) for the GiST index; the
name table gets a tsvector of name words and facet tokens for the GIN index.
"""

from collections.abc import Iterable

from django.db import connection

from careatlas.core.catalogue import standalone_indexes
from careatlas.search.backends.aggregates import Aggregate, render
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

_STAGING = "search_provider_staging"
# A full rebuild drops these tables' secondary indexes and builds each once over the new rows
# (about 1 s for the GiST and 2 s for the GIN at a million rows, against tens of seconds row
# by row; without the practitioner index the name step also reads the entries in one pass).
_REBUILT_TABLES = ("search_provider_entry", "search_provider_name")
_DAY = "DATE '1970-01-01'"


class PostgreSQLIndexWriter(Backend):
    staging = _STAGING
    no_ids = "'{}'"

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

    def replace_document_terms(self) -> None:
        # The trigram index follows the table by itself; fresh statistics keep the
        # planner on the b-tree for exact lookups right after a rebuild.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchterm, search_searchdocument")

    def begin_build(self, practitioner_ids: list[int] | None) -> dict[int, tuple[int, str]]:
        previous: dict[int, tuple[int, str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {_STAGING} ("
                " practitioner_id integer PRIMARY KEY, ordinal bigint,"
                ' sort_name text COLLATE "C" NOT NULL, name_words text NOT NULL)'
            )
            cursor.execute(f"TRUNCATE {_STAGING}")
            if practitioner_ids is None:
                # Locks the tables until the rebuild commits: searches wait, never see half.
                cursor.execute(
                    "TRUNCATE search_provider_entry, search_provider_name, search_provider_volume"
                    " RESTART IDENTITY"
                )
                self._set_aside_indexes(cursor)
                # Sorts and hash joins over a million rows in memory, not spilled to disk.
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("SET LOCAL work_mem = '128MB'")
                return previous
            cursor.execute(
                "DELETE FROM search_provider_name WHERE practitioner_id = ANY(%s)"
                " RETURNING practitioner_id, ordinal, sort_name",
                [practitioner_ids],
            )
            for practitioner_id, ordinal, sort_name in cursor.fetchall():
                previous[practitioner_id] = (ordinal, sort_name)
            cursor.execute(
                "DELETE FROM search_provider_entry WHERE practitioner_id = ANY(%s)",
                [practitioner_ids],
            )
            cursor.execute(
                "DELETE FROM search_provider_volume WHERE practitioner_id = ANY(%s)",
                [practitioner_ids],
            )
        return previous

    def _set_aside_indexes(self, cursor) -> None:
        """Drop the rebuilt tables' secondary indexes (not those behind a constraint),
        keeping their definitions, as migrations made them, for _restore_indexes."""
        self._set_aside: dict[str, list[str]] = {}
        for table, name, definition in standalone_indexes(cursor, _REBUILT_TABLES, unique=True):
            self._set_aside.setdefault(table, []).append(definition)
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def _restore_indexes(self, cursor) -> None:
        for definitions in self._set_aside.values():
            for definition in definitions:
                cursor.execute(definition)
        self._set_aside = {}

    def stage_names(self, rows: Iterable[NameRow]) -> None:
        with connection.cursor() as cursor:
            copy_sql = f"COPY {_STAGING} (practitioner_id, sort_name, name_words) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row((row.practitioner_id, row.sort_name, " ".join(row.words)))

    def number_ordinals(self) -> None:
        # A new numbered copy rather than an UPDATE: updating every row of a temporary table
        # bigger than temp_buffers rewrote it page by page (13 s at a million rows, 2 s so).
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE search_provider_numbered AS"  # noqa: S608 - constants only
                f" SELECT practitioner_id, {ORDINAL_GAP} * row_number() OVER"
                " (ORDER BY sort_name, practitioner_id) AS ordinal, sort_name, name_words"
                f" FROM {_STAGING}"
            )
            cursor.execute(f"DROP TABLE {_STAGING}")
            cursor.execute(f"ALTER TABLE search_provider_numbered RENAME TO {_STAGING}")
            cursor.execute(f"ALTER TABLE {_STAGING} ADD PRIMARY KEY (practitioner_id)")
            cursor.execute(f"ANALYZE {_STAGING}")

    def _aggregates(self) -> dict[str, Aggregate]:
        t = directory_tables()

        def ids(alias: str, column: str, table: str, key: str) -> Aggregate:
            return Aggregate(
                alias,
                f"FROM {table} x",
                f"x.{key}",
                "r.id",
                f"array_agg(DISTINCT x.{column} ORDER BY x.{column})",
                where=f"x.{column} IS NOT NULL",
                default="'{}'",
            )

        return {
            "certified": Aggregate(
                "cert",
                f"FROM {t.certification} x",
                "x.practitioner_id",
                "p.id",
                f"max(coalesce(x.expires_on - {_DAY}, %(forever)s))",
                where="x.status = %(certification_active)s",
                default="0",
            ),
            "identity": Aggregate(
                "ident",
                f"FROM {t.verification} x",
                "x.practitioner_id",
                "p.id",
                f"max(x.verified_on) - {_DAY} + %(stale)s",
                where="x.fact = %(identity)s AND NOT x.disputed",
            ),
            "license": Aggregate(
                "lic",
                f"FROM {t.license} x JOIN {t.verification} lv ON lv.license_id = x.id"
                " AND lv.fact = %(license)s AND NOT lv.disputed",
                "x.practitioner_id",
                "p.id",
                f"max(least(lv.verified_on - {_DAY} + %(stale)s,"
                f" coalesce(x.expires_on - {_DAY}, %(forever)s)))",
                where="x.status = %(license_active)s",
            ),
            "specialties": ids("spec", "specialty_id", t.role_specialty, "role_id"),
            "codes": ids("codes", "code", t.role_specialty, "role_id"),
            "procedures": ids("proc", "procedure_id", t.offered_procedure, "role_id"),
            "plans": ids("plan", t.plan_column, t.plan_link, t.plan_role_column),
            "volume": Aggregate(
                "vol",
                "FROM search_provider_volume x",
                "x.practitioner_id",
                "p.id",
                "max(x.services)",
                where=f"x.procedure_id = {ALL_PROCEDURES}",
            ),
        }

    def fill_entries(self, practitioner_ids: list[int] | None, stale_days: int) -> int:
        t = directory_tables()
        params, access_cases, sex_cases = self.entry_codes(stale_days)
        full = practitioner_ids is None
        a, joins = render(self._aggregates(), full)

        def json_list(column: str) -> str:
            return (
                f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = 'array'"
                f" THEN {column} ELSE '[]'::jsonb END)"
            )

        sql = f"""
            INSERT INTO search_provider_entry (role_id, practitioner_id, location_id,
                latitude, longitude, location, flags, sex, accessibility, verified_until,
                certified_until, specialty_ids, nucc_codes, procedure_ids, plan_ids,
                languages, name_terms, name_ordinal, procedure_volume, rating)
            SELECT r.id, p.id, l.id, l.latitude, l.longitude,
                point(l.longitude, l.latitude),
                (CASE WHEN r.accepting_new_patients = %(accepting)s THEN {ACCEPTING} ELSE 0 END)
                | (CASE WHEN l.telehealth THEN {TELEHEALTH} ELSE 0 END)
                | (CASE WHEN p.is_demo THEN 4 ELSE 0 END),
                CASE p.sex {sex_cases} ELSE 0 END,
                CASE WHEN l.accessibility = '[]'::jsonb THEN 0 ELSE
                    coalesce((SELECT sum(DISTINCT CASE a {access_cases} ELSE 0 END)
                    FROM {json_list("l.accessibility")} a), 0) END,
                CASE WHEN v.identity_until IS NULL OR v.license_until IS NULL THEN 0
                     ELSE least(v.identity_until, v.license_until) END,
                {a["certified"]},
                {a["specialties"]}, {a["codes"]}, {a["procedures"]}, {a["plans"]},
                CASE WHEN p.languages = '[]'::jsonb THEN '{{}}'::text[] ELSE
                    ARRAY(SELECT DISTINCT replace(lower(trim(j)), '-', '_')
                    FROM {json_list("p.languages")} j ORDER BY 1) END,
                string_to_array(s.name_words, ' '),
                s.ordinal,
                {a["volume"]},
                CASE WHEN p.review_count >= %(min_reviews)s AND p.review_average IS NOT NULL
                    THEN round(p.review_average * 100)::smallint ELSE 0 END
            FROM {_STAGING} s
            JOIN {t.practitioner} p ON p.id = s.practitioner_id
            JOIN {t.role} r ON r.practitioner_id = p.id
            JOIN {t.location} l ON l.id = r.location_id
            {joins}
            CROSS JOIN LATERAL (SELECT {a["identity"]} AS identity_until,
                {a["license"]} AS license_until) v
            WHERE r.active AND p.active
              AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
            ORDER BY floor((l.latitude + 90) * 10), l.longitude
        """  # noqa: S608 - table names come from model metadata, values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = cursor.rowcount
            if full:
                # Statistics for the name step's join over the new entries.
                cursor.execute("ANALYZE search_provider_entry")
            return written

    def staged_volumes(self, volume_table: str) -> str:
        return (
            f"FROM {volume_table} v"  # noqa: S608
            f" JOIN {_STAGING} s ON s.practitioner_id = v.practitioner_id"
        )

    def newest_per_procedure(self, staged: str) -> str:
        return (
            "SELECT DISTINCT ON (v.practitioner_id, v.procedure_id)"
            f" v.practitioner_id, v.procedure_id, v.year, v.services {staged}"
            " ORDER BY v.practitioner_id, v.procedure_id, v.year DESC"
        )

    # Facet tokens of one entry (see Criteria.match_tokens), as one string split by the unit
    # separator: plain array and string functions, where unnesting each array into rows and
    # aggregating them back cost 3 s per 100,000 entries.
    _FACETS = f"""concat_ws(chr(31),
        '_s' || nullif(array_to_string(e.specialty_ids, chr(31) || '_s'), ''),
        '_p' || nullif(array_to_string(e.procedure_ids, chr(31) || '_p'), ''),
        '_i' || nullif(array_to_string(e.plan_ids, chr(31) || '_i'), ''),
        '_l' || nullif(array_to_string(e.languages, chr(31) || '_l'), ''),
        '_x' || e.sex,
        CASE WHEN e.flags & {ACCEPTING} <> 0 THEN '_a' END,
        CASE WHEN e.flags & {TELEHEALTH} <> 0 THEN '_t' END)"""

    def fill_names(self, practitioner_ids: list[int] | None) -> int:
        full = practitioner_ids is None
        in_staging = f"e.practitioner_id IN (SELECT practitioner_id FROM {_STAGING})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_provider_name (ordinal, practitioner_id, sort_name, document)"  # noqa: S608 - a fixed fragment
                " SELECT s.ordinal, s.practitioner_id, s.sort_name,"
                " array_to_tsvector(string_to_array(s.name_words, ' ')"
                "  || coalesce(string_to_array(f.facets, chr(31)), '{}'))"
                # Repeats (two roles, one specialty) need no DISTINCT: array_to_tsvector
                # drops them itself.
                # LEFT: a practitioner with no located role is still found by name (FHIR).
                f" FROM {_STAGING} s LEFT JOIN (SELECT e.practitioner_id,"
                f" string_agg({self._FACETS}, chr(31)) AS facets FROM search_provider_entry e"
                # A full rebuild reads every entry anyway: one pass, no lookup per row.
                f" WHERE {'TRUE' if full else in_staging}"
                " GROUP BY e.practitioner_id) f ON f.practitioner_id = s.practitioner_id"
                # In name order on disk too: name-sorted reads walk the table forwards.
                " ORDER BY s.ordinal"
            )
            return cursor.rowcount

    def replace_provider_terms(self, terms: list[TermRow]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_provider_term")
            copy_sql = (
                "COPY search_provider_term (term, weight, is_name, specialty_ids, procedure_ids)"
                " FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for t in terms:
                    copy.write_row(
                        (t.term, t.weight, t.is_name, list(t.specialty_ids), list(t.procedure_ids))
                    )

    def add_name_terms(self, words: dict[str, int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_provider_term (term, weight, is_name, specialty_ids,"
                " procedure_ids) VALUES (%s, %s, true, '{}', '{}')"
                " ON CONFLICT (term) DO UPDATE SET is_name = true",
                list(words.items()),
            )

    def finish_build(self, full: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {_STAGING}")
            if full:
                self._restore_indexes(cursor)
                cursor.execute(
                    "ANALYZE search_provider_entry, search_provider_name, search_provider_term"
                )

    def settle(self) -> None:
        """After a full rebuild has committed: set hint bits and the visibility map now,
        rather than have the first searches write them (VACUUM cannot run in a transaction).
        """
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_provider_entry, search_provider_name")
