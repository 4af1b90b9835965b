"""Locations, organizations and the procedures offered (HealthcareService) over /fhir/."""

from decimal import Decimal

import pytest

from careatlas.procedures.models import Procedure
from careatlas.providers.models import OfferedProcedure, Organization, TaxonomyCode
from tests.fhir_client import entries, extension, fhir_get, ids, sub_extension
from tests.provider_factories import (
    LocationFactory,
    OrganizationFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)
from tests.provider_search_world import OSTEOPATHIC, Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
NDH_STATUS = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"


@pytest.fixture
def world(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _location_of(practitioner):
    return practitioner.roles.get().location


def test_a_location_has_address_position_hours_phone_and_accessibility(patient, db):
    location = LocationFactory(
        name="Chelsea Clinic",
        line2="Suite 4",
        hours=[
            {"days": ["mon", "wed"], "opens": "08:00", "closes": "12:30"},
            {"days": ["sat"], "opens": "09:00", "closes": "13:00"},
        ],
        accessibility=["step_free", "public_transit", "parking"],
    )
    RoleFactory(location=location)
    verify(location, "address", days_ago=5)

    body = fhir_get(patient, f"/fhir/Location/{location.pk}")

    assert body["status"] == "active"
    assert body["name"] == "Chelsea Clinic"
    assert body["address"] == {
        "use": "work",
        "type": "physical",
        "text": "12 Example Street, Suite 4, New York, NY 10001",
        "line": ["12 Example Street", "Suite 4"],
        "city": "New York",
        "state": "NY",
        "postalCode": "10001",
        "country": "US",
    }
    assert body["position"] == {"latitude": 40.7484, "longitude": -73.9967}
    assert body["telecom"] == [{"system": "phone", "value": "(212) 555-0123", "use": "work"}]
    assert body["hoursOfOperation"] == [
        {"daysOfWeek": ["mon", "wed"], "openingTime": "08:00:00", "closingTime": "12:30:00"},
        {"daysOfWeek": ["sat"], "openingTime": "09:00:00", "closingTime": "13:00:00"},
    ]
    assert body["managingOrganization"]["reference"] == f"Organization/{location.organization_id}"
    features = extension(body, f"{PLAN_NET}/StructureDefinition/accessibility")
    codings = [f["valueCodeableConcept"]["coding"] for f in features]
    assert [c[0]["code"] for c in codings] == ["handiaccess", "pubtrans", "parking"]
    assert codings[0][1]["code"] == "step_free"  # our finer code rides along
    assert len(codings[2]) == 1  # on-site parking has no Plan-Net code
    status = extension(body, NDH_STATUS)[0]["valueCodeableConcept"]["coding"][0]["code"]
    assert status == "complete"  # its address is verified and current


def test_a_location_without_coordinates_has_no_position(patient, db):
    role = RoleFactory(location__latitude=None, location__longitude=None)
    assert "position" not in fhir_get(patient, f"/fhir/Location/{role.location_id}")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("address-city=new%20york", {"alvarez"}),
        ("address-state=NJ", {"chen", "dunn"}),
        ("address-postalcode=07", {"chen", "dunn"}),
        ("address-postalcode:exact=07030", {"dunn"}),
        ("address=2%20court", {"brooks"}),  # any part of the address
        ("address:contains=court", {"brooks"}),
        ("address=11201", {"brooks"}),
        ("near=40.7484|-73.9967|2|mi", {"alvarez", "dunn"}),
        ("near=40.7484|-73.9967|10|mi&address-state=NY", {"alvarez", "brooks"}),
    ],
)
def test_search_locations(patient, world, query, expected):
    by_location = {str(_location_of(getattr(world, p)).pk): p for p in world.names().values()}
    bundle = fhir_get(patient, f"/fhir/Location?{query}")
    assert {by_location[i] for i in ids(bundle)} == expected


def test_locations_near_come_nearest_first_with_their_roles(patient, world):
    bundle = fhir_get(
        patient, "/fhir/Location?near=40.7484|-73.9967|5|mi&_revinclude=PractitionerRole:location"
    )
    order = [_location_of(p).pk for p in (world.alvarez, world.dunn, world.chen, world.brooks)]
    assert ids(bundle) == [str(pk) for pk in order]
    roles = entries(bundle, "include")
    assert {r["location"][0]["reference"] for r in roles} == {f"Location/{pk}" for pk in order}


def test_search_locations_by_organization_and_name(patient, db):
    clinic = OrganizationFactory(name="Harbor Physio")
    role = RoleFactory(location__organization=clinic, location__name="Harbor Physio Midtown")
    RoleFactory()
    assert ids(fhir_get(patient, f"/fhir/Location?organization=Organization/{clinic.pk}")) == [
        str(role.location_id)
    ]
    assert ids(fhir_get(patient, "/fhir/Location?name=harbor")) == [str(role.location_id)]


def test_an_organization_lists_its_places_as_addresses(patient, db):
    clinic = OrganizationFactory(name="Riverside Spine Clinic", npi="1234567893", kind="practice")
    clinic.website = "https://riverside.example"
    clinic.save()
    for city in ("Albany", "Troy"):
        RoleFactory(location=LocationFactory(organization=clinic, city=city))
    annex = LocationFactory(organization=clinic, city="Utica")  # no one listed works there

    body = fhir_get(patient, f"/fhir/Organization/{clinic.pk}")

    assert body["name"] == "Riverside Spine Clinic"
    assert body["identifier"][0]["system"] == "http://hl7.org/fhir/sid/us-npi"
    assert body["identifier"][0]["value"] == "1234567893"
    assert body["type"][0]["coding"][0]["code"] == "prvgrp"
    assert body["telecom"] == [
        {"system": "url", "value": "https://riverside.example", "use": "work"}
    ]
    assert [a["city"] for a in body["address"]] == ["Albany", "Troy", "Utica"]
    # The annex is an address of the organization, not a Location of the directory.
    fhir_get(patient, f"/fhir/Location/{annex.pk}", status=404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=river", {"clinic"}),
        ("name:contains=general", {"hospital"}),
        ("identifier=1234567893", {"clinic"}),
        ("identifier=http://hl7.org/fhir/sid/us-npi|1234567893", {"clinic"}),
        (f"type={PLAN_NET}/CodeSystem/OrgTypeCS|fac", {"hospital"}),
        ("type=prvgrp", {"clinic"}),
        ("type=prvgrp,fac", {"clinic", "hospital"}),
        ("type=http://example.org|fac", set()),
    ],
)
def test_search_organizations(patient, db, query, expected):
    named = {
        "clinic": OrganizationFactory(name="Riverside Spine Clinic", npi="1234567893"),
        "hospital": OrganizationFactory(name="Albany General Hospital", kind="hospital"),
    }
    for organization in named.values():
        RoleFactory(location__organization=organization)
    by_id = {str(o.pk): name for name, o in named.items()}
    bundle = fhir_get(patient, f"/fhir/Organization?{query}")
    assert {by_id[i] for i in ids(bundle)} == expected


def test_organization_revinclude_brings_its_roles(patient, db):
    role = RoleFactory()
    bundle = fhir_get(
        patient,
        f"/fhir/Organization?_id={role.organization_id}&_revinclude=PractitionerRole:organization",
    )
    assert ids(bundle, "include") == [str(role.pk)]


def test_active_organizations_are_listed_as_on_their_pages(patient, db):
    """A hospital from the CMS file has a page even before anyone is listed there."""
    hospital = Organization.objects.create(name="Albany General", kind="hospital", ccn="330013")
    closed = Organization.objects.create(name="Albany Closed Clinic", active=False)
    assert ids(fhir_get(patient, "/fhir/Organization?name=albany")) == [str(hospital.pk)]
    fhir_get(patient, f"/fhir/Organization/{closed.pk}", status=404)


@pytest.fixture
def omt_offer(content_pack) -> OfferedProcedure:
    role = RoleFactory(accepting_new_patients="newpt")
    add_specialty_code(role, OSTEOPATHIC)
    omt = Procedure.objects.get(slug="osteopathic-manual-treatment")
    offered = offer(role, omt, Decimal("80.00"), Decimal("120.50"))
    verify(offered, "procedure_offered", days_ago=3, method="claims_data")
    return offered


def test_a_procedure_offered_is_a_healthcare_service(patient, omt_offer, settings):
    body = fhir_get(patient, f"/fhir/HealthcareService/{omt_offer.pk}")
    role = omt_offer.role

    assert body["name"] == "Osteopathic Manual Treatment"
    procedure_type = body["type"][0]
    assert procedure_type["coding"][0] == {
        "system": f"{settings.SITE_URL}/fhir/CodeSystem/procedure",
        "code": "osteopathic-manual-treatment",
        "display": "Osteopathic Manual Treatment",
    }
    billing = {c["code"] for c in procedure_type["coding"][1:]}
    assert billing == set(omt_offer.procedure.codes.values_list("code", flat=True))
    assert body["providedBy"]["reference"] == f"Organization/{role.organization_id}"
    assert body["location"] == [
        {"reference": f"Location/{role.location_id}", "display": body["location"][0]["display"]}
    ]
    assert body["specialty"][0]["coding"][0]["code"] == OSTEOPATHIC
    assert body["category"][0]["coding"][0]["code"] == "prov"
    price = extension(body, f"{settings.SITE_URL}/fhir/StructureDefinition/self-pay-price")[0]
    assert price["valueRange"]["low"]["value"] == 80
    assert price["valueRange"]["high"]["value"] == 120.5
    assert price["valueRange"]["high"]["code"] == "USD"
    status = extension(body, NDH_STATUS)[0]["valueCodeableConcept"]["coding"][0]["code"]
    assert status == "complete"
    verification = extension(body, f"{settings.SITE_URL}/fhir/StructureDefinition/verification")
    assert sub_extension(verification[0], "method")["code"] == "claims_data"


@pytest.mark.parametrize(
    "query",
    [
        "service-type=osteopathic-manual-treatment",
        "service-type={site}/fhir/CodeSystem/procedure|osteopathic-manual-treatment",
        "service-type=98925",
        "service-type=http://www.ama-assn.org/go/cpt|98925",
        f"specialty={OSTEOPATHIC}",
        "location=Location/{location}",
        "organization=Organization/{organization}",
    ],
)
def test_search_healthcare_services(patient, omt_offer, settings, query):
    role = omt_offer.role
    other = RoleFactory()
    offer(other, Procedure.objects.get(slug="chiropractic-manipulation"))
    query = query.format(
        site=settings.SITE_URL, location=role.location_id, organization=role.organization_id
    )
    assert ids(fhir_get(patient, f"/fhir/HealthcareService?{query}")) == [str(omt_offer.pk)]


def test_nucc_display_names_come_from_the_imported_code_set(patient, omt_offer):
    TaxonomyCode.objects.create(
        code=OSTEOPATHIC,
        grouping="Allopathic & Osteopathic Physicians",
        classification="Osteopathic Manipulative Medicine",
        display_name="Osteopathic Manipulative Medicine Physician",
    )
    body = fhir_get(patient, f"/fhir/PractitionerRole/{omt_offer.role_id}")
    assert body["specialty"][0]["coding"][0]["display"] == (
        "Osteopathic Manipulative Medicine Physician"
    )
    assert body["specialty"][0]["text"] == "Osteopathic Medicine"  # our specialty's name


@pytest.mark.parametrize("resource_type", ["PractitionerRole", "Location", "Organization"])
def test_every_type_is_found_by_id_and_last_updated(patient, omt_offer, resource_type):
    role = omt_offer.role
    own_id = {
        "PractitionerRole": role.pk,
        "Location": role.location_id,
        "Organization": role.organization_id,
    }[resource_type]
    other = RoleFactory()
    read = fhir_get(patient, f"/fhir/{resource_type}/{own_id}")
    shown = read["meta"]["lastUpdated"]
    assert ids(fhir_get(patient, f"/fhir/{resource_type}?_id={own_id}")) == [str(own_id)]
    assert fhir_get(patient, f"/fhir/{resource_type}?_lastUpdated=gt2999")["total"] == 0
    since = fhir_get(patient, f"/fhir/{resource_type}?_lastUpdated=ge{shown}&_count=100")
    assert str(own_id) in ids(since)
    before = fhir_get(patient, f"/fhir/{resource_type}?_lastUpdated=lt{shown}&_count=100")
    assert str(own_id) not in ids(before)
    later = {
        "PractitionerRole": other.pk,
        "Location": other.location_id,
        "Organization": other.organization_id,
    }[resource_type]
    assert str(later) in ids(since) and str(later) not in ids(before)


def test_a_healthcare_service_is_found_by_id(patient, omt_offer):
    bundle = fhir_get(patient, f"/fhir/HealthcareService?_id={omt_offer.pk},999999")
    assert ids(bundle) == [str(omt_offer.pk)]
    assert entries(bundle)[0]["name"] == "Osteopathic Manual Treatment"
