"""Provider index backends, one per database vendor, behind one small protocol.

The engine hands a backend a query already reduced to index values (ids, bit masks, day
numbers, folded name words), so a backend compiles structure to its own SQL and never sees
what a patient typed. Both backends keep the same tables (migration 0003) with the same
meaning; only the spatial and text structures differ.
"""

import datetime
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from django.db import connection

from careatlas.providers.geocoding import EARTH_RADIUS_MILES
from careatlas.providers.models import AcceptingPatients, AccessibilityFeature, Sex

# Flag bits of search_provider_entry.flags.
ACCEPTING = 1
TELEHEALTH = 2
DEMO = 4
# search_provider_entry.sex; 0 is "not stated".
SEX_CODES = {Sex.FEMALE: 1, Sex.MALE: 2, Sex.OTHER: 3}
# One bit per accessibility feature, in the enum's order (append new features at the end,
# then rebuild the index).
ACCESSIBILITY_BITS = {code: 1 << i for i, code in enumerate(AccessibilityFeature.values)}
ACCEPTING_CODE = AcceptingPatients.YES.value
# Ordinals of search_provider_name are spaced so a renamed or new practitioner can be
# slotted between two neighbours without renumbering (see `slot_ordinal`).
ORDINAL_GAP = 1024
# Added to the weight of words of specialty, procedure and condition names, so a typo is
# corrected towards them rather than towards a rare surname ("manipulatve" -> manipulative).
TOPIC_WEIGHT = 1_000_000
# Id columns of search_provider_entry that other modules may select (entries_in_box).
ENTRY_ID_COLUMNS = ("role_id", "location_id")
# search_provider_volume.procedure_id of a practitioner's total over all procedures.
ALL_PROCEDURES = 0
# "Never expires" for certified_until / verified_until day numbers.
FOREVER = 10**7
_EPOCH = datetime.date(1970, 1, 1)
MILES_PER_DEGREE = EARTH_RADIUS_MILES * math.pi / 180


def day_number(day: datetime.date) -> int:
    """Days since 1970-01-01: how the index stores dates (verified until, certified until)."""
    return (day - _EPOCH).days


def language_token(code: str) -> str:
    """Language codes as the index stores them: lower case, "-" as "_" ("zh-Hant" -> zh_hant)."""
    return code.strip().lower().replace("-", "_")


@dataclass(frozen=True)
class Clause:
    """One word of the text: a row matches if any of these is among its specialties,
    its procedures offered or the words of the practitioner's name."""

    specialty_ids: frozenset[int] = frozenset()
    procedure_ids: frozenset[int] = frozenset()
    name_terms: frozenset[str] = frozenset()

    def __or__(self, other: "Clause") -> "Clause":
        return Clause(
            self.specialty_ids | other.specialty_ids,
            self.procedure_ids | other.procedure_ids,
            self.name_terms | other.name_terms,
        )

    def __bool__(self) -> bool:
        return bool(self.specialty_ids or self.procedure_ids or self.name_terms)

    def tokens(self) -> list[str]:
        """The clause as words of the name index (names plus facet tokens), sorted."""
        return sorted(
            [*self.name_terms]
            + [f"_s{i}" for i in self.specialty_ids]
            + [f"_p{i}" for i in self.procedure_ids]
        )


@dataclass(frozen=True)
class Criteria:
    """What every returned row must satisfy, resolved to index values."""

    clauses: tuple[Clause, ...] = ()
    specialty_id: int | None = None
    procedure_id: int | None = None
    plan_id: int | None = None
    language: str = ""  # as language_token() stores it
    sex: int | None = None
    flags: int = 0  # every one of these bits
    accessibility: int = 0  # every one of these bits
    verified_on: int | None = None  # day number: verified on that day
    certified_on: int | None = None  # day number: board-certified on that day
    min_volume: int | None = None  # Medicare services in the newest year, at least
    # Whose volume orders and filters: a procedure id, or None for the total over all.
    volume_procedure_id: int | None = None

    def match_tokens(self) -> list[list[str]]:
        """Groups of name-index tokens: every group must have a token of the row.

        Facets are indexed per practitioner (any of their roles), so they narrow the
        candidates; the role-level test on search_provider_entry decides.
        """
        groups = [clause.tokens() for clause in self.clauses]
        singles = [
            f"_s{self.specialty_id}" if self.specialty_id is not None else "",
            f"_p{self.procedure_id}" if self.procedure_id is not None else "",
            f"_i{self.plan_id}" if self.plan_id is not None else "",
            f"_l{self.language}" if self.language else "",
            f"_x{self.sex}" if self.sex is not None else "",
            "_a" if self.flags & ACCEPTING else "",
            "_t" if self.flags & TELEHEALTH else "",
        ]
        return groups + [[token] for token in singles if token]


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius_miles: float

    def bounding_box(self) -> tuple[float, float, float, float]:
        """(south, north, west, east) in degrees, a little larger than the circle.

        The margin covers R*Tree's 32-bit coordinates (rounded outwards, about a metre).
        US places never straddle the antimeridian (Adak, AK is at -176.6), so the box
        is clamped rather than split.
        """
        margin = 1e-4
        dlat = self.radius_miles / MILES_PER_DEGREE + margin
        widest = min(89.0, abs(self.latitude) + dlat)
        dlon = dlat / math.cos(math.radians(widest))
        return (
            max(-90.0, self.latitude - dlat),
            min(90.0, self.latitude + dlat),
            max(-180.0, self.longitude - dlon),
            min(180.0, self.longitude + dlon),
        )


class Order(Enum):
    DISTANCE = "distance"
    NAME = "name"
    VOLUME = "volume"  # most procedures first, then distance (or name without a place)


@dataclass(frozen=True)
class Row:
    """One practitioner at one place, as the index holds it."""

    practitioner_id: int
    entry_id: int
    location_id: int
    latitude: float
    longitude: float
    flags: int
    verified_until: int
    certified_until: int
    specialty_ids: tuple[int, ...]
    procedure_volume: int | None


@dataclass
class Page:
    rows: list[Row]
    total: int
    # False when only the first candidates in name order were examined (nationwide).
    exact: bool = True


@dataclass(frozen=True)
class NameRow:
    """A practitioner's name, folded once in Python so every vendor matches the same words."""

    practitioner_id: int
    sort_name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class TermRow:
    """A vocabulary word: how common, whether it is in a name, what topics use it."""

    term: str
    weight: int
    is_name: bool
    specialty_ids: tuple[int, ...] = ()
    procedure_ids: tuple[int, ...] = ()

    def clause(self) -> Clause:
        return Clause(
            frozenset(self.specialty_ids),
            frozenset(self.procedure_ids),
            frozenset([self.term]) if self.is_name else frozenset(),
        )


@dataclass
class Neighbours:
    """Ordinals around a name in search_provider_name order (None at either end)."""

    before: int | None = None
    after: int | None = None
    last: int = 0


def slot_ordinal(around: Neighbours) -> int:
    """An ordinal between two neighbours; the end of the list if they leave no room.

    A name placed at the end shows out of order in name-sorted lists until the next
    full rebuild, which spaces every ordinal again.
    """
    if around.before is None and around.after is None:
        return around.last + ORDINAL_GAP
    if around.after is None:
        return around.before + ORDINAL_GAP
    if around.before is None:
        return around.after - ORDINAL_GAP
    if around.after - around.before >= 2:
        return (around.before + around.after) // 2
    return around.last + ORDINAL_GAP


@dataclass
class BuildStats:
    entries: int = 0
    names: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class Backend(Protocol):
    # -- writes ---------------------------------------------------------------------------
    def begin_build(self, practitioner_ids: list[int] | None) -> dict[int, tuple[int, str]]:
        """Drop the rows to be rebuilt (all when None) and empty the name staging table.

        Returns each dropped practitioner's (ordinal, sort name), to keep unchanged names
        in place.
        """

    def stage_names(self, rows: Iterable[NameRow]) -> None: ...

    def staged_names(self) -> list[tuple[int, str]]: ...

    def number_ordinals(self) -> None:
        """Give every staged name an ordinal in name order, ORDINAL_GAP apart."""

    def set_ordinals(self, ordinals: dict[int, int]) -> None: ...

    def neighbours(self, sort_name: str, practitioner_id: int) -> Neighbours: ...

    def ordinal_taken(self, ordinal: int) -> bool: ...

    def fill_entries(self, practitioner_ids: list[int] | None, stale_days: int) -> int:
        """Write entries for staged practitioners from the directory tables; returns rows."""

    def fill_volumes(self) -> int:
        """Write the staged practitioners' newest Medicare volumes (before their entries,
        which copy the total); returns rows."""

    def fill_names(self, practitioner_ids: list[int] | None) -> int: ...

    def replace_terms(self, terms: list[TermRow]) -> None: ...

    def add_name_terms(self, words: dict[str, int]) -> None: ...

    def name_term_counts(self) -> dict[str, int]:
        """How many practitioners have each name word (to rebuild the vocabulary)."""

    def finish_build(self, full: bool) -> None: ...

    def settle(self) -> None:
        """After a full rebuild committed: leave the storage ready for fast reads."""

    # -- reads ----------------------------------------------------------------------------
    def within(
        self, criteria: Criteria, circle: Circle, order: Order, limit: int, offset: int
    ) -> Page: ...

    def nationwide(
        self, criteria: Criteria, order: Order, limit: int, offset: int, window: int
    ) -> Page: ...

    def practitioners_named(self, clauses: list[Clause], limit: int) -> list[tuple[int, int]]:
        """(practitioner id, location id of their first entry) for practitioners whose name
        has a word of every clause, in name order."""

    def terms(self, words: Iterable[str]) -> dict[str, TermRow]: ...

    def prefix_terms(self, prefix: str, limit: int, names_only: bool) -> list[TermRow]: ...

    def prefix_terms_any(self, prefixes: list[str], limit: int, names_only: bool) -> list[TermRow]:
        """Vocabulary words that start with any of the prefixes, most common first."""

    def similar_terms(self, word: str, limit: int) -> list[TermRow]:
        """Vocabulary words that share trigrams with `word`, most alike first."""

    def naive_within(self, criteria: Criteria, circle: Circle, limit: int) -> tuple[list[int], int]:
        """The same search without spatial or text indexes (for the benchmark only)."""

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

    def entries_in_box(
        self, circle: Circle, column: str, specialty_ids: Collection[int] = ()
    ) -> tuple[str, list]:
        """SQL and parameters selecting `column` (role_id or location_id) of every entry
        inside the circle's bounding box (and with one of `specialty_ids`, if given), for
        use as a subquery; callers cut at the exact distance."""


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        from careatlas.search.providers.backends.postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from careatlas.search.providers.backends.sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"No provider search backend for {connection.vendor!r} databases.")


@dataclass(frozen=True)
class VolumeTerms:
    """How a query reaches the volume it orders or filters by: the entry's total, or the
    procedure's row of search_provider_volume joined as `v` (only when it is needed)."""

    column: str = "e.procedure_volume"
    join: str = ""
    params: dict = field(default_factory=dict)


def volume_terms(criteria: Criteria, order: Order) -> VolumeTerms:
    needed = order is Order.VOLUME or criteria.min_volume is not None
    if criteria.volume_procedure_id is None or not needed:
        return VolumeTerms()
    return VolumeTerms(
        column="v.services",
        join=(
            " LEFT JOIN search_provider_volume v ON v.practitioner_id = e.practitioner_id"
            " AND v.procedure_id = %(volume_procedure)s"
        ),
        params={"volume_procedure": criteria.volume_procedure_id},
    )


@dataclass(frozen=True)
class VolumeCandidates:
    """Practitioners who reach `min_volume` for the criteria's procedure (or in total), most
    services first: WHERE and ORDER BY over search_provider_volume as `vc` (its rank index).

    A nationwide search with a minimum volume takes its candidates from here rather than
    from the first names in name order, which might include nobody who qualifies.
    """

    where: str
    order: str
    params: dict


def volume_candidates(criteria: Criteria) -> VolumeCandidates:
    procedure = criteria.volume_procedure_id
    return VolumeCandidates(
        where="vc.procedure_id = %(candidate_procedure)s AND vc.services >= %(min_volume)s",
        order="vc.services DESC, vc.practitioner_id",
        params={
            "candidate_procedure": ALL_PROCEDURES if procedure is None else procedure,
            "min_volume": criteria.min_volume,
        },
    )


def volumes_of(practitioner_ids: list[int], procedure_id: int | None) -> dict[int, tuple[int, int]]:
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


def volumes_available() -> bool:
    """Whether any Medicare volume is indexed (claims data imported at all)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_provider_volume LIMIT 1")
        return cursor.fetchone() is not None


class FilterTerms:
    """WHERE terms and parameters for the criteria, cheapest tests first.

    Both backends share the scalar tests; each says how a multi-valued column contains a
    value (`contains`) and how a text clause is written (`_clause`).
    """

    always_true = "1"

    def __init__(self, criteria: "Criteria", volume: VolumeTerms | None = None):
        self.params: dict = {}
        terms: list[str] = []
        if criteria.flags:
            terms.append("(e.flags & %(flags)s) = %(flags)s")
            self.params["flags"] = criteria.flags
        if criteria.accessibility:
            terms.append("(e.accessibility & %(access)s) = %(access)s")
            self.params["access"] = criteria.accessibility
        if criteria.sex is not None:
            terms.append("e.sex = %(sex)s")
            self.params["sex"] = criteria.sex
        if criteria.verified_on is not None:
            terms.append("e.verified_until >= %(verified_on)s")
            self.params["verified_on"] = criteria.verified_on
        if criteria.certified_on is not None:
            terms.append("e.certified_until >= %(certified_on)s")
            self.params["certified_on"] = criteria.certified_on
        for column, value in (
            ("specialty_ids", criteria.specialty_id),
            ("procedure_ids", criteria.procedure_id),
            ("plan_ids", criteria.plan_id),
            ("languages", criteria.language or None),
        ):
            if value is not None:
                terms.append(self.contains(column, value))
        for clause in criteria.clauses:
            terms.append(self._clause(clause))
        if criteria.min_volume is not None:
            # Last: with a procedure it reads a joined row of search_provider_volume.
            volume = volume or VolumeTerms()
            terms.append(f"{volume.column} >= %(min_volume)s")
            self.params["min_volume"] = criteria.min_volume
            self.params.update(volume.params)
        self.terms = terms

    def contains(self, column: str, value) -> str:
        raise NotImplementedError

    def _clause(self, clause: "Clause") -> str:
        raise NotImplementedError

    def sql(self) -> str:
        return " AND ".join(self.terms) if self.terms else self.always_true
