"""The API keeps its published contract: the schema it serves is the committed one, and
property-based requests (schemathesis) drawn from that committed schema, valid and invalid
alike, get no server error and answers that match what it says.

The contract is tests/api_schema_v1.json. A change to the API shows there as a diff to
review; after a deliberate one, rewrite it with
`CAREATLAS_WRITE_API_SCHEMA=1 .venv/bin/python -m pytest tests/test_api_schemathesis.py -k served`.
A bounded run for the suite; docs/api.md shows the longer run against a live server.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from careatlas.procedures.models import Procedure
from careatlas.providers.models import OrganizationKind, ProcedureVolume, TaxonomyCode
from careatlas.wsgi import application
from tests.provider_factories import LocationFactory, RoleFactory, add_specialty_code
from tests.provider_search_world import OMT, build_neighbourhood

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


COMMITTED = Path(__file__).with_name("api_schema_v1.json")
schema = schemathesis.openapi.from_path(COMMITTED)
schema.app = application  # requests go straight into Django's WSGI handler


def build_registry_examples() -> None:
    """A hospital, a group practice and a provider with every registry fact and claims,
    under the identifiers the schema gives as examples, so those answers are checked too."""
    parameters = {
        p["name"]: p
        for methods in json.loads(COMMITTED.read_text())["paths"].values()
        for p in methods["get"].get("parameters", [])
        if p["in"] == "path"
    }
    hospital = LocationFactory(
        organization__name="Example Community Hospital",
        organization__kind=OrganizationKind.HOSPITAL,
        organization__ccn=parameters["ccn"]["example"],
        organization__hospital_type="Acute Care Hospitals",
        organization__ownership="Voluntary non-profit - Private",
        organization__star_rating=3,
        organization__emergency_services=True,
    ).organization
    TaxonomyCode.objects.create(
        code="207R00000X",
        grouping="Allopathic & Osteopathic Physicians",
        classification="Internal Medicine",
        display_name="Internal Medicine Physician",
    )
    role = RoleFactory(
        practitioner__npi=parameters["npi"]["example"],
        practitioner__medical_school="Example School of Medicine",
        practitioner__graduation_year=1990,
        practitioner__medicare_assignment="Y",
        practitioner__enumerated_on="2006-05-23",
        practitioner__registry_updated_on="2024-02-01",
        location__organization__pac_id=parameters["pac_id"]["example"],
    )
    add_specialty_code(role, "207R00000X")
    role.practitioner.hospital_affiliations.add(hospital)
    ProcedureVolume.objects.create(
        practitioner=role.practitioner,
        procedure=Procedure.objects.get(slug=OMT),
        year=2023,
        services=120,
    )


@pytest.fixture
def world(content_pack, settings) -> Iterator[None]:
    """The content pack and a few providers, so searches and profiles find something, and
    the schema's example hospital, practice and provider.

    Requests run in this thread, inside the test's transaction. Like Django's test client,
    keep the handler from closing the connection after each request, which would end it.
    """
    settings.API_RATE_LIMIT_PER_MINUTE = 0  # thousands of requests from one address
    build_neighbourhood()
    build_registry_examples()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_served_schema_is_the_committed_one(patient):
    served = patient.get("/api/v1/openapi.json").json()
    if os.environ.get("CAREATLAS_WRITE_API_SCHEMA") == "1":
        COMMITTED.write_text(json.dumps(served, indent=2, ensure_ascii=False) + "\n")
    committed = json.loads(COMMITTED.read_text())
    changed = sorted(
        path
        for path in served["paths"].keys() | committed["paths"].keys()
        if served["paths"].get(path) != committed["paths"].get(path)
    )
    assert not changed, f"the API changed at {changed}: review, then rewrite {COMMITTED.name}"
    assert served == committed, f"the API's schemas or description changed: see {COMMITTED.name}"


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, world):
    # Schemathesis sends requests' default Accept-Encoding: gzip, but its WSGI transport does
    # not unzip what the site then compresses (an HTTP client would), so ask for plain bodies.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
