"""The directory against the Plan-Net 1.2.0 CapabilityStatement (tests/plan_net/): every
search parameter, include and revinclude the IG lists is served, or named in PENDING below,
and nothing in PENDING is served already (so the list can only shrink, honestly)."""

import json
from pathlib import Path

import pytest

from tests.fhir_client import fhir_get

pytestmark = pytest.mark.django_db

PLAN_NET = json.loads(
    (Path(__file__).parent / "plan_net" / "CapabilityStatement-plan-net.json").read_text()
)
# What the IG lists that the directory does not serve yet, and why (docs/fhir.md, "Plan-Net
# parameters"). A resource type listed with "*" is not served at all.
PENDING_TYPES = {
    "Endpoint": "the directory holds no electronic endpoints yet",
    "InsurancePlan": "insurance plans are not published as FHIR resources yet",
    "OrganizationAffiliation": "hospital affiliations are not published as FHIR resources yet",
}
PENDING = {
    "HealthcareService": {
        "coverage-area",  # no coverage areas in the directory
        "endpoint",  # no endpoints
        "name",  # a service's name is its procedure's; not searchable yet
        "service-category",
        "_lastUpdated",  # an offered procedure keeps no modification time
        "HealthcareService:coverage-area",
        "HealthcareService:endpoint",
        "OrganizationAffiliation:service",
    },
    "Location": {
        "partof",
        "endpoint",
        "type",  # Location.type is not filled (docs/fhir.md, Gaps)
        "Location:endpoint",
        "Location:partof",
        "HealthcareService:location",
        "InsurancePlan:coverage-area",
        "OrganizationAffiliation:location",
    },
    "Organization": {
        "partof",
        "endpoint",
        "coverage-area",
        "Organization:partof",
        "Organization:endpoint",
        "Organization:coverage-area",
        "Endpoint:organization",
        "HealthcareService:organization",
        "InsurancePlan:administered-by",
        "InsurancePlan:owned-by",
        "OrganizationAffiliation:primary-organization",
        "PractitionerRole:network",
        "OrganizationAffiliation:participating-organization",
    },
    "Practitioner": set(),
    "PractitionerRole": {
        "network",
        "endpoint",
        "role",  # PractitionerRole.code (ProviderRoleCS) is not filled
        "PractitionerRole:network",
        "PractitionerRole:endpoint",
    },
}


def _ig_resources() -> dict[str, dict]:
    return {r["type"]: r for r in PLAN_NET["rest"][0]["resource"]}


def _names(resource: dict) -> set[str]:
    return (
        {p["name"] for p in resource.get("searchParam", ())}
        | set(resource.get("searchInclude", ()))
        | set(resource.get("searchRevInclude", ()))
    )


@pytest.fixture
def served(patient) -> dict[str, set[str]]:
    statement = fhir_get(patient, "/fhir/metadata")
    return {r["type"]: _names(r) for r in statement["rest"][0]["resource"]}


def test_the_ig_file_is_plan_net_1_2_0():
    assert PLAN_NET["url"].startswith("http://hl7.org/fhir/us/davinci-pdex-plan-net/")
    assert PLAN_NET["version"] == "1.2.0"


@pytest.mark.parametrize("resource_type", sorted(_ig_resources()))
def test_every_ig_parameter_is_served_or_pending(served, resource_type):
    wanted = _names(_ig_resources()[resource_type])
    if resource_type in PENDING_TYPES:
        assert resource_type not in served, f"{resource_type} is served: take it off PENDING"
        return
    missing = wanted - served[resource_type] - PENDING[resource_type]
    assert not missing, f"{resource_type}: the IG lists {sorted(missing)}, not served"
    done = PENDING[resource_type] & served[resource_type]
    assert not done, f"{resource_type}: {sorted(done)} are served, take them off PENDING"
    stray = PENDING[resource_type] - wanted
    assert not stray, f"{resource_type}: {sorted(stray)} are not Plan-Net's"


def test_counts_of_what_is_served(served):
    """The figures docs/fhir.md quotes, kept honest."""
    ig = _ig_resources()
    listed = sum(len(_names(r)) for r in ig.values())
    served_count = sum(len(_names(ig[t]) & served.get(t, set())) for t in ig)
    assert (listed, served_count) == (106, 40)


@pytest.fixture
def world(content_pack):
    from tests.provider_search_world import build_neighbourhood

    return build_neighbourhood()


def _included(bundle: dict) -> set[str]:
    return {
        f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in bundle.get("entry", ())
        if e["search"]["mode"] == "include"
    }


def test_services_include_their_places_and_organizations_and_the_roles_offering_them(
    patient, world
):
    bundle = fhir_get(
        patient,
        "/fhir/HealthcareService?_include=HealthcareService:location"
        "&_include=HealthcareService:organization&_revinclude=PractitionerRole:service",
    )
    services = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    assert services
    wanted = set()
    for service in services:
        wanted |= {ref["reference"] for ref in service.get("location", ())}
        if "providedBy" in service:
            wanted.add(service["providedBy"]["reference"])
    roles = {i for i in _included(bundle) if i.startswith("PractitionerRole/")}
    assert _included(bundle) - roles == wanted
    offered = {
        s["reference"]
        for r in roles
        for s in fhir_get(patient, f"/fhir/{r}").get("healthcareService", ())
    }
    assert offered >= {f"HealthcareService/{s['id']}" for s in services}


def test_locations_include_their_managing_organization(patient, world):
    bundle = fhir_get(patient, "/fhir/Location?_include=Location:organization&_count=100")
    places = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    managed = {
        p["managingOrganization"]["reference"] for p in places if "managingOrganization" in p
    }
    assert managed and _included(bundle) == managed


def test_organizations_by_the_address_of_their_places(patient, world):
    bundle = fhir_get(patient, "/fhir/Organization?_count=100")
    organization = next(e["resource"] for e in bundle["entry"] if e["resource"].get("address"))
    city = organization["address"][0]["city"]
    found = fhir_get(patient, f"/fhir/Organization?address={city[:4]}&_count=100")
    assert organization["id"] in {e["resource"]["id"] for e in found["entry"]}
    for entry in found["entry"]:
        lines = [
            " ".join(
                [*a.get("line", ()), a.get("city", ""), a.get("state", ""), a.get("postalCode", "")]
            )
            for a in entry["resource"]["address"]
        ]
        assert any(city[:4].lower() in line.lower() for line in lines)
    assert fhir_get(patient, "/fhir/Organization?address=Zzyzx")["total"] == 0
