"""Log lines are JSON, carry the proxy's request id, and never a patient's details."""

import io
import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client

from careatlas.core.logs import JsonFormatter
from careatlas.providers.models import IncorrectInfoReport
from tests.consultation_personas import office, quick_forms, send  # noqa: F401 - fixtures
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db

CANARIES = {
    "name": "Canaryname Vwqk",
    "email": "canary-vwqk@example.net",
    "phone": "212 555 0187",
    "phone digits": "2125550187",
    "message": "canary-message-vwqk",
    "report contact": "canary-report-vwqk@example.org",
    "report details": "canary-details-vwqk",
    "signup email": "canary-signup-vwqk@example.net",
}


@pytest.fixture
def log_lines():
    """Every record any logger emits, at DEBUG, formatted as production formats them."""
    cache.clear()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    quiet = {name: logging.getLogger(name).level for name in ("careatlas.request", "django")}
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def test_the_proxys_request_id_comes_back_and_is_on_every_line(log_lines):
    response = Client().get("/livez", HTTP_X_REQUEST_ID="4f2a9c1e0b7d4e55a1c3b9d2e8f60a17")
    assert response["X-Request-ID"] == "4f2a9c1e0b7d4e55a1c3b9d2e8f60a17"
    (line,) = [entry for entry in log_lines() if entry["logger"] == "careatlas.request"]
    assert line["request_id"] == "4f2a9c1e0b7d4e55a1c3b9d2e8f60a17"
    assert line["route"] == "livez"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0


def test_a_request_without_an_id_or_with_a_hostile_one_gets_a_new_one(log_lines):
    plain = Client().get("/livez")
    hostile = Client().get("/livez", HTTP_X_REQUEST_ID='x" , "level": "CRITICAL')
    ids = {plain["X-Request-ID"], hostile["X-Request-ID"]}
    assert len(ids) == 2
    assert all(len(value) == 32 and value.isalnum() for value in ids)
    assert {entry["request_id"] for entry in log_lines()} == ids
    assert all(entry["level"] == "INFO" for entry in log_lines())


def test_every_line_of_a_request_shares_its_id(log_lines):
    missing = Client().get("/providers/1234567893/", HTTP_X_REQUEST_ID="req-0001-abcdef")
    assert missing.status_code == 404
    lines = [entry for entry in log_lines() if entry["request_id"] == "req-0001-abcdef"]
    loggers = {entry["logger"] for entry in lines}
    assert {"django.request", "careatlas.request"} <= loggers  # Django's warning and ours
    assert not [entry for entry in log_lines() if not entry["request_id"]]


def test_patient_details_posted_into_forms_appear_in_no_log_line(office, log_lines):  # noqa: F811
    client = Client()
    sent = send(
        client,
        office,
        name=CANARIES["name"],
        email=CANARIES["email"],
        phone=CANARIES["phone"],
        message=CANARIES["message"],
    )
    assert "/consultations/status/" in sent.content.decode()  # the confirmation page
    # A form that fails validation echoes what was typed on the page, never into the logs.
    refused = send(
        Client(), office, name=CANARIES["name"], email=CANARIES["email"], birth_date="1970-02-31"
    )
    assert "/consultations/status/" not in refused.content.decode()
    assert CANARIES["name"] in refused.content.decode()
    role = RoleFactory()
    report = Client().post(
        f"/providers/{role.practitioner.npi}/report/",
        {
            "fact": "other",
            "details": CANARIES["report details"],
            "contact": CANARIES["report contact"],
        },
    )
    assert report.status_code == 302
    assert IncorrectInfoReport.objects.filter(practitioner=role.practitioner).exists()
    signup = Client().post(
        "/accounts/signup/",
        {
            "email": CANARIES["signup email"],
            "password1": "a long enough passphrase 1",
            "password2": "a long enough passphrase 1",
        },
    )
    assert signup.status_code == 302
    lines = log_lines()
    routes = {entry.get("route") for entry in lines}
    assert {"consultations:new", "providers:report", "account_signup"} <= routes
    written = "\n".join(json.dumps(entry) for entry in lines)
    for field, canary in CANARIES.items():
        assert canary.lower() not in written.lower(), field
