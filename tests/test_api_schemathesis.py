"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis): for valid
and invalid input alike, no server error, and every answer matches what the schema says.

A bounded run for the suite; docs/api.md shows the longer run against a live server.
"""

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from careatlas.api.v1 import api
from careatlas.wsgi import application
from tests.provider_search_world import build_neighbourhood

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _served_schema() -> dict:
    """The schema /api/v1/openapi.json serves, built in-process: collection runs before the
    test database exists, so it cannot be fetched through the app yet."""
    return json.loads(json.dumps(api.get_openapi_schema(path_params={}), cls=NinjaJSONEncoder))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = application  # requests go straight into Django's WSGI handler


@pytest.fixture
def world(content_pack, settings) -> Iterator[None]:
    """The content pack and a few providers, so searches and profiles find something.

    Requests run in this thread, inside the test's transaction. Like Django's test client,
    keep the handler from closing the connection after each request, which would end it.
    """
    settings.API_RATE_LIMIT_PER_MINUTE = 0  # thousands of requests from one address
    build_neighbourhood()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_tested_is_the_one_served(patient, world):
    assert patient.get("/api/v1/openapi.json").json() == _served_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, world):
    case.call_and_validate(checks=CHECKS)
