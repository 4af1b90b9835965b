"""Response shapes of the hospital (by CMS Certification Number) and group practice (by PECOS
PAC ID) endpoints: where they are, CMS's facts with their source, and their clinicians."""

import datetime

from ninja import Field, Schema

from careatlas.api.provider_schemas import PageLinks
from careatlas.api.registry_schemas import SOURCE


class AddressOut(Schema):
    lines: list[str] = Field(description='["350 7th St N", "Naples, FL 34102"]')
    city: str
    state: str
    zip_code: str


class PointOut(Schema):
    latitude: float
    longitude: float


class ClinicianOut(Schema):
    npi: str
    name: str = Field(description="Display name with credentials.")
    provider_types: list[str] = Field(
        description="Our specialty's name, else NUCC's name, of each primary code."
    )
    url: str = Field(description="The profile page on the site.")
    api_url: str = Field(description="This provider in the API.")


class ClinicianPage(Schema):
    total: int
    page: int
    page_size: int
    pages: int
    results: list[ClinicianOut] = Field(description="By name; a page past the end is empty.")
    links: PageLinks
    taxonomy_attribution: str | None = Field(
        description="NUCC's attribution, when a provider type is NUCC's name."
    )


class OrganizationOut(Schema):
    name: str
    npi: str | None
    website: str | None
    url: str = Field(description="The page on the site.")
    address: AddressOut | None
    phone: str | None = Field(description="Ten digits.")
    phone_display: str | None = Field(description='"(239) 624-5000".')
    point: PointOut | None = Field(description="Where it is on the map, when known.")
    source: str = Field(description="Where the facts come from.")
    updated_on: datetime.date = Field(description="When the facts last changed here.")
    clinicians: ClinicianPage


class HospitalFactsOut(Schema):
    known: bool = Field(
        description="False while the hospital is known only from clinicians' affiliations: "
        "its address and CMS facts are not loaded yet."
    )
    hospital_type: str | None
    ownership: str | None
    emergency_services: bool | None = Field(description="Null when CMS does not say.")
    star_rating: int | None = Field(description="CMS overall star rating, 1-5; null: not rated.")
    source: str = Field(description=SOURCE)


class HospitalDetail(OrganizationOut):
    ccn: str = Field(description="CMS Certification Number.")
    facts: HospitalFactsOut = Field(description="Affiliated clinicians are in `clinicians`.")


class PracticeDetail(OrganizationOut):
    pac_id: str = Field(description="PECOS group PAC ID. Its clinicians are in `clinicians`.")
