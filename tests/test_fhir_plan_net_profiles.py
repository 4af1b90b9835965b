"""Every resource the directory serves, checked against its Plan-Net 1.2.0 profile
(tests/plan_net/, read by tests/plan_net_profiles.py): cardinalities, prohibited elements,
fixed and pattern values, required bindings to the IG's value sets."""

import pytest

from tests.fhir_client import entries, fhir_get
from tests.plan_net_profiles import problems
from tests.provider_search_world import build_neighbourhood

pytestmark = pytest.mark.django_db

# Where the directory does not meet a profile, and why: none in the neighbourhood today.
# (An organization with no place at all would break Organization.address 1..*.)
KNOWN: set[str] = set()
TYPES = ("Practitioner", "PractitionerRole", "Location", "Organization", "HealthcareService")


@pytest.fixture
def world(content_pack):
    return build_neighbourhood()


@pytest.mark.parametrize("resource_type", TYPES)
def test_every_resource_meets_its_plan_net_profile(patient, world, resource_type):
    served = entries(fhir_get(patient, f"/fhir/{resource_type}?_count=100"))
    assert served
    found = {problem for resource in served for problem in problems(resource)}
    assert found <= KNOWN, sorted(found - KNOWN)


def test_the_checker_catches_what_it_claims_to():
    practitioner = {"resourceType": "Practitioner", "meta": {"profile": []}, "active": False}
    found = problems(practitioner)
    assert any("meta.profile" in p for p in found)
    assert any(p.startswith("Practitioner.identifier: at least 1") for p in found)
    assert any(p.startswith("Practitioner.active:") for p in found)  # pattern true
    role = {
        "resourceType": "PractitionerRole",
        "specialty": [{"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "X"}]}],
        "code": [{"coding": [{"system": "http://example.org", "code": "x"}]}],
    }
    assert any(p.startswith("PractitionerRole.code:") for p in problems(role))
