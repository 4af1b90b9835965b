"""A plan's app asks /fhir/ for osteopathic physicians near a patient: PractitionerRole search by
NUCC specialty, by place and by who, with the practitioners and places included."""

import pytest

from careatlas.providers.geocoding import distance_miles
from careatlas.providers.models import Location, OfferedProcedure, Organization, Practitioner
from careatlas.providers.services import directory_changed
from careatlas.search.interface import reindex_practitioners
from tests.fhir_client import entries, extension, fhir_get, ids, sub_extension
from tests.provider_factories import LocationFactory, RoleFactory, add_specialty_code
from tests.provider_search_world import (
    CHIROPRACTIC,
    OSTEOPATHIC,
    PHYSICAL_THERAPY,
    Neighbourhood,
    build_neighbourhood,
)

pytestmark = pytest.mark.django_db

NUCC = "http://nucc.org/provider-taxonomy"
NEW_PATIENTS = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/newpatients"
DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance"
ZIP_10001 = (40.7484, -73.9967)


@pytest.fixture
def world(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _role(practitioner):
    return practitioner.roles.get()


def _who(world: Neighbourhood, bundle: dict) -> list[str]:
    """Persona of each matched role, in the bundle's order."""
    by_role = {str(_role(getattr(world, p)).pk): p for p in world.names().values()}
    return [by_role[i] for i in ids(bundle)]


def _near(miles: float, units: str = "mi") -> str:
    return f"{ZIP_10001[0]}|{ZIP_10001[1]}|{miles}|{units}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"specialty={OSTEOPATHIC}", {"alvarez", "dunn", "evans", "farrow"}),
        (f"specialty={NUCC}|{OSTEOPATHIC}", {"alvarez", "dunn", "evans", "farrow"}),
        (f"specialty={OSTEOPATHIC.lower()}", {"alvarez", "dunn", "evans", "farrow"}),
        (f"specialty={CHIROPRACTIC},{PHYSICAL_THERAPY}", {"brooks", "chen"}),
        (f"specialty=http://snomed.info/sct|{OSTEOPATHIC}", set()),  # not a NUCC code
        (f"specialty={NUCC}|", {"alvarez", "brooks", "chen", "dunn", "evans", "farrow"}),
        ("specialty=207Q00000X", set()),
    ],
)
def test_search_by_nucc_specialty(patient, world, query, expected):
    bundle = fhir_get(patient, f"/fhir/PractitionerRole?{query}")
    assert set(_who(world, bundle)) == expected
    assert bundle["total"] == len(expected)


def test_specialty_near_a_patient_comes_nearest_first_with_distances(patient, world):
    bundle = fhir_get(
        patient, f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(25)}"
    )
    assert _who(world, bundle) == ["alvarez", "dunn"]  # Evans (83 mi) and Farrow are too far
    distances = [
        sub_extension({"extension": e["search"]["extension"]}, DISTANCE)["value"]
        for e in bundle["entry"]
    ]
    expected = [
        distance_miles(ZIP_10001, (loc.latitude, loc.longitude))
        for loc in (_role(world.alvarez).location, _role(world.dunn).location)
    ]
    assert distances == pytest.approx(expected, abs=0.001)
    assert bundle["entry"][0]["search"]["extension"][0]["valueDistance"]["code"] == "[mi_i]"


def test_the_radius_is_cut_at_the_exact_great_circle_distance(patient, world):
    evans = _role(world.evans).location
    exact = distance_miles(ZIP_10001, (evans.latitude, evans.longitude))
    inside = fhir_get(
        patient,
        f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(exact + 0.01)}",
    )
    outside = fhir_get(
        patient,
        f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(exact - 0.01)}",
    )
    assert _who(world, inside) == ["alvarez", "dunn", "evans"]
    assert _who(world, outside) == ["alvarez", "dunn"]


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        (_near(2.0), ["alvarez", "dunn"]),
        (_near(3.2, "km"), ["alvarez", "dunn"]),  # 3.2 km is just under 2 miles
        (_near(2.9, "km"), ["alvarez"]),
        (_near(3000, "m"), ["alvarez"]),
        (_near(2, "[mi_i]"), ["alvarez", "dunn"]),
        (f"{ZIP_10001[0]}|{ZIP_10001[1]}|3.2", ["alvarez", "dunn"]),  # km when units are left out
        (f"{ZIP_10001[0]}|{ZIP_10001[1]}", ["alvarez", "dunn"]),  # 25 miles when no distance
    ],
)
def test_near_takes_fhir_units(patient, world, near, expected):
    bundle = fhir_get(
        patient, f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={near}"
    )
    assert _who(world, bundle) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("location.address-city=hoboken", ["dunn"]),
        ("location.address-state=NJ", ["chen", "dunn"]),
        ("location.address-postalcode=100", ["alvarez"]),
        ("location.address-city:exact=Jersey%20City", ["chen"]),
    ],
)
def test_chained_location_address(patient, world, query, expected):
    assert sorted(_who(world, fhir_get(patient, f"/fhir/PractitionerRole?{query}"))) == expected


def test_search_by_practitioner_organization_location_and_service(patient, world, settings):
    settings.SITE_URL = "https://directory.example"
    role = _role(world.chen)
    for query in (
        f"practitioner=Practitioner/{world.chen.npi}",
        f"practitioner={world.chen.npi}",
        f"practitioner=https://directory.example/fhir/Practitioner/{world.chen.npi}",
        f"organization=Organization/{role.organization_id}",
        f"location=Location/{role.location_id}",
        f"location={role.location_id}",
        f"_id={role.pk}",
    ):
        assert _who(world, fhir_get(patient, f"/fhir/PractitionerRole?{query}")) == ["chen"], query
    service = OfferedProcedure.objects.get(role=_role(world.brooks))
    bundle = fhir_get(patient, f"/fhir/PractitionerRole?service=HealthcareService/{service.pk}")
    assert _who(world, bundle) == ["brooks"]
    assert fhir_get(patient, "/fhir/PractitionerRole?location=Location/999999")["total"] == 0
    wrong_type = fhir_get(patient, "/fhir/PractitionerRole?practitioner=Location/1", status=400)
    assert "Practitioner" in wrong_type["issue"][0]["diagnostics"]


def test_includes_bring_each_referenced_resource_once(patient, world):
    bundle = fhir_get(
        patient,
        f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(25)}"
        "&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
        "&_include=PractitionerRole:organization&_include=PractitionerRole:service",
    )
    assert bundle["total"] == 2  # includes are not counted
    included = [(r["resourceType"], r["id"]) for r in entries(bundle, "include")]
    assert len(included) == len(set(included))
    roles = [_role(world.alvarez), _role(world.dunn)]
    assert {i for t, i in included if t == "Practitioner"} == {world.alvarez.npi, world.dunn.npi}
    assert {i for t, i in included if t == "Location"} == {str(r.location_id) for r in roles}
    assert {i for t, i in included if t == "Organization"} == {
        str(r.organization_id) for r in roles
    }
    services = {str(o.pk) for o in OfferedProcedure.objects.filter(role__in=roles)}
    assert {i for t, i in included if t == "HealthcareService"} == services
    for role in entries(bundle):  # every reference of a match resolves within the bundle
        assert ("Practitioner", role["practitioner"]["reference"].split("/")[1]) in included
        assert ("Location", role["location"][0]["reference"].split("/")[1]) in included


def test_a_role_says_who_where_what_and_whether_new_patients_are_welcome(patient, world, settings):
    role = _role(world.dunn)
    body = fhir_get(patient, f"/fhir/PractitionerRole/{role.pk}")
    assert body["practitioner"] == {
        "reference": f"Practitioner/{world.dunn.npi}",
        "display": "Dara Dunn, DO",
    }
    assert body["organization"]["reference"] == f"Organization/{role.organization_id}"
    assert body["location"][0]["reference"] == f"Location/{role.location_id}"
    assert body["specialty"] == [
        {"coding": [{"system": NUCC, "code": OSTEOPATHIC}], "text": "Osteopathic Medicine"}
    ]
    accepting = extension(body, NEW_PATIENTS)[0]
    assert sub_extension(accepting, "acceptingPatients")["coding"][0]["code"] == "existptonly"
    telehealth = f"{settings.SITE_URL}/fhir/StructureDefinition/telehealth"
    assert extension(body, telehealth) == [{"url": telehealth, "valueBoolean": False}]
    assert body["meta"]["tag"][0]["code"] == "HTEST"  # Dunn is demo data
    assert body["healthcareService"] == [
        {"reference": f"HealthcareService/{o.pk}"} for o in role.offered_procedures.all()
    ]


def test_unknown_new_patient_status_is_left_out_rather_than_guessed(patient, db):
    role = RoleFactory(accepting_new_patients="")
    assert not extension(fhir_get(patient, f"/fhir/PractitionerRole/{role.pk}"), NEW_PATIENTS)


def test_a_practice_address_without_an_organization(patient, db):
    """NPPES gives an individual's practice address with no organization."""
    location = LocationFactory(organization=None, name="", line1="12 Elm Street", city="Albany")
    role = RoleFactory(location=location, organization=None)
    body = fhir_get(patient, f"/fhir/PractitionerRole/{role.pk}")
    assert "organization" not in body
    place = fhir_get(patient, f"/fhir/Location/{location.pk}")
    assert place["name"] == "12 Elm Street, Albany"
    assert "managingOrganization" not in place
    bundle = fhir_get(
        patient, f"/fhir/PractitionerRole?_id={role.pk}&_include=PractitionerRole:organization"
    )
    assert ids(bundle, "include") == []


def test_hidden_roles_and_the_places_only_they_use_stay_out(patient, db):
    shown = RoleFactory()
    inactive = RoleFactory(active=False, location__city="Hiddenville")
    of_inactive = RoleFactory(practitioner__active=False, location__city="Hiddenville")
    closed = RoleFactory(organization=Organization.objects.create(name="Closed", active=False))
    add_specialty_code(shown, OSTEOPATHIC)

    listed = ids(fhir_get(patient, "/fhir/PractitionerRole?_count=50"))
    assert str(shown.pk) in listed and str(closed.pk) in listed
    assert str(inactive.pk) not in listed and str(of_inactive.pk) not in listed
    for role in (inactive, of_inactive):
        fhir_get(patient, f"/fhir/PractitionerRole/{role.pk}", status=404)
        fhir_get(patient, f"/fhir/Location/{role.location_id}", status=404)
    assert fhir_get(patient, "/fhir/Location?address-city=Hiddenville")["total"] == 0
    # An inactive organization is not shown, and its roles do not point at it.
    assert "organization" not in fhir_get(patient, f"/fhir/PractitionerRole/{closed.pk}")
    fhir_get(patient, f"/fhir/Organization/{closed.organization_id}", status=404)


def test_near_uses_the_current_index(patient, world):
    """A role moved since the index was built is found where it is now once reindexed."""
    role = _role(world.farrow)
    Location.objects.filter(pk=role.location_id).update(latitude=40.7500, longitude=-73.9900)
    reindex_practitioners([world.farrow.pk])
    bundle = fhir_get(
        patient, f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(2)}"
    )
    assert "farrow" in _who(world, bundle)


def test_near_a_patient_a_code_is_told_apart_from_its_siblings(patient, world):
    """Physical therapy files two NUCC codes under one specialty: a search for one of them
    near a patient finds only the roles that have it, and a code added later once indexed."""
    orthopedic_pt = "2251X0800X"
    near = f"location.near={_near(25)}"
    general = fhir_get(patient, f"/fhir/PractitionerRole?specialty={PHYSICAL_THERAPY}&{near}")
    assert _who(world, general) == ["chen"]
    assert (
        fhir_get(patient, f"/fhir/PractitionerRole?specialty={orthopedic_pt}&{near}")["total"] == 0
    )

    add_specialty_code(_role(world.chen), orthopedic_pt, primary=False)
    reindex_practitioners([world.chen.pk])
    directory_changed()  # as an admin edit does: cached answers are retired
    found = fhir_get(patient, f"/fhir/PractitionerRole?specialty={orthopedic_pt}&{near}")
    assert _who(world, found) == ["chen"] and found["total"] == 1


@pytest.mark.parametrize(
    "query",
    [
        f"specialty={OSTEOPATHIC}&location.near={_near(100)}",
        f"location.near={_near(100)}",
        f"specialty={CHIROPRACTIC},{OSTEOPATHIC}&location.near={_near(30)}",
        f"specialty={NUCC}|&location.near={_near(100)}&_count=2&page=2",
    ],
)
def test_the_index_alone_and_the_general_near_search_agree(patient, world, query):
    """A specialty near a point is answered by the search index in one statement; add any
    other criterion and the general path runs. Both must give the same page."""
    fast = fhir_get(patient, f"/fhir/PractitionerRole?{query}")
    general = fhir_get(patient, f"/fhir/PractitionerRole?{query}&_lastUpdated=ge2000-01-01")
    assert ids(fast) == ids(general) and fast["total"] == general["total"] > 0

    def miles(bundle):
        return [e["search"]["extension"][0]["valueDistance"]["value"] for e in bundle["entry"]]

    assert miles(fast) == pytest.approx(miles(general), abs=0.001)


def test_someone_hidden_before_the_index_catches_up_is_never_shown(patient, world):
    # A bulk update sends no signal, so the index still lists Alvarez.
    Practitioner.objects.filter(pk=world.alvarez.pk).update(active=False)
    bundle = fhir_get(
        patient, f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&location.near={_near(25)}"
    )
    assert _who(world, bundle) == ["dunn"]
