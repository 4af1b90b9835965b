"""Typed request and result shapes of provider search (shared by the page and the JSON API)."""

from collections.abc import Collection
from dataclasses import dataclass, field

RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
SORT_CHOICES = ("distance", "rating", "name", "volume")


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    label: str = ""  # what the patient typed, resolved: "New York, NY 10001"


@dataclass(frozen=True)
class ProviderQuery:
    """Everything the search page's query string can say. Validation happens before this."""

    text: str = ""  # provider name, specialty, procedure or condition words (typo-tolerant)
    procedure: str = ""  # procedures.Procedure slug
    specialty: str = ""  # procedures.Specialty slug
    near: GeoPoint | None = None
    radius_miles: int = DEFAULT_RADIUS
    accepting_new_patients: bool = False
    telehealth: bool = False
    insurance: str = ""  # providers.InsurancePlan slug
    language: str = ""  # language code as stored on Practitioner.languages, e.g. "es"
    sex: str = ""  # providers.Sex value
    board_certified: bool = False
    verified: bool = False  # identity and licence verified and current
    min_rating: float | None = None  # reviews arrive with the patient-actions issue
    accessibility: tuple[str, ...] = ()  # providers.AccessibilityFeature values, all required
    # Medicare services in the newest data year, at least: for the procedure asked for (or
    # the only one the text names), else in total. CMS omits counts under 11.
    min_volume: int | None = None
    sort: str = ""  # "" = distance when near is given, else name
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@dataclass
class ProviderHit:
    practitioner_id: int
    npi: str
    name: str  # display name with credentials, e.g. "Alex Demo-Rivera, DO"
    url: str  # profile URL
    specialties: list[str]
    location_id: int
    address: str  # one line: "12 Main St, Springfield, IL 62701"
    city: str
    state: str
    latitude: float
    longitude: float
    phone: str
    distance_miles: float | None
    accepting_new_patients: bool
    telehealth: bool
    verified: bool
    board_certified: bool
    is_demo: bool
    # Medicare services in the newest data year (claims data): for the query's procedure,
    # else the total over the procedures we list; None when CMS lists none.
    procedure_volume: int | None = None
    volume_year: int | None = None  # the data year of procedure_volume


@dataclass
class ProviderResults:
    query: ProviderQuery
    hits: list[ProviderHit]
    total: int
    page: int
    page_size: int
    corrected_text: str = ""  # did-you-mean for the text part
    notes: list[str] = field(default_factory=list)
    # True when the total counts only the first candidates examined (no location given).
    total_is_lower_bound: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class ProviderSuggestion:
    label: str
    url: str
    npi: str  # so API clients need not parse it out of the profile URL
    kind: str = "provider"
    detail: str = ""  # where they practise, e.g. "Austin, TX"


def find_providers(query: ProviderQuery) -> ProviderResults:
    from careatlas.search.providers.engine import find_providers as run

    return run(query)


def autocomplete_providers(prefix: str, limit: int = 8) -> list[ProviderSuggestion]:
    from careatlas.search.providers.engine import autocomplete_providers as run

    return run(prefix, limit)


@dataclass
class NearbyRoles:
    roles: list[tuple[int, float]]  # (role id, great-circle miles), nearest first
    total: int


def roles_near(
    near: GeoPoint,
    radius_miles: float,
    limit: int,
    offset: int,
    specialty_ids: Collection[int] = (),
    nucc_codes: Collection[str] | None = None,
) -> NearbyRoles:
    """One page of the indexed practitioner roles within the radius, nearest first, with
    one of `specialty_ids` (procedures.Specialty ids, if any) and one of `nucc_codes`
    (RoleSpecialty codes; None: any), and their total: the FHIR PractitionerRole search
    near a point, answered from the index alone (its rows are the active roles of active
    practitioners at located places; callers still read each row through their own rules).
    """
    from careatlas.search.providers.engine import roles_near as run

    return run(near, radius_miles, limit, offset, specialty_ids, nucc_codes)


def indexed_near(
    column: str, near: GeoPoint, radius_miles: float, specialty_ids: Collection[int] = ()
):
    """A subquery of the `role_id`s or `location_id`s of indexed roles whose place lies in the
    bounding box of the circle, and that have one of `specialty_ids` (procedures.Specialty
    ids) if any are given, for `pk__in=` (a superset: the caller cuts at the exact distance
    and checks its own criteria). The index holds the active roles of active practitioners
    at located places; this lets other readers (the FHIR `near` search) use its spatial
    index."""
    from careatlas.search.providers.engine import indexed_near as run

    return run(column, near, radius_miles, specialty_ids)


def rebuild_provider_index() -> int:
    """Rebuild the whole provider search index from the directory models; returns rows."""
    from careatlas.search.providers.engine import rebuild_provider_index as run

    return run()


def reindex_practitioners(practitioner_ids: list[int]) -> None:
    """Refresh the index rows of a few practitioners after an edit."""
    from careatlas.search.providers.engine import reindex_practitioners as run

    run(practitioner_ids)
