"""Typed request and result shapes of provider search (shared by the page, API and FHIR)."""

from dataclasses import dataclass, field
from decimal import Decimal

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
    # Mean overall score of published reviews, at least (1-5); excludes providers with too
    # few reviews to have an average (providers.MIN_REVIEWS_FOR_AVERAGE).
    min_rating: float | None = None
    accessibility: tuple[str, ...] = ()  # providers.AccessibilityFeature values, all required
    # Medicare services in the newest data year, at least: for the procedure asked for (or
    # the only one the text names), else in total. CMS omits counts under 11.
    min_volume: int | None = None
    sort: str = ""  # "" = distance when near is given, else name
    # A language code whose speakers come first (then everyone else, each in `sort` order).
    speakers_first: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    as_typed: bool = False  # search the text's words as typed: no typo correction


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
    # Published reviews, and their mean overall score (None below MIN_REVIEWS_FOR_AVERAGE).
    review_count: int = 0
    rating: Decimal | None = None
    # Medicare services in the newest data year (claims data): for the query's procedure,
    # else the total over the procedures we list; None when CMS lists none.
    procedure_volume: int | None = None
    volume_year: int | None = None  # the data year of procedure_volume
    role_id: int = 0  # the PractitionerRole this hit is (one practitioner at one place)
    # The Plan-Net code (providers.AcceptingPatients: "newpt", "existptonly", "existptfam",
    # "nopt") or "" when not known; `accepting_new_patients` is True only for "newpt".
    accepting: str = ""
    # The practice takes consultation requests online at this place (takes_requests_here).
    takes_requests: bool = False


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


@dataclass
class NearbyRoles:
    roles: list[tuple[int, float]]  # (role id, great-circle miles), nearest first
    total: int


@dataclass
class NearbyPlaces:
    places: list[tuple[int, float]]  # (location id, great-circle miles), nearest first
    total: int
