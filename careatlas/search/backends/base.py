"""What every search backend does, and the parts of it that are the same on both databases.

One backend class per database serves guide search (SearchDocument, SearchTerm: migration
0002) and provider search (the search_provider_* tables: migrations 0003 and 0004). Both
vendors keep the same tables with the same meaning; only the full-text and spatial
structures, and so the SQL that reads and writes them, differ.
"""

from collections.abc import Collection, Iterable

from django.db import connection

from careatlas.providers.models import MIN_REVIEWS_FOR_AVERAGE
from careatlas.search.backends.filters import (
    FilterTerms,
    VolumeCandidates,
    VolumeTerms,
    volume_candidates,
    volume_terms,
)
from careatlas.search.backends.values import (
    ACCEPTING_CODE,
    ACCESSIBILITY_BITS,
    ALL_PROCEDURES,
    FOREVER,
    SEX_CODES,
    TOPIC_WEIGHT,
    Circle,
    Clause,
    Criteria,
    IndexedText,
    NameRow,
    Neighbours,
    Order,
    Page,
    PhraseClause,
    Row,
    TermRow,
)
from careatlas.search.sources import directory_tables, directory_values

Ids = Collection[int]
Codes = Collection[str] | None  # None: any code


class Backend:
    """The skeleton: the vendor classes fill in the SQL marked `NotImplementedError`."""

    # The temporary table a build stages practitioners' names in.
    staging = "search_provider_staging"
    # The empty value of a multi-valued id column of search_provider_term, as SQL.
    no_ids: str
    # How the vendor writes the WHERE terms of a provider search.
    filter_terms: type[FilterTerms]

    # -- guide search: writes ------------------------------------------------------------
    def replace_documents(self, rows: list[IndexedText]) -> None:
        raise NotImplementedError

    def replace_document_terms(self) -> None:
        raise NotImplementedError

    # -- guide search: reads -------------------------------------------------------------
    def match_documents(
        self, clauses: list[PhraseClause], language: str, require_all: bool, limit: int
    ) -> list[tuple[int, float]]:
        """(document id, relevance) pairs, most relevant first; relevance is > 0."""
        raise NotImplementedError

    def document_prefix_terms(self, prefix: str, language: str, limit: int) -> list[str]:
        """The most important words of `language`'s vocabulary that start with `prefix`."""
        raise NotImplementedError

    def document_similar_terms(self, word: str, language: str, limit: int) -> list[tuple[str, int]]:
        """(term, weight) pairs of `language`'s vocabulary words that look like `word`."""
        raise NotImplementedError

    # -- provider search: writes ---------------------------------------------------------
    def begin_build(self, practitioner_ids: list[int] | None) -> dict[int, tuple[int, str]]:
        """Drop the rows to be rebuilt (all when None) and empty the name staging table.

        Returns each dropped practitioner's (ordinal, sort name), to keep unchanged names
        in place.
        """
        raise NotImplementedError

    def stage_names(self, rows: Iterable[NameRow]) -> None:
        raise NotImplementedError

    def staged_names(self) -> list[tuple[int, str]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT practitioner_id, sort_name FROM {self.staging}")  # noqa: S608
            return cursor.fetchall()

    def number_ordinals(self) -> None:
        """Give every staged name an ordinal in name order, ORDINAL_GAP apart."""
        raise NotImplementedError

    def set_ordinals(self, ordinals: dict[int, int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {self.staging} SET ordinal = %s WHERE practitioner_id = %s",  # noqa: S608
                [(ordinal, pk) for pk, ordinal in ordinals.items()],
            )

    def neighbours(self, sort_name: str, practitioner_id: int) -> Neighbours:
        with connection.cursor() as cursor:
            # Row values walk the (sort_name, practitioner_id) index one step either way.
            cursor.execute(
                "SELECT (SELECT ordinal FROM search_provider_name"
                "  WHERE (sort_name, practitioner_id) < (%(name)s, %(pk)s)"
                "  ORDER BY sort_name DESC, practitioner_id DESC LIMIT 1),"
                " (SELECT ordinal FROM search_provider_name"
                "  WHERE (sort_name, practitioner_id) > (%(name)s, %(pk)s)"
                "  ORDER BY sort_name, practitioner_id LIMIT 1),"
                " (SELECT coalesce(max(ordinal), 0) FROM search_provider_name)",
                {"name": sort_name, "pk": practitioner_id},
            )
            return Neighbours(*cursor.fetchone())

    def ordinal_taken(self, ordinal: int) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM search_provider_name WHERE ordinal = %s", [ordinal])
            return cursor.fetchone() is not None

    def fill_entries(self, practitioner_ids: list[int] | None, stale_days: int) -> int:
        """Write entries for staged practitioners from the directory tables; returns rows."""
        raise NotImplementedError

    @staticmethod
    def entry_codes(stale_days: int) -> tuple[dict, str, str]:
        """The parameters of fill_entries, and its CASE arms for accessibility and sex."""
        access_cases = " ".join(
            f"WHEN %(access_{i})s THEN {bit}" for i, bit in enumerate(ACCESSIBILITY_BITS.values())
        )
        sex_cases = " ".join(f"WHEN %(sex_{code})s THEN {code}" for code in SEX_CODES.values())
        params = {
            **directory_values(),
            "stale": stale_days,
            "min_reviews": MIN_REVIEWS_FOR_AVERAGE,
            "forever": FOREVER,
            "accepting": ACCEPTING_CODE,
            **{f"sex_{code}": value.value for value, code in SEX_CODES.items()},
            **{f"access_{i}": code for i, code in enumerate(ACCESSIBILITY_BITS)},
        }
        return params, access_cases, sex_cases

    def fill_volumes(self) -> int:
        """Write the staged practitioners' newest Medicare volumes (before their entries,
        which copy the total); returns rows."""
        staged = self.staged_volumes(directory_tables().procedure_volume)
        with connection.cursor() as cursor:
            # The newest year of each procedure, then each practitioner's newest year in total.
            cursor.execute(
                "INSERT INTO search_provider_volume (practitioner_id, procedure_id, year, services)"  # noqa: S608
                f" {self.newest_per_procedure(staged)}"
            )
            written = cursor.rowcount
            # One pass with a window, not a correlated max(): right after a bulk import the
            # planner has no statistics for the volumes and scanned them once per row.
            cursor.execute(
                "INSERT INTO search_provider_volume (practitioner_id, procedure_id, year, services)"  # noqa: S608
                f" SELECT practitioner_id, {ALL_PROCEDURES}, year, sum(services) FROM ("
                " SELECT v.practitioner_id, v.year, v.services,"
                f"  max(v.year) OVER (PARTITION BY v.practitioner_id) AS newest {staged}"
                ") latest WHERE year = newest GROUP BY practitioner_id, year"
            )
            return written + cursor.rowcount

    def staged_volumes(self, volume_table: str) -> str:
        """FROM (and WHERE) of the staged practitioners' rows of `volume_table`, as `v`."""
        raise NotImplementedError

    def newest_per_procedure(self, staged: str) -> str:
        """SELECT of (practitioner_id, procedure_id, year, services) from `staged`, the
        newest year of each practitioner and procedure."""
        raise NotImplementedError

    def fill_names(self, practitioner_ids: list[int] | None) -> int:
        raise NotImplementedError

    def replace_provider_terms(self, terms: list[TermRow]) -> None:
        raise NotImplementedError

    def add_name_terms(self, words: dict[str, int]) -> None:
        raise NotImplementedError

    def name_term_counts(self) -> dict[str, int]:
        """How many practitioners have each name word (to rebuild the vocabulary)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, CASE WHEN specialty_ids = {self.no_ids}"  # noqa: S608
                f" AND procedure_ids = {self.no_ids}"
                " THEN weight ELSE weight - %s END FROM search_provider_term WHERE is_name",
                [TOPIC_WEIGHT],
            )
            return dict(cursor.fetchall())

    def finish_build(self, full: bool) -> None:
        raise NotImplementedError

    def settle(self) -> None:
        """After a full rebuild committed: leave the storage ready for fast reads."""
        raise NotImplementedError

    # -- provider search: reads ----------------------------------------------------------
    def within(
        self, criteria: Criteria, circle: Circle, order: Order, limit: int, offset: int
    ) -> Page:
        """One page of the practitioners with an entry inside the circle (nearest first,
        unless `order` says otherwise) that pass the filters."""
        sql, count, params = self.within_sql(criteria, circle, order)
        return self.page(sql, {**params, "limit": limit, "offset": offset}, count, offset)

    def within_sql(self, criteria: Criteria, circle: Circle, order: Order) -> tuple[str, str, dict]:
        """within's page SQL (taking %(limit)s and %(offset)s), its count's, and parameters."""
        raise NotImplementedError

    def nationwide(
        self, criteria: Criteria, order: Order, limit: int, offset: int, window: int
    ) -> Page:
        """One page of the first `window` candidates (by volume, or in name order) that pass
        the filters; exact tells whether the window held every candidate."""
        volume, filters, params = self.query_terms(
            criteria, order, window=window, limit=limit, offset=offset
        )
        if criteria.min_volume is not None:
            ranked = volume_candidates(criteria)
            params.update(ranked.params)
            candidates = self.volume_candidates(ranked)
        else:
            candidates = self.name_candidates(criteria, params)
        sql, count = self.nationwide_sql(candidates, volume, filters, order)
        with connection.cursor() as cursor:
            found, total = self.page_of(cursor, sql, params, count, offset)
            cursor.execute(
                f"SELECT count(*) FROM ({candidates} LIMIT %(more)s) c",  # noqa: S608
                {**params, "more": window + 1},
            )
            exact = cursor.fetchone()[0] <= window
        return Page([self.row(r) for r in found], total, exact)

    # What a nationwide candidate carries, and the join the vendor's planner keeps in the
    # order written.
    candidate_columns: str
    ordered_join: str

    def volume_candidates(self, ranked: VolumeCandidates) -> str:
        """The names of practitioners with enough volume, biggest first."""
        return (
            f"SELECT {self.candidate_columns} FROM search_provider_volume vc"  # noqa: S608
            f" {self.ordered_join} search_provider_name n"
            f" ON n.practitioner_id = vc.practitioner_id"
            f" WHERE {ranked.where} ORDER BY {ranked.order}"
        )

    def name_candidates(self, criteria: Criteria, params: dict) -> str:
        """The names matching the criteria's words and facets (all without), in name order;
        adds its parameters to `params`."""
        raise NotImplementedError

    def nationwide_sql(
        self, candidates: str, volume: VolumeTerms, filters: FilterTerms, order: Order
    ) -> tuple[str, str]:
        """The page's SQL over the first `window` candidates, and its count's."""
        raise NotImplementedError

    def practitioners_named(self, clauses: list[Clause], limit: int) -> list[tuple[int, int]]:
        """(practitioner id, location id of their first entry) for practitioners whose name
        has a word of every clause, in name order."""
        raise NotImplementedError

    def provider_terms(self, words: Iterable[str]) -> dict[str, TermRow]:
        raise NotImplementedError

    def provider_prefix_terms(self, prefix: str, limit: int, names_only: bool) -> list[TermRow]:
        return self.provider_prefix_terms_any([prefix], limit, names_only)

    def provider_prefix_terms_any(
        self, prefixes: list[str], limit: int, names_only: bool
    ) -> list[TermRow]:
        """Vocabulary words that start with any of the prefixes, most common first."""
        words, param = self.word_table(prefixes)
        # One range scan of the term index per prefix; "~" sorts after [a-z0-9].
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT t.term, t.weight, t.is_name, t.specialty_ids, t.procedure_ids"  # noqa: S608
                f" FROM {words} {self.ordered_join} search_provider_term t"
                " ON t.term >= p.value AND t.term < p.value || '~'"
                " WHERE t.is_name OR NOT %s ORDER BY t.weight DESC, t.term LIMIT %s",
                [param, names_only, limit],
            )
            return [self.term_row(row) for row in cursor.fetchall()]

    @staticmethod
    def word_table(words: list[str]) -> tuple[str, object]:
        """A table `p` of the words in its column `value`, and its one parameter."""
        raise NotImplementedError

    def provider_similar_terms(self, word: str, limit: int) -> list[TermRow]:
        """Vocabulary words that share trigrams with `word`, most alike first."""
        raise NotImplementedError

    def roles_within(
        self,
        circle: Circle,
        specialty_ids: Collection[int],
        nucc_codes: Collection[str] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[int, float, float]], int]:
        """One page of (role id, latitude, longitude) of the indexed roles inside the circle,
        nearest first (ties by role id), that have one of `specialty_ids` (if any) and one of
        `nucc_codes` (RoleSpecialty.code; None: any), and how many there are in all."""
        if nucc_codes is not None and not nucc_codes:
            return [], 0
        params = {"limit": limit, "offset": offset}
        source, nearest = self.roles_source(circle, specialty_ids, nucc_codes, params)
        sql = (
            "SELECT e.role_id, e.latitude, e.longitude, count(*) OVER ()"  # noqa: S608
            f" {source} ORDER BY {nearest}, e.role_id LIMIT %(limit)s OFFSET %(offset)s"
        )
        with connection.cursor() as cursor:
            found, total = self.page_of(cursor, sql, params, f"SELECT count(*) {source}", offset)
        return [row[:3] for row in found], total

    def locations_within(
        self, circle: Circle, limit: int, offset: int
    ) -> tuple[list[tuple[int, float, float]], int]:
        """One page of (location id, latitude, longitude) of the places of indexed roles
        inside the circle, nearest first (ties by id), and how many there are in all."""
        params = {"limit": limit, "offset": offset}
        source, nearest = self.roles_source(circle, (), None, params)
        # Every entry of a place has the place's point, so min() just picks it.
        sql = (
            "SELECT e.location_id, min(e.latitude), min(e.longitude), count(*) OVER ()"  # noqa: S608
            f" {source} GROUP BY e.location_id ORDER BY min({nearest}), e.location_id"
            " LIMIT %(limit)s OFFSET %(offset)s"
        )
        count_sql = f"SELECT count(DISTINCT e.location_id) {source}"  # noqa: S608
        with connection.cursor() as cursor:
            found, total = self.page_of(cursor, sql, params, count_sql, offset)
        return [row[:3] for row in found], total

    def roles_source(
        self, circle: Circle, specialty_ids: Ids, nucc_codes: Codes, params: dict
    ) -> tuple[str, str]:
        """FROM and WHERE of roles_within's entries `e`, and its nearest-first sort key;
        adds its parameters to `params`."""
        raise NotImplementedError

    def names_with_words(self, prefixes: list[str]) -> tuple[str, list]:
        """SQL and parameters selecting the practitioner_id of every indexed name with a word
        starting with each of `prefixes` (folded words), for use as a subquery."""
        raise NotImplementedError

    def names_starting(self, prefix: str) -> tuple[str, list]:
        """SQL and parameters selecting the practitioner_id of every indexed name whose sort
        name (surname words, then given, then middle) starts with `prefix`, for a subquery.
        A range over the sort-name index: "~" sorts after every folded character."""
        return (
            "SELECT practitioner_id FROM search_provider_name"
            " WHERE sort_name >= %s AND sort_name < %s",
            [prefix, prefix + "~"],
        )

    def entries_in_box(
        self, circle: Circle, column: str, specialty_ids: Collection[int] = ()
    ) -> tuple[str, list]:
        """SQL and parameters selecting `column` (role_id or location_id) of every entry
        inside the circle's bounding box (and with one of `specialty_ids`, if given), for
        use as a subquery; callers cut at the exact distance."""
        raise NotImplementedError

    def volumes_of(
        self, practitioner_ids: list[int], procedure_id: int | None
    ) -> dict[int, tuple[int, int]]:
        """Practitioner id -> (services, data year) for a procedure (None: their total)."""
        if not practitioner_ids:
            return {}
        marks = ", ".join(["%s"] * len(practitioner_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT practitioner_id, services, year FROM search_provider_volume"  # noqa: S608
                f" WHERE procedure_id = %s AND practitioner_id IN ({marks})",
                [ALL_PROCEDURES if procedure_id is None else procedure_id, *practitioner_ids],
            )
            return {pk: (services, year) for pk, services, year in cursor.fetchall()}

    def volumes_available(self) -> bool:
        """Whether any Medicare volume is indexed (claims data imported at all)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM search_provider_volume LIMIT 1")
            return cursor.fetchone() is not None

    # -- shared by the vendors' reads ----------------------------------------------------
    def query_terms(
        self, criteria: Criteria, order: Order, **params
    ) -> tuple[VolumeTerms, FilterTerms, dict]:
        """A provider search's volume join and WHERE terms, and all its parameters."""
        volume = volume_terms(criteria, order)
        filters = self.filter_terms(criteria, volume)
        return volume, filters, {**volume.params, **filters.params, **params}

    @staticmethod
    def ids(value) -> tuple[int, ...]:
        """A multi-valued id column as read from the database, as a tuple."""
        raise NotImplementedError

    def row(self, values) -> Row:
        return Row(*values[:8], self.ids(values[8]), values[9])

    def term_row(self, values) -> TermRow:
        term, weight, is_name, specialty_ids, procedure_ids = values
        return TermRow(
            term, weight, bool(is_name), self.ids(specialty_ids), self.ids(procedure_ids)
        )

    def page(self, sql: str, params, count_sql: str, offset: int) -> Page:
        """A page of search rows (see page_of)."""
        with connection.cursor() as cursor:
            found, total = self.page_of(cursor, sql, params, count_sql, offset)
        return Page([self.row(r) for r in found], total)

    @staticmethod
    def page_of(cursor, sql: str, params, count_sql: str, offset: int) -> tuple[list, int]:
        """The rows of one page, each ending with the window count of all matches, and that
        count; past the last page no row carries it, so `count_sql` counts instead."""
        cursor.execute(sql, params)
        found = cursor.fetchall()
        if found:
            return found, found[0][-1]
        if not offset:
            return [], 0
        cursor.execute(count_sql, params)
        return [], cursor.fetchone()[0]
