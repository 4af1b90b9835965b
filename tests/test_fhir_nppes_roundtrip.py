"""A health plan loads our FHIR directory: a provider imported from NPPES comes out with the
same NPI, names, specialties, licence and practice location the registry file gave."""

import io

import pytest
from django.core.management import call_command

from tests.fhir_client import fhir_get
from tests.nppes_files import individual, load_taxonomy, npi, organization, write_nppes

pytestmark = pytest.mark.django_db
NUCC = "http://nucc.org/provider-taxonomy"
US_NPI = "http://hl7.org/fhir/sid/us-npi"


@pytest.fixture
def imported(content_pack, real_data, tmp_path) -> dict[str, str]:
    load_taxonomy(real_data)
    dr, clinic = npi(41), npi(42)
    rows = [
        individual(
            dr,
            first="JOSÉ",
            last="PEÑA",
            credential="D.O., MPH",
            sex="M",
            street="12 TESTING ST",
            city="NEW YORK",
            state="NY",
            zip_code="100011234",
            taxonomies=(("204D00000X", "D1234", "NY", "Y"), ("207Q00000X", "F998", "NJ", "N")),
        ),
        organization(clinic, name="SYNTHETICA OSTEOPATHIC CARE LLC", zip_code="60601"),
    ]
    path = write_nppes(tmp_path, rows)
    call_command("import_nppes", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return {"dr": dr, "clinic": clinic}


def test_an_nppes_practitioner_reads_back_with_its_registry_facts(patient, imported):
    practitioner = fhir_get(patient, f"/fhir/Practitioner/{imported['dr']}")
    assert {"system": US_NPI, "value": imported["dr"]} in [
        {"system": i["system"], "value": i["value"]} for i in practitioner["identifier"]
    ]
    name = practitioner["name"][0]
    assert name["family"].upper() == "PEÑA" and name["given"][0].upper() == "JOSÉ"
    assert practitioner["gender"] == "male"
    licences = {
        (q.get("issuer", {}).get("display", ""), q["identifier"][0]["value"])
        for q in practitioner.get("qualification", ())
        if q.get("identifier")
    }
    assert any(number == "D1234" for _, number in licences)
    assert any(number == "F998" for _, number in licences)


def test_its_role_carries_the_nucc_codes_and_the_practice_address(patient, imported):
    bundle = fhir_get(
        patient,
        f"/fhir/PractitionerRole?practitioner={imported['dr']}&_include=PractitionerRole:location",
    )
    roles = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "PractitionerRole"
    ]
    locations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Location"
    ]
    assert len(roles) == 1 and len(locations) == 1
    codes = [c for s in roles[0]["specialty"] for c in s["coding"] if c["system"] == NUCC]
    assert [c["code"] for c in codes][:2] == ["204D00000X", "207Q00000X"]  # primary first
    address = locations[0]["address"]
    assert address["line"][0].upper() == "12 TESTING ST"
    assert address["postalCode"].startswith("10001") and address["state"] == "NY"
    assert "position" in locations[0]  # geocoded by its ZIP centre


def test_an_nppes_organization_is_found_by_name(patient, imported):
    bundle = fhir_get(patient, "/fhir/Organization?name=synthetica")
    organizations = [e["resource"] for e in bundle["entry"]]
    assert len(organizations) == 1
    assert {"system": US_NPI, "value": imported["clinic"]} in [
        {"system": i["system"], "value": i["value"]} for i in organizations[0]["identifier"]
    ]


def test_the_json_api_tells_the_same_story(patient, imported):
    detail = patient.get(f"/api/v1/providers/{imported['dr']}").json()
    assert detail["npi"] == imported["dr"]
    assert "Peña" in detail["name"] or "PEÑA" in detail["name"]
