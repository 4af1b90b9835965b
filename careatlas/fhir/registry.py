"""What the FHIR directory supports, per resource type: reads, search parameters, includes.

Parameter names follow Da Vinci Plan-Net and FHIR R4; the CapabilityStatement is generated
from these declarations. Ids: a Practitioner's id is its NPI; every other id is the
database primary key of the row it comes from (an OfferedProcedure for a HealthcareService).
"""

from django.db.models import Exists, OuterRef, Q

from careatlas.fhir import filters, params, queries
from careatlas.fhir.resources.common import NPI_SYSTEM, PLAN_NET, careatlas_url
from careatlas.fhir.resources.roles import CPT_SYSTEM, HCPCS_SYSTEM
from careatlas.fhir.search import Geo, Include, Param, ResourceSearch, SearchRequest
from careatlas.procedures.models import ProcedureCode
from careatlas.providers.models import (
    Location,
    OfferedProcedure,
    Organization,
    OrganizationKind,
    Practitioner,
    PractitionerRole,
)
from careatlas.search.interface import GeoPoint, locations_near, roles_near

LAST_UPDATED_DOC = (
    "When the row was last changed: eq (default), gt, ge, lt, le prefixes, any precision "
    "from a year to fractions of a second, e.g. ge2026-03-01."
)
STRING_DOC = " Case-insensitive 'starts with'; :exact and :contains modifiers."
ORGANIZATION_TYPES = {"prvgrp": OrganizationKind.PRACTICE, "fac": OrganizationKind.HOSPITAL}


def _pk(resource_id: str) -> Q:
    pk = params.row_id(resource_id)
    return Q(pk=pk) if pk is not None else Q(pk__in=[])


def _by_pk(objects) -> list:
    return sorted(objects, key=lambda obj: obj.pk)


def _practitioners_of(roles) -> list:
    wanted = {role.practitioner_id for role in roles}
    found = Practitioner.objects.public().filter(pk__in=wanted)
    return _by_pk(queries.practitioners_for_fhir(found))


def _locations_of(roles) -> list:
    wanted = {role.location_id for role in roles}
    return _by_pk(queries.locations_for_fhir(Location.objects.public().filter(pk__in=wanted)))


def _organizations_of(roles) -> list:
    wanted = {role.organization_id for role in roles if role.organization_id}
    found = Organization.objects.public().filter(pk__in=wanted)
    return _by_pk(queries.organizations_for_fhir(found))


def _services_of(roles) -> list:
    found = OfferedProcedure.objects.public().filter(role_id__in=[role.pk for role in roles])
    return _by_pk(queries.services_for_fhir(found))


def _roles_offering(services) -> list:
    found = PractitionerRole.objects.public().filter(pk__in={s.role_id for s in services})
    return _by_pk(queries.roles_for_fhir(found))


def _organization_address(queryset, criterion: params.Criterion):
    """Any part of the address of one of the organization's places, as its addresses show."""
    fields = ("line1", "line2", "city", "state", "zip_code")
    places = Location.objects.filter(organization_id=OuterRef("pk"))
    return queryset.filter(Exists(filters.string(*fields)(places, criterion)))


def _roles(services) -> list:
    return [service.role for service in services]


def _roles_by(column: str):
    def fetch(objects) -> list:
        found = PractitionerRole.objects.public().filter(
            **{f"{column}__in": [obj.pk for obj in objects]}
        )
        return _by_pk(queries.roles_for_fhir(found))

    return fetch


def _circle_page(request: SearchRequest) -> tuple[GeoPoint, float, int, int]:
    """Centre, radius, page size and offset of a near search, as the index reads them."""
    near = request.near
    offset = (request.page - 1) * request.count
    return GeoPoint(near.latitude, near.longitude), near.miles, request.count, offset


def _roles_near(request: SearchRequest) -> tuple[list[tuple[int, float]], int] | None:
    """PractitionerRole near a point, with at most one specialty criterion, straight from the
    provider search index (the common "find a specialist near me" search)."""
    criteria = request.criteria
    if len(criteria) > 1 or any(c.name != "specialty" for c in criteria):
        return None
    found = roles_near(
        *_circle_page(request),
        specialty_ids=filters.specialty_facets(criteria) or (),
        nucc_codes=filters.nucc_codes(criteria[0]) if criteria else None,
    )
    return found.roles, found.total


def _locations_near(request: SearchRequest) -> tuple[list[tuple[int, float]], int] | None:
    """Location near a point with no other criterion, straight from the provider search
    index: its places are exactly the public Locations that have a position."""
    if request.criteria:
        return None
    found = locations_near(*_circle_page(request))
    return found.places, found.total


def _service_type(queryset, criterion: params.Criterion):
    """Our procedure code (its slug), or one of its CPT/HCPCS numbers."""
    procedure_system = careatlas_url("CodeSystem", "procedure")
    alternatives = []
    for value in criterion.values:
        token = params.token(value)
        if token.system in (None, procedure_system):
            alternatives.append(Q(procedure__slug=token.code))
        if token.system in (None, CPT_SYSTEM, HCPCS_SYSTEM):
            coded = ProcedureCode.objects.filter(
                procedure=OuterRef("procedure_id"), code=token.code
            )
            alternatives.append(Q(Exists(coded)))
    return queryset.filter(filters.any_of(alternatives))


def _id_param(doc: str, apply=None, sort: str = "pk") -> Param:
    return Param("_id", "token", doc, apply or filters.ids(), sort=(sort,))


def _last_updated() -> Param:
    return Param("_lastUpdated", "date", LAST_UPDATED_DOC, filters.last_updated(), ("updated_at",))


PRACTITIONER = ResourceSearch(
    resource_type="Practitioner",
    public=Practitioner.objects.public,
    load=queries.practitioners_for_fhir,
    by_id=lambda resource_id: Q(npi=resource_id),
    params=(
        _id_param(
            "The NPI: a Practitioner's id is its NPI.", filters.ids("npi", numeric=False), "npi"
        ),
        _last_updated(),
        Param(
            "name",
            "string",
            "Every word starts a word of the name (given, middle or family; not a prefix such"
            " as Dr, nor a suffix), case and accents aside; :exact and :contains compare"
            " whole names.",
            filters.name_indexed(
                filters.string("first_name", "middle_name", "last_name", by_word=True),
                by_words=True,
            ),
            sort=("last_name", "first_name"),
        ),
        Param(
            "family",
            "string",
            "Family name." + STRING_DOC,
            filters.name_indexed(filters.string("last_name"), surname_first=True),
            sort=("last_name",),
        ),
        Param(
            "given",
            "string",
            "Given or middle name." + STRING_DOC,
            filters.name_indexed(filters.string("first_name", "middle_name")),
            sort=("first_name",),
        ),
        Param(
            "identifier",
            "token",
            f"NPI: {NPI_SYSTEM}|1234567893 or the bare number.",
            filters.codes(NPI_SYSTEM, "npi"),
        ),
    ),
    revincludes=(Include("PractitionerRole:practitioner", _roles_by("practitioner_id")),),
)

PRACTITIONER_ROLE = ResourceSearch(
    resource_type="PractitionerRole",
    public=PractitionerRole.objects.public,
    load=queries.roles_for_fhir,
    by_id=_pk,
    params=(
        _id_param("The role's id."),
        _last_updated(),
        Param(
            "specialty",
            "token",
            "NUCC provider taxonomy code: http://nucc.org/provider-taxonomy|207Q00000X or"
            " the bare code.",
            filters.specialty("pk"),
        ),
        Param(
            "practitioner",
            "reference",
            "Practitioner/<NPI> or the NPI.",
            filters.reference("Practitioner", "practitioner__npi", numeric=False),
        ),
        Param(
            "organization",
            "reference",
            "Organization/<id>.",
            filters.reference("Organization", "organization_id"),
        ),
        Param(
            "location", "reference", "Location/<id>.", filters.reference("Location", "location_id")
        ),
        Param(
            "service",
            "reference",
            "HealthcareService/<id>: a procedure the role offers.",
            filters.related_ids("HealthcareService", OfferedProcedure, "role"),
        ),
        Param(
            "location.near",
            "special",
            "Chained Location near: latitude|longitude|distance|units (units mi, [mi_i], km"
            " or m; at most 100 miles), nearest first.",
            None,
        ),
        Param(
            "location.address-city",
            "string",
            "Chained Location address-city." + STRING_DOC,
            filters.string("location__city"),
            sort=("location__city",),
        ),
        Param(
            "location.address-state",
            "string",
            "Chained Location address-state (two-letter code)." + STRING_DOC,
            filters.string("location__state"),
            sort=("location__state",),
        ),
        Param(
            "location.address-postalcode",
            "string",
            "Chained Location address-postalcode." + STRING_DOC,
            filters.string("location__zip_code"),
            sort=("location__zip_code",),
        ),
    ),
    includes=(
        Include("PractitionerRole:practitioner", _practitioners_of),
        Include("PractitionerRole:location", _locations_of),
        Include("PractitionerRole:organization", _organizations_of),
        Include("PractitionerRole:service", _services_of),
    ),
    geo=Geo(
        "location.near",
        "role_id",
        "location__latitude",
        "location__longitude",
        facets=filters.specialty_facets,
        indexed=_roles_near,
    ),
)

LOCATION = ResourceSearch(
    resource_type="Location",
    public=Location.objects.public,
    load=queries.locations_for_fhir,
    by_id=_pk,
    params=(
        _id_param("The location's id."),
        _last_updated(),
        Param(
            "name",
            "string",
            "Name of the location." + STRING_DOC,
            filters.string("name"),
            sort=("name",),
        ),
        Param(
            "address",
            "string",
            "Any part of the address (street, city, state, ZIP code)." + STRING_DOC,
            filters.string("line1", "line2", "city", "state", "zip_code"),
        ),
        Param("address-city", "string", "City." + STRING_DOC, filters.string("city"), ("city",)),
        Param(
            "address-state",
            "string",
            "Two-letter state code." + STRING_DOC,
            filters.string("state"),
            ("state",),
        ),
        Param(
            "address-postalcode",
            "string",
            "ZIP code." + STRING_DOC,
            filters.string("zip_code"),
            ("zip_code",),
        ),
        Param(
            "organization",
            "reference",
            "Organization/<id>: the managing organization.",
            filters.reference("Organization", "organization_id"),
        ),
        Param(
            "near",
            "special",
            "latitude|longitude|distance|units (units mi, [mi_i], km or m, km when left out;"
            " distance 25 miles when left out, at most 100 miles), nearest first.",
            None,
        ),
    ),
    includes=(Include("Location:organization", _organizations_of),),
    revincludes=(Include("PractitionerRole:location", _roles_by("location_id")),),
    geo=Geo("near", "location_id", "latitude", "longitude", indexed=_locations_near),
)

ORGANIZATION = ResourceSearch(
    resource_type="Organization",
    public=Organization.objects.public,
    load=queries.organizations_for_fhir,
    by_id=_pk,
    params=(
        _id_param("The organization's id."),
        _last_updated(),
        Param(
            "name",
            "string",
            "Name of the organization." + STRING_DOC,
            filters.string("name"),
            sort=("name",),
        ),
        Param(
            "address",
            "string",
            "Any part of the address of one of its places (street, city, state, ZIP code)."
            + STRING_DOC,
            _organization_address,
        ),
        Param(
            "identifier",
            "token",
            f"Organization NPI: {NPI_SYSTEM}|1234567893 or the bare number.",
            filters.codes(NPI_SYSTEM, "npi"),
        ),
        Param(
            "type",
            "token",
            f"{PLAN_NET}/CodeSystem/OrgTypeCS: prvgrp (practice) or fac (hospital).",
            filters.mapped_codes(f"{PLAN_NET}/CodeSystem/OrgTypeCS", ORGANIZATION_TYPES, "kind"),
        ),
    ),
    revincludes=(Include("PractitionerRole:organization", _roles_by("organization_id")),),
)

HEALTHCARE_SERVICE = ResourceSearch(
    resource_type="HealthcareService",
    public=OfferedProcedure.objects.public,
    load=queries.services_for_fhir,
    by_id=_pk,
    params=(
        _id_param("The service's id."),
        Param(
            "location",
            "reference",
            "Location/<id>.",
            filters.reference("Location", "role__location_id"),
        ),
        Param(
            "organization",
            "reference",
            "Organization/<id>: the providing organization.",
            filters.reference("Organization", "role__organization_id"),
        ),
        Param(
            "service-type",
            "token",
            "A procedure: our code (the guide's slug, e.g. osteopathic-manual-treatment) or"
            " one of its CPT/HCPCS numbers.",
            _service_type,
        ),
        Param(
            "specialty",
            "token",
            "NUCC provider taxonomy code of the role offering it.",
            filters.specialty("role_id"),
        ),
    ),
    includes=(
        Include("HealthcareService:location", lambda found: _locations_of(_roles(found))),
        Include("HealthcareService:organization", lambda found: _organizations_of(_roles(found))),
    ),
    revincludes=(Include("PractitionerRole:service", _roles_offering),),
)

RESOURCES: dict[str, ResourceSearch] = {
    spec.resource_type: spec
    for spec in (PRACTITIONER, PRACTITIONER_ROLE, LOCATION, ORGANIZATION, HEALTHCARE_SERVICE)
}
