"""Response shapes of a profile's public-registry facts (CMS Care Compare, NPPES, NUCC) and
its Medicare claims evidence.

Every fact names its source. Where a name comes from the NUCC taxonomy code set, the answer
carries NUCC's attribution (`taxonomy_attribution`), as the code set's licence asks.
"""

import datetime

from ninja import Field, Schema

SOURCE = "Where the fact comes from, e.g. CMS Care Compare."


class MedicalSchoolOut(Schema):
    name: str | None = Field(description="As CMS Care Compare names it; null when it names none.")
    graduation_year: int | None
    source: str = Field(description=SOURCE)


class MedicareAssignmentOut(Schema):
    code: str = Field(
        description="Care Compare's code: \"Y\" accepts Medicare's approved amount as full "
        'payment for covered services, "M" may accept it for some.'
    )
    label: str
    note: str = Field(description="What it means for a patient, in a sentence.")
    source: str = Field(description=SOURCE)


class PracticeLinkOut(Schema):
    name: str
    pac_id: str = Field(description="PECOS group PAC ID.")
    url: str | None = Field(description="The practice's page on the site.")
    api_url: str | None = Field(description="The practice in the API.")
    source: str = Field(description=SOURCE)


class HospitalLinkOut(Schema):
    name: str
    ccn: str = Field(description="CMS Certification Number.")
    url: str | None = Field(description="The hospital's page on the site.")
    api_url: str | None = Field(description="The hospital in the API.")
    source: str = Field(description=SOURCE)


class ProviderTypeOut(Schema):
    code: str = Field(description="NUCC taxonomy code.")
    name: str = Field(description="NUCC's display name of the code.")
    source: str = Field(description="Who gave the provider this code (NPPES, Care Compare).")


class BadgeOut(Schema):
    status: str = Field(description="verified, stale, disputed or unverified.")
    status_text: str
    status_detail: str


class NpiRecordOut(Schema):
    enumerated_on: datetime.date | None = Field(description="When the NPI was assigned.")
    registry_updated_on: datetime.date | None = Field(
        description="When the provider's NPPES record last changed."
    )
    source: str = Field(description=SOURCE)
    identity: BadgeOut = Field(description="The badge of the identity check (see `identity`).")


class RegistryOut(Schema):
    """What CMS Care Compare and NPPES say about the provider, as the profile's
    "From public registries" section shows it. Empty lists and nulls where they say nothing."""

    medical_school: MedicalSchoolOut | None
    medicare_assignment: MedicareAssignmentOut | None
    group_practices: list[PracticeLinkOut]
    hospital_affiliations: list[HospitalLinkOut]
    provider_types: list[ProviderTypeOut]
    npi_record: NpiRecordOut | None


class ClaimsLineOut(Schema):
    procedure: str = Field(description="The procedure's slug.")
    name: str = Field(description="The guide's title, else a readable slug.")
    url: str | None = Field(description="The procedure's guide on the site, if published.")
    api_url: str | None = Field(description="The guide in the API, if published.")
    services: int = Field(description="Services billed to Original Medicare in `year`.")
    year: int = Field(description="The newest data year CMS has for this procedure.")
    text: str = Field(description='"Performed 412 times for Medicare patients in 2023 (CMS)".')


class ClaimsOut(Schema):
    """Medicare claims as evidence, most services first. Original Medicare Part B only (no
    Medicare Advantage or other insurance), so most providers perform more; CMS leaves out
    anything billed for fewer than `suppression_threshold` patients, so a procedure missing
    here may still be offered. A count is not a measure of quality."""

    source: str = Field(description="The CMS dataset.")
    source_url: str
    suppression_threshold: int
    procedures: list[ClaimsLineOut]
