"""What the FHIR directory may show, and loading it with everything its presenters read.

The rule is the public site's: every FHIR read, search, include and export starts from a
provider model's `.public()` QuerySet. Nothing patient-related (reports, their contacts,
who reviewed or verified what) is ever loaded.
"""

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from careatlas.procedures.models import Guide
from careatlas.providers.models import (
    BoardCertification,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    TaxonomyCode,
    Verification,
)

# Verification columns a presenter reads: never `verified_by` (a person's name) or `note`.
_VERIFICATION_FIELDS = (
    "id",
    "fact",
    "method",
    "verified_on",
    "disputed",
    "practitioner_id",
    "license_id",
    "certification_id",
    "location_id",
    "role_id",
    "offered_procedure_id",
)


def _role_specialties() -> QuerySet[RoleSpecialty]:
    """A role's NUCC codes with our specialty and NUCC's display name (when the code set
    has been imported), for the coding's display."""
    nucc = TaxonomyCode.objects.filter(code=OuterRef("code")).values("display_name")[:1]
    return RoleSpecialty.objects.select_related("specialty").annotate(nucc_display=Subquery(nucc))


def _verifications() -> QuerySet[Verification]:
    return Verification.objects.only(*_VERIFICATION_FIELDS).order_by("fact", "id")


# What a PractitionerRole (and its references' displays) reads: a page of 100 roles
# would otherwise parse every practitioner's bio and every location's hours for nothing.
_ROLE_FIELDS = (
    "accepting_new_patients",
    "updated_at",
    "practitioner__npi",
    "practitioner__prefix",
    "practitioner__first_name",
    "practitioner__middle_name",
    "practitioner__last_name",
    "practitioner__suffix",
    "practitioner__credentials",
    "practitioner__is_demo",
    "location__name",
    "location__line1",
    "location__city",
    "location__phone",
    "location__telehealth",
    "location__organization__name",
    "location__organization__active",
    "organization__name",
    "organization__active",
)


_ADDRESS_FIELDS = ("organization_id", "line1", "line2", "city", "state", "zip_code")


def practitioners_for_fhir(queryset: QuerySet[Practitioner]) -> QuerySet[Practitioner]:
    return queryset.prefetch_related(
        Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications"),
        Prefetch(
            "licenses",
            queryset=StateLicense.objects.prefetch_related(
                Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications")
            ),
            to_attr="fhir_licenses",
        ),
        Prefetch(
            "certifications",
            queryset=BoardCertification.objects.prefetch_related(
                Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications")
            ),
            to_attr="fhir_certifications",
        ),
    )


def roles_for_fhir(queryset: QuerySet[PractitionerRole]) -> QuerySet[PractitionerRole]:
    # location__organization: a location without a name is shown by its organization's.
    related = ("practitioner", "location__organization", "organization")
    return (
        queryset.select_related(*related)
        .only(*_ROLE_FIELDS)
        .prefetch_related(
            Prefetch("specialties", queryset=_role_specialties(), to_attr="fhir_specialties"),
            Prefetch(
                "offered_procedures",
                queryset=OfferedProcedure.objects.only("id", "role_id").order_by("pk"),
                to_attr="fhir_offered",
            ),
            Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications"),
        )
    )


def locations_for_fhir(queryset: QuerySet[Location]) -> QuerySet[Location]:
    return queryset.select_related("organization").prefetch_related(
        Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications")
    )


def organizations_for_fhir(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    # Every address of the organization, as its page shows, including a hospital's building
    # where no listed practitioner works (and which is therefore no Location resource).
    places = Location.objects.only(*_ADDRESS_FIELDS).order_by("id")
    return queryset.prefetch_related(
        Prefetch("locations", queryset=places, to_attr="fhir_locations")
    )


def services_for_fhir(queryset: QuerySet[OfferedProcedure]) -> QuerySet[OfferedProcedure]:
    # Procedure names come from the published guide in the site's default language, so a
    # resource reads the same whoever asks for it.
    guides = (
        Guide.objects.published()
        .in_language(settings.LANGUAGE_CODE)
        .only("id", "procedure_id", "title")
    )
    return queryset.select_related(
        "procedure", "role__practitioner", "role__location__organization", "role__organization"
    ).prefetch_related(
        Prefetch("procedure__guides", queryset=guides, to_attr="fhir_guides"),
        Prefetch("procedure__codes", to_attr="fhir_codes"),
        Prefetch("role__specialties", queryset=_role_specialties(), to_attr="fhir_specialties"),
        Prefetch("verifications", queryset=_verifications(), to_attr="fhir_verifications"),
    )
