"""Response shapes of the provider endpoints: search, filters, suggestions, profiles.

Nothing here can hold a report of incorrect information, its contact, or who reviewed it:
those live only in the admin.
"""

import datetime

from ninja import Field, Schema
from pydantic import BaseModel

from careatlas.api.registry_schemas import ClaimsOut, RegistryOut


class Plain(BaseModel):
    """A shape built from plain dicts, validated by pydantic alone.

    ninja's Schema wraps every nested object for Django attribute access before validating
    it: a page of search hits paid about a millisecond for wrapping dicts that need none.
    """


class HitPlace(Plain):
    address: str = Field(description='One line: "12 Main St, Springfield, IL 62701".')
    city: str
    state: str
    latitude: float
    longitude: float
    phone: str


class ProviderHitOut(Plain):
    npi: str
    name: str = Field(description="Display name with credentials.")
    url: str = Field(description="The profile page on the site.")
    api_url: str = Field(description="This provider in the API.")
    specialties: list[str]
    place: HitPlace = Field(description="The matching place (the nearest one to the location).")
    distance_miles: float | None
    accepting_new_patients: bool
    telehealth: bool
    verified: bool = Field(description="Identity and license verified, current, undisputed.")
    board_certified: bool
    is_demo: bool = Field(description="Synthetic demo data, never a real provider.")
    review_count: int = Field(description="Published reviews from verified visits.")
    rating: float | None = Field(
        description="Mean overall score of published reviews, 1-5, two decimals; null with "
        "fewer than 5 reviews (too few to judge)."
    )
    procedure_volume: int | None = Field(
        description="Medicare services in the newest data year: for the chosen procedure, "
        "else in total over the procedures the site lists."
    )
    volume_year: int | None = Field(description="The data year of procedure_volume.")
    confirmed_by_practice: list[str] = Field(
        description="Facts of this place the practice itself confirmed recently: "
        "accepting_new_patients, telehealth."
    )


class ResolvedPlace(Plain):
    label: str
    latitude: float
    longitude: float


class PageLinks(Plain):
    self: str
    next: str | None
    previous: str | None


class ProviderSearchOut(Plain):
    total: int
    total_is_lower_bound: bool = Field(
        description="Without a location only the first candidates are counted: at least total."
    )
    page: int
    page_size: int
    pages: int
    location: ResolvedPlace | None = Field(description="Where `location` was understood to be.")
    radius_miles: int | None
    corrected_text: str | None = Field(description="`q` with typos fixed, if any were.")
    notes: list[str] = Field(description="Why nothing can match, when that is known.")
    results: list[ProviderHitOut]
    links: PageLinks


class Choice(Schema):
    value: str
    label: str


class SearchFilters(Schema):
    """The values each provider-search parameter accepts, with the page's labels."""

    procedure: list[Choice]
    specialty: list[Choice]
    radius: list[Choice]
    insurance: list[Choice]
    language: list[Choice]
    sex: list[Choice]
    access: list[Choice]
    min_volume: list[Choice]
    min_rating: list[Choice]
    sort: list[Choice]


class ProviderSuggestionOut(Schema):
    npi: str
    label: str
    detail: str = Field(description='Where they practise, e.g. "Austin, TX".')
    url: str
    api_url: str


class ProviderSuggestionList(Schema):
    results: list[ProviderSuggestionOut]


class VerificationOut(Schema):
    """How and when one fact was checked. `verified_by` names the data source for registry
    and claims matches; for checks made by people it says who in general, never a name."""

    fact: str
    method: str = Field(
        description="registry_match, claims_data, document, office_confirmation or patient_report."
    )
    method_label: str
    verified_by: str
    verified_on: datetime.date
    stale: bool = Field(description="Older than the site's freshness limit.")
    disputed: bool = Field(description="Reported as possibly wrong; being checked.")


class FactOut(Schema):
    """One fact as the profile page shows it, with its badge and verification record."""

    fact: str
    label: str
    value: str
    status: str = Field(description="verified, stale, disputed or unverified.")
    status_text: str = Field(description='The badge, e.g. "Verified March 2026 via ...".')
    status_detail: str
    confirmed_by_practice: bool = Field(
        description="Current, and confirmed by the practice itself rather than by a registry, "
        "claims data or our team."
    )
    verification: VerificationOut | None


class LanguageOut(Schema):
    code: str
    name: str


class LicenseOut(Schema):
    state: str
    number: str
    status: str
    expires_on: datetime.date | None
    fact: FactOut


class CertificationOut(Schema):
    board: str
    specialty: str
    status: str
    expires_on: datetime.date | None
    fact: FactOut


class OrganizationOut(Schema):
    name: str
    npi: str | None
    website: str | None


class Feature(Schema):
    code: str
    label: str


class HoursOut(Schema):
    day: str
    hours: str


class LocationOut(Schema):
    name: str
    address: list[str]
    city: str
    state: str
    zip_code: str
    latitude: float | None
    longitude: float | None
    phone: str
    telehealth: bool = Field(description="Video or phone visits are offered.")
    video_visits: bool | None = Field(description="Null when the practice has not said.")
    phone_visits: bool | None = Field(description="Null when the practice has not said.")
    staff_languages: list[LanguageOut]
    accessibility: list[Feature]
    hours: list[HoursOut] = Field(description="Every day of the week; empty when not known.")


class RoleSpecialtyOut(Schema):
    code: str = Field(description="NUCC taxonomy code.")
    name: str = Field(description="Our specialty's name, else NUCC's name for the code.")
    primary: bool


class OfferedOut(Schema):
    slug: str
    name: str
    url: str | None
    self_pay_low: float | None
    self_pay_high: float | None
    self_pay_text: str
    offered: FactOut
    price: FactOut | None


class PlanOut(Schema):
    slug: str
    name: str
    plan_type: str


class PlaceOut(Schema):
    heading: str
    organization: OrganizationOut | None
    location: LocationOut
    accepting_new_patients: Feature
    specialties: list[RoleSpecialtyOut]
    procedures: list[OfferedOut]
    insurance: list[PlanOut]
    facts: list[FactOut] = Field(description="Address, phone, new patients, telehealth...")
    hours: FactOut
    coverage: FactOut = Field(description="Whether the insurance list was verified.")


class PracticeOut(Schema):
    """Whether the practice keeps this profile, and when it last confirmed all of it."""

    claimed: bool
    claimed_on: datetime.date | None
    confirmed_on: datetime.date | None = Field(
        description="The last day the practice confirmed every fact it keeps."
    )
    notice: str | None = Field(
        description='"Not confirmed by the practice since <date>" when overdue.'
    )


class AccuracyOut(Schema):
    percent: int = Field(description="Weighted share of the profile's facts verified and current.")
    current: int
    total: int
    method_url: str = Field(description="How the figure is computed.")


class ReviewsOut(Schema):
    count: int = Field(description="Published reviews from verified visits.")
    rating: float | None = Field(
        description="Mean overall score, 1-5, two decimals; null with fewer than 5 reviews."
    )
    enough_to_judge: bool = Field(description="Whether there are at least 5 reviews.")


class ProviderDetail(Schema):
    npi: str
    name: str
    display_name: str
    credentials: list[str]
    sex: str
    languages: list[LanguageOut]
    photo_url: str | None
    bio: str
    education: list[str]
    verified: bool
    is_demo: bool
    url: str
    report_url: str = Field(description="The page where anyone can report a wrong fact.")
    specialties: list[str]
    identity: FactOut
    languages_fact: FactOut | None
    education_fact: FactOut | None
    bio_fact: FactOut | None
    practice: PracticeOut
    reviews: ReviewsOut = Field(description="Verified patients' published reviews, in summary.")
    accuracy: AccuracyOut | None
    licenses: list[LicenseOut]
    certifications: list[CertificationOut]
    places: list[PlaceOut]
    registry: RegistryOut
    claims: ClaimsOut | None = Field(description="Null when CMS lists no claims for them.")
    taxonomy_attribution: str | None = Field(
        description="NUCC's attribution, present whenever a name in this answer "
        "(`registry.provider_types`, `places[].specialties`) comes from the NUCC code set."
    )
