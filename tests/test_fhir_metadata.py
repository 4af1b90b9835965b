"""GET /fhir/metadata: a CapabilityStatement that says exactly what the server does."""

import pytest

from tests.fhir_client import fhir_get
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db

# FHIR R4's own search parameters for each type, to check that what the statement leaves
# out is refused rather than silently ignored.
R4_PARAMETERS = {
    "Practitioner": [
        "active", "address", "address-city", "address-country", "address-postalcode",
        "address-state", "address-use", "communication", "email", "family", "gender", "given",
        "identifier", "name", "phone", "phonetic", "telecom", "_id", "_lastUpdated",
    ],
    "PractitionerRole": [
        "active", "date", "email", "endpoint", "identifier", "location", "organization",
        "phone", "practitioner", "role", "service", "specialty", "telecom", "_id",
        "_lastUpdated",
    ],
    "Location": [
        "address", "address-city", "address-country", "address-postalcode", "address-state",
        "address-use", "endpoint", "identifier", "name", "near", "operational-status",
        "organization", "partof", "status", "type", "_id", "_lastUpdated",
    ],
    "Organization": [
        "active", "address", "address-city", "address-country", "address-postalcode",
        "address-state", "address-use", "endpoint", "identifier", "name", "partof", "phonetic",
        "type", "_id", "_lastUpdated",
    ],
    "HealthcareService": [
        "active", "characteristic", "coverage-area", "endpoint", "identifier", "location",
        "name", "organization", "program", "service-category", "service-type", "specialty",
        "_id", "_lastUpdated",
    ],
}  # fmt: skip
SAMPLES = {
    "string": "a",
    "token": "x",
    "date": "ge2020-01-01",
    "special": "40.7484|-73.9967|10|mi",
}


@pytest.fixture
def statement(patient, db) -> dict:
    RoleFactory()
    return fhir_get(patient, "/fhir/metadata")


def _sample(resource_type: str, param: dict) -> str:
    if param["type"] == "reference":
        target = {
            "practitioner": "Practitioner",
            "organization": "Organization",
            "location": "Location",
            "service": "HealthcareService",
        }[param["name"]]
        return f"{target}/1"
    return SAMPLES[param["type"]]


def test_it_is_an_r4_server_statement(statement, settings):
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["kind"] == "instance"
    assert statement["format"] == ["json", "application/fhir+json"]
    assert statement["implementation"]["url"] == f"{settings.SITE_URL}/fhir"
    rest = statement["rest"][0]
    assert rest["mode"] == "server" and rest["security"]["cors"] is True
    types = [r["type"] for r in rest["resource"]]
    assert types == [
        "Practitioner",
        "PractitionerRole",
        "Location",
        "Organization",
        "HealthcareService",
    ]
    for resource in rest["resource"]:
        assert [i["code"] for i in resource["interaction"]] == ["read", "search-type"]
        assert resource["profile"].startswith(
            "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/plannet-"
        )


def test_every_listed_parameter_and_include_is_accepted(patient, statement):
    for resource in statement["rest"][0]["resource"]:
        kind = resource["type"]
        for param in resource["searchParam"]:
            url = f"/fhir/{kind}?{param['name']}={_sample(kind, param)}"
            assert fhir_get(patient, url)["resourceType"] == "Bundle", url
        for include in resource.get("searchInclude", ()):
            fhir_get(patient, f"/fhir/{kind}?_include={include}")
        for include in resource.get("searchRevInclude", ()):
            fhir_get(patient, f"/fhir/{kind}?_revinclude={include}")


def test_r4_parameters_it_does_not_list_are_refused(patient, statement):
    listed = {
        r["type"]: {p["name"] for p in r["searchParam"]} for r in statement["rest"][0]["resource"]
    }
    refused = 0
    for kind, names in R4_PARAMETERS.items():
        for name in names:
            url = f"/fhir/{kind}?{name}=x"
            if name in listed[kind]:
                continue
            assert fhir_get(patient, url, status=400)["issue"][0]["code"] == "not-supported"
            refused += 1
    assert refused > 30  # the statement is a real subset of R4, not everything


def test_the_plan_net_searches_are_listed(statement):
    listed = {
        r["type"]: (
            {p["name"] for p in r["searchParam"]},
            set(r.get("searchInclude", ())),
        )
        for r in statement["rest"][0]["resource"]
    }
    assert {"name", "family", "given", "identifier", "_lastUpdated"} <= listed["Practitioner"][0]
    params, includes = listed["PractitionerRole"]
    assert {"specialty", "practitioner", "organization", "location", "location.near"} <= params
    assert {"PractitionerRole:practitioner", "PractitionerRole:location"} <= includes
    assert {"address-city", "address-state", "address-postalcode", "near"} <= listed["Location"][0]
    assert "name" in listed["Organization"][0]
