"""Hostile input gets a clear 4xx before any SQL is built, on every public entry point."""

import itertools
import random
import time
from urllib.parse import quote, urlencode

import pytest

from tests.fhir_client import fhir_get
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db
BIG = str(2**63)  # one past the largest 64-bit row id


@pytest.fixture
def directory(db):
    role = RoleFactory(practitioner__first_name="Ana", practitioner__last_name="Alvarez")
    return role


def _outcome(body: dict) -> str:
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]["diagnostics"]


def test_a_name_of_1900_words_is_refused_before_any_query(patient, directory):
    name = "+".join(["a"] * 1900)  # 3.8 kB: once 4.7 to 7.8 s on PostgreSQL, a 500 on SQLite
    body = fhir_get(patient, f"/fhir/Practitioner?name={name}", status=400)
    assert "longer than 1000 characters" in _outcome(body)
    eleven = "+".join(["a"] * 11)
    body = fhir_get(patient, f"/fhir/Practitioner?name={eleven}", status=400)
    assert "at most 200 characters and 10 words" in _outcome(body)


def test_repeats_and_alternatives_are_bounded(patient, directory):
    repeated = "&".join(["name=ana"] * 11)
    assert "at most 10 times" in _outcome(
        fhir_get(patient, f"/fhir/Practitioner?{repeated}", status=400)
    )
    many = ",".join(f"n{i}" for i in range(21))
    assert "at most 20 comma-separated" in _outcome(
        fhir_get(patient, f"/fhir/Practitioner?name={many}", status=400)
    )
    # Ten words still search.
    assert fhir_get(patient, "/fhir/Practitioner?name=" + "+".join(["ana"] * 10))["total"] >= 0


@pytest.mark.parametrize(
    "url",
    [
        f"/fhir/Practitioner?_id={BIG}",
        f"/fhir/PractitionerRole?location=Location/{BIG}",
        f"/fhir/PractitionerRole?organization={BIG}",
        f"/fhir/PractitionerRole?practitioner=Practitioner/{BIG}9",
        f"/fhir/Location?_id=0,{BIG}",
    ],
)
def test_ids_past_64_bits_match_nothing_instead_of_failing(patient, directory, url):
    body = fhir_get(patient, url)
    assert body["resourceType"] == "Bundle"
    assert body["total"] == 0


def test_reading_an_id_past_64_bits_is_not_found(patient, directory):
    fhir_get(patient, f"/fhir/Practitioner/{BIG}", status=404)


def test_a_last_updated_before_year_one_in_utc_is_a_clear_400(patient, directory):
    url = "/fhir/Practitioner?_lastUpdated=" + quote("0001-01-01T00:00+14:00")
    assert "_lastUpdated" in _outcome(fhir_get(patient, url, status=400))


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("/fhir/Practitioner?name=ana%00", "fhir"),
        ("/api/v1/providers?q=knee%00", "api"),
        ("/compare/?p=%00", "text"),
        ("/search/?q=back%00pain", "text"),
        ("/providers/?location=%00", "text"),
        ("/procedures/?x%00=1", "text"),
    ],
)
def test_nul_bytes_are_refused_in_every_shape(patient, url, shape):
    response = patient.get(url)
    assert response.status_code == 400
    if shape == "fhir":
        assert "NUL" in _outcome(response.json())
    elif shape == "api":
        assert response.json()["error"]["code"] == "invalid_parameter"
        assert "NUL" in response.json()["error"]["message"]
    else:
        assert "NUL" in response.content.decode()


def test_a_posted_form_with_a_nul_byte_is_refused(patient, directory):
    url = f"/providers/{directory.practitioner.npi}/report/"
    patient.get(url)
    response = patient.post(url, {"fact": "other", "details": "bad\x00bytes"})
    assert response.status_code == 400


def test_oversized_addresses_and_values_are_refused(patient):
    assert patient.get("/search/?q=" + "a" * 5000).status_code == 414
    long_value = patient.get("/search/?q=" + "a" * 1001 + "&x=" + "b")
    assert long_value.status_code == 400
    assert "longer than 1000 characters" in long_value.content.decode()
    posted = patient.post("/about/privacy/", {"message": "m" * 2000})
    assert posted.status_code == 405  # a form field of 2,000 characters reaches the view
    too_long = patient.post("/about/privacy/", {"message": "m" * 4001})
    assert "longer than 4000 characters" in too_long.content.decode()
    repeated = patient.get("/compare/?" + "&".join(["p=a"] * 21))
    assert repeated.status_code == 400


@pytest.mark.parametrize("path", ["/search/?q=knee", "/search/autocomplete?q=kn", "/providers/"])
def test_search_pages_have_a_generous_per_client_limit(patient, settings, path):
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 3
    if time.time() % 60 > 55:  # all four requests must fall in one minute's window
        time.sleep(61 - time.time() % 60)
    for _ in range(3):
        assert patient.get(path, REMOTE_ADDR="198.51.100.31").status_code == 200
    refused = patient.get(path, REMOTE_ADDR="198.51.100.31")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many searches" in refused.content.decode()
    # Someone else is not affected.
    assert patient.get(path, REMOTE_ADDR="198.51.100.32").status_code == 200


@pytest.mark.parametrize("word", ["null", "maybe", "2", "[]"])
def test_a_yes_no_filter_accepts_only_yes_or_no(patient, word):
    response = patient.get(f"/api/v1/providers?verified={word}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "verified"


@pytest.mark.parametrize("word", ["1", "true", "on", "0", "false", "off", ""])
def test_the_yes_no_words_are_read(patient, word):
    assert patient.get(f"/api/v1/providers?verified={word}").status_code == 200


# A bounded fuzz over every public entry point's query string: no answer may be a 5xx. Each
# family of entry points gets its own parameter names, since an unknown name is refused early
# and would hide what the value does.
FAMILIES = {
    "pages": (
        ["/search/", "/search/autocomplete", "/providers/", "/compare/", "/procedures/"],
        ["q", "p", "page", "location", "radius", "verified", "sort", "specialty", "procedure",
         "access", "min_volume"],
    ),
    "api": (
        ["/api/v1/providers", "/api/v1/providers/autocomplete", "/api/v1/search",
         "/api/v1/procedures"],
        ["q", "page", "page_size", "location", "radius", "verified", "accepting", "sort",
         "specialty", "procedure", "insurance", "language", "sex", "min_volume"],
    ),
    "fhir": (
        ["/fhir/Practitioner", "/fhir/PractitionerRole", "/fhir/Location", "/fhir/Organization",
         "/fhir/HealthcareService"],
        ["name", "family", "_id", "_count", "page", "_lastUpdated", "location.near", "near",
         "location", "organization", "practitioner", "specialty", "address-postalcode",
         "_include", "identifier"],
    ),
}  # fmt: skip
VALUES = [
    "", "0", "-1", "1e308", "nan", "inf", str(2**63), str(2**64), "9" * 40, "null", "true",
    "a" * 300, "ñandú", "\u202e", "'; DROP TABLE x;--", '" OR 1=1', "NEAR(a b)", "a*", "^$",
    "0001-01-01T00:00+14:00", "9999-12-31T23:59:59-14:00", "40.7|-73.9|5|mi", "1|2|3|parsec",
    "Location/abc", "http://evil.example/fhir/Location/1", ",,,", "a,b,c", "%", "\\", "\ud7ff",
    " ".join(["z"] * 15), "Practitioner:location", "*", "a\x00b", "\x00",
    f"Location/{2**63}", f"Organization/{2**64}", "-9223372036854775809", "1" * 19,
    "ge0001-01-01", "lt9999-12-31T23:59:59.999999999Z",
]  # fmt: skip


def test_fuzzed_query_strings_never_cause_a_server_error(
    patient, content_pack, directory, settings
):
    """Every value on every parameter of every entry point (about 7,600 requests), then 600
    requests of three random parameters each, drawn with a fixed seed."""
    settings.API_RATE_LIMIT_PER_MINUTE = 0  # a 429 would hide what the parameters do
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 0
    rng = random.Random(18)  # the same requests every run, so a failure can be replayed
    urls = []
    for paths, names in FAMILIES.values():
        for path, name, value in itertools.product(paths, names, VALUES):
            urls.append(f"{path}?{urlencode([(name, value)])}")
        for _ in range(200):
            pairs = [(rng.choice(names), rng.choice(VALUES)) for _ in range(3)]
            urls.append(f"{rng.choice(paths)}?{urlencode(pairs)}")
    failures, answered = [], set()
    for url in urls:
        status = patient.get(url).status_code
        answered.add(status)
        if status >= 500:
            failures.append((status, url))
    assert failures == []
    assert {200, 400} <= answered  # the fuzz reached both the searches and the refusals


def test_fuzzed_form_posts_never_cause_a_server_error(patient, directory, settings):
    """The public forms (report a wrong fact, staff sign-in), every field with every hostile
    value: a field error or a refusal, never a 5xx."""
    settings.PROVIDER_REPORTS_PER_HOUR = 0
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 0
    settings.SIGNIN_FAILURES_PER_IP = 0
    report = f"/providers/{directory.practitioner.npi}/report/"
    forms = {
        report: {"fact": "other", "details": "The phone number rings a bakery.", "contact": ""},
        "/admin/login/": {"username": "eddie", "password": "not-the-password"},
    }
    failures, answered = [], set()
    for url, valid in forms.items():
        for field, value in itertools.product(valid, VALUES):
            status = patient.post(url, {**valid, field: value}).status_code
            answered.add(status)
            if status >= 500:
                failures.append((status, url, field, value))
    assert failures == []
    assert {200, 302, 400} <= answered  # errors shown, reports taken, NUL refused
