"""How /fhir/ answers as an HTTP API: OperationOutcomes for every mistake, JSON only, read-only,
open to other origins, cached with validators, and rate-limited per client."""

import json

import pytest

from tests.fhir_client import FHIR_JSON, fhir_get
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(db):
    return RoleFactory()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/fhir/Practitioner?colour=blue", "no search parameter “colour”"),
        ("/fhir/Practitioner?specialty=207Q00000X", "no search parameter “specialty”"),
        ("/fhir/Location?address-country=US", "no search parameter “address-country”"),
        ("/fhir/Practitioner?name:missing=true", "does not take the modifier “:missing”"),
        ("/fhir/Practitioner?identifier:text=x", "does not take the modifier"),
        ("/fhir/Practitioner?name=", "has an empty value"),
        ("/fhir/Practitioner?name=ana,", "has an empty value"),
        ("/fhir/Practitioner?_lastUpdated=yesterday", "takes a date"),
        ("/fhir/Practitioner?_lastUpdated=2026-13-01", "takes a date"),
        ("/fhir/Practitioner?_lastUpdated=2026-02-30", "takes a date"),
        ("/fhir/Practitioner?_lastUpdated=sa2026-01-01", "takes a date"),
        ("/fhir/Practitioner?_count=-1", "_count takes one whole number"),
        ("/fhir/Practitioner?_count=ten", "_count takes one whole number"),
        ("/fhir/Practitioner?_count=1&_count=2", "_count takes one whole number"),
        ("/fhir/Practitioner?page=0", "page takes one whole number"),
        ("/fhir/Practitioner?page=99999999", "page takes one whole number"),
        ("/fhir/Practitioner?identifier=a|b|c", "is not a token"),
        ("/fhir/Practitioner?_include=PractitionerRole:location", "is not supported"),
        ("/fhir/PractitionerRole?_include=PractitionerRole:endpoint", "is not supported"),
        ("/fhir/PractitionerRole?_include:iterate=PractitionerRole:location", "no search"),
        ("/fhir/PractitionerRole?_revinclude=PractitionerRole:location", "is not supported"),
        ("/fhir/PractitionerRole?practitioner=Location/1", "refers to Practitioner"),
        ("/fhir/PractitionerRole?location=Location/a_b", "is not a resource id"),
        ("/fhir/Location?near=40.7|-73.9|25|furlongs", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=91|-73.9|25|mi", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=40.7|-181|25|mi", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=40.7|-73.9|0|mi", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=40.7|-73.9|101|mi", "at most 100 miles"),
        ("/fhir/Location?near=40.7|-73.9|200|km", "at most 100 miles"),
        ("/fhir/Location?near=north|-73.9|25|mi", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=40.7", "latitude|longitude|distance|units"),
        ("/fhir/Location?near=40.7|-73.9|5|mi,41|-74|5|mi", "one point"),
        ("/fhir/Location?near:below=40.7|-73.9|5|mi", "one point"),
        ("/fhir/HealthcareService?_lastUpdated=ge2026-01-01", "no search parameter"),
        ("/fhir/Practitioner/1234567893?_sort=name", "takes no parameter “_sort”"),
        ("/fhir/metadata?mode=terminology", "takes no parameter “mode”"),
    ],
)
def test_bad_requests_get_an_operation_outcome_saying_what_to_fix(patient, role, url, words):
    body = fhir_get(patient, url, status=400)
    issue = body["issue"][0]
    assert issue["severity"] == "error"
    assert issue["code"] in ("invalid", "not-supported")
    assert words in issue["diagnostics"]


def test_well_formed_but_unknown_values_simply_match_nothing(patient, role):
    for url in (
        "/fhir/PractitionerRole?location=Location/999999",
        "/fhir/PractitionerRole?practitioner=1234567893",
        "/fhir/Location?_id=not-a-number",
        "/fhir/Practitioner?identifier=http://example.org/ids|x",
    ):
        assert fhir_get(patient, url)["total"] == 0, url


@pytest.mark.parametrize(
    "url",
    ["/fhir/Patient", "/fhir/Patient/1", "/fhir/", "/fhir/Practitioner/1/_history", "/fhir/x/y/z"],
)
def test_what_is_not_served_is_a_404_operation_outcome(patient, db, url):
    body = fhir_get(patient, url, status=404)
    assert body["issue"][0]["code"] == "not-supported"


def test_unknown_ids_are_not_found(patient, role):
    for url in ("/fhir/Location/999999", "/fhir/Organization/0", "/fhir/HealthcareService/7"):
        assert fhir_get(patient, url, status=404)["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_server_is_read_only(patient, role, method):
    response = getattr(patient, method)(
        "/fhir/Practitioner", data="{}", content_type="application/fhir+json"
    )
    assert response.status_code == 405
    assert response["Content-Type"] == FHIR_JSON
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        ({}, "", 200),
        ({"HTTP_ACCEPT": "application/fhir+json"}, "", 200),
        ({"HTTP_ACCEPT": "application/json"}, "", 200),
        ({"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}, "", 200),
        ({"HTTP_ACCEPT": "application/fhir+xml"}, "", 406),
        ({}, "?_format=json", 200),
        ({}, "?_format=application/fhir%2Bjson", 200),
        ({}, "?_format=xml", 406),
        ({"HTTP_ACCEPT": "application/fhir+xml"}, "?_format=json", 200),  # _format wins
    ],
)
def test_json_is_the_only_format(patient, role, headers, query, status):
    body = fhir_get(patient, f"/fhir/metadata{query}", status=status, **headers)
    assert body["resourceType"] == ("CapabilityStatement" if status == 200 else "OperationOutcome")


def test_any_origin_may_read_and_preflights_are_answered(patient, role):
    response = patient.get(f"/fhir/PractitionerRole/{role.pk}", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = patient.options(
        "/fhir/Practitioner",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_answers_are_cacheable_and_revalidate_with_their_etag(patient, role, settings):
    url = f"/fhir/Practitioner/{role.practitioner.npi}"
    first = patient.get(url)
    assert first.status_code == 200
    assert f"max-age={settings.API_CACHE_SECONDS}" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    etag = first["ETag"]
    again = patient.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert patient.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    head = patient.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(first.content))


def test_a_directory_edit_is_served_at_once(patient, role):
    """The cache is keyed by the content version that every directory edit bumps."""
    from careatlas.providers.services import directory_changed

    url = f"/fhir/Practitioner/{role.practitioner.npi}"
    before = fhir_get(patient, url)
    role.practitioner.last_name = "Renamed"
    role.practitioner.save()
    directory_changed()
    after = fhir_get(patient, url)
    assert before["name"][0]["family"] != "Renamed" and after["name"][0]["family"] == "Renamed"


def test_too_many_requests_get_a_throttled_outcome_with_retry_after(patient, role, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    for _ in range(3):
        response = patient.get("/fhir/metadata")
        assert response.status_code == 200
    assert response["RateLimit-Remaining"] == "0"
    limited = patient.get("/fhir/metadata")
    assert limited.status_code == 429
    assert limited["Content-Type"] == FHIR_JSON
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert "no-store" in limited["Cache-Control"]
    outcome = json.loads(limited.content)
    assert outcome["issue"][0]["code"] == "throttled"
    # Another client is not affected.
    assert patient.get("/fhir/metadata", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_errors_follow_accept_language_while_resources_stay_in_english(patient, role):
    """/fhir/ has no language prefix: outcomes are rendered in the client's language,
    resources always in the site's, so every client (and the cache) gets the same one."""
    error = patient.get("/fhir/Practitioner?colour=blue", HTTP_ACCEPT_LANGUAGE="es")
    assert error.status_code == 400
    assert error["Content-Language"] == "es"
    assert "Accept-Language" in error["Vary"]
    read = patient.get(f"/fhir/Location/{role.location_id}", HTTP_ACCEPT_LANGUAGE="es")
    assert read["Content-Language"] == "en"
    assert b"Step-free entrance" in read.content


def test_a_server_failure_is_an_outcome_without_the_traceback(patient, role, monkeypatch, caplog):
    def broken(spec, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("careatlas.fhir.views.run", broken)
    response = patient.get("/fhir/Practitioner")
    assert response.status_code == 500
    assert response["Content-Type"] == FHIR_JSON
    assert json.loads(response.content)["issue"][0]["code"] == "exception"
    assert b"secret internals" not in response.content
    assert "secret internals" in caplog.text
