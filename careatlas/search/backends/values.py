"""Values the search engine and its backends exchange, for guides and providers alike.

A query reaches a backend already reduced to index values (folded [a-z0-9] words, ids, bit
masks, day numbers), so a backend compiles structure to its own SQL and never sees what a
patient typed.
"""

import datetime
import math
from dataclasses import dataclass, field
from enum import Enum

from careatlas.providers.geocoding import EARTH_RADIUS_MILES
from careatlas.providers.models import AcceptingPatients, AccessibilityFeature, Sex

# Guide search: a clause is satisfied by any one of its alternatives; an alternative is a
# run of words that must all occur ("physical therapy").
Alternative = tuple[str, ...]
PhraseClause = tuple[Alternative, ...]


@dataclass(frozen=True)
class IndexedText:
    """What a backend indexes for one SearchDocument: folded title, keywords and body."""

    document_id: int
    language: str
    title: str
    keywords: str
    body: str


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
    without_language: str = ""  # practitioners who do not speak this one
    sex: int | None = None
    flags: int = 0  # every one of these bits
    accessibility: int = 0  # every one of these bits
    verified_on: int | None = None  # day number: verified on that day
    certified_on: int | None = None  # day number: board-certified on that day
    min_volume: int | None = None  # Medicare services in the newest year, at least
    # Whose volume orders and filters: a procedure id, or None for the total over all.
    volume_procedure_id: int | None = None
    # Mean overall score in hundredths of a star, at least (search_provider_entry.rating;
    # 0 there means too few reviews, so any minimum excludes those).
    min_rating: int | None = None

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

    def box_params(self) -> dict[str, float]:
        """The bounding box as the SQL parameters south, north, west and east."""
        return dict(zip(("south", "north", "west", "east"), self.bounding_box(), strict=True))


class Order(Enum):
    DISTANCE = "distance"
    NAME = "name"
    VOLUME = "volume"  # most procedures first, then distance (or name without a place)
    # Best rated first, then distance (or name); too few reviews (rating 0) after everyone.
    RATING = "rating"


@dataclass(frozen=True)
class Row:
    """One practitioner at one place, as the index holds it."""

    practitioner_id: int
    role_id: int
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
