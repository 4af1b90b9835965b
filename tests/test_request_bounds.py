"""Hostile input gets a clear 4xx before any SQL is built, on every public entry point."""

import itertools
import random
import time
from urllib.parse import quote, urlencode

import pytest

from careatlas.search.interface import rebuild_provider_index
from tests.fhir_client import fhir_get
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db
BIG = str(2**63)  # one past the largest 64-bit row id


@pytest.fixture
def directory(db):
    role = RoleFactory(practitioner__first_name="Ana", practitioner__last_name="Alvarez")
    # FHIR's name search reads the search index, refreshed on commit; tests never commit.
    rebuild_provider_index()
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
    # Ten words still search, and find the practitioner they all name.
    ten = fhir_get(patient, "/fhir/Practitioner?name=" + "+".join(["ana"] * 10))
    assert ten["total"] == 1
    assert ten["entry"][0]["resource"]["name"][0]["family"] == "Alvarez"


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
        ("/compare/?p=%00", "page"),
        ("/search/?q=back%00pain", "page"),
        ("/providers/?location=%00", "page"),
        ("/procedures/?x%00=1", "page"),
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
        assert response["Content-Type"].startswith("text/html")
        assert "NUL" in _main(response)


def _main(response) -> str:
    """The text of a page's main landmark, where a refusal explains itself."""
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_a_refused_page_is_an_html_page_in_the_language_of_its_address(patient):
    response = patient.get("/es/search/?q=" + "a" * 1001)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "<h1>No se puede responder esta solicitud</h1>" in _main(response)
    assert "1000" in _main(response)  # the limit it broke
    assert 'href="/es/"' in html  # its links stay in Spanish
    # The site's security headers cover refusals made before the page's middleware runs.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"]
    too_long = patient.get("/search/?q=" + "a" * 5000)
    assert too_long.status_code == 414
    assert "<h1>This address is too long</h1>" in _main(too_long)
    assert '<html lang="en">' in too_long.content.decode()


def test_the_api_and_fhir_keep_their_own_shapes_for_an_address_too_long(patient):
    api = patient.get("/api/v1/providers?q=" + "a" * 5000)
    assert api.status_code == 414
    assert api.json()["error"]["code"] == "invalid_parameter"
    fhir = patient.get("/fhir/Practitioner?name=" + "a" * 5000)
    assert fhir.status_code == 414
    assert fhir["Content-Type"] == "application/fhir+json"
    assert "too long" in _outcome(fhir.json())


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
    assert "at most 3 a minute" in refused.content.decode()
    # Someone else is not affected.
    assert patient.get(path, REMOTE_ADDR="198.51.100.32").status_code == 200


def test_every_rate_limit_answers_429_with_one_message_in_its_clients_shape(patient, settings):
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = settings.API_RATE_LIMIT_PER_MINUTE = 1
    if time.time() % 60 > 55:  # both requests must fall in one minute's window
        time.sleep(61 - time.time() % 60)
    refused = {}
    for path in ("/search/?q=knee", "/api/v1/procedures", "/fhir/metadata"):
        patient.get(path, REMOTE_ADDR="198.51.100.40")
        refused[path] = patient.get(path, REMOTE_ADDR="198.51.100.40")
    assert {r.status_code for r in refused.values()} == {429}
    assert all(1 <= int(r["Retry-After"]) <= 61 for r in refused.values())
    page = refused["/search/?q=knee"]
    assert page["Content-Type"].startswith("text/html")
    assert "<h1>Too many searches for now</h1>" in _main(page)
    api = refused["/api/v1/procedures"].json()["error"]
    assert api["code"] == "rate_limited"
    fhir = refused["/fhir/metadata"].json()
    assert fhir["issue"][0]["code"] == "throttled"
    sentence = "Too many requests from your address: at most 1 a minute. Try again in"
    assert sentence in _main(page)
    assert api["message"].startswith(sentence)
    assert _outcome(fhir).startswith(sentence)


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
# by the API and FHIR and would hide what the value does. Random combinations draw from these.
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
# A page ignores a parameter it does not read (the API and FHIR refuse one), so each page
# takes every value on the names it reads, and on UNREAD, a name no page reads, for what an
# ignored parameter's value can still reach (the bounds, the page cache key, the render).
# Every page's names on every other page were full renders that read nothing more: about
# 1,500 requests, a fifth of the fuzz's time.
UNREAD = "utm_source"
PAGE_READS = {
    "/search/": ["q"],
    "/search/autocomplete": ["q"],
    "/providers/": ["q", "page", "location", "radius", "verified", "sort", "specialty",
                    "procedure", "access", "min_volume"],
    "/compare/": ["p"],
    "/procedures/": [],
}  # fmt: skip


def _names_read(path: str, family_names: list[str]) -> list[str]:
    if path in PAGE_READS:
        return [*PAGE_READS[path], UNREAD]
    return family_names


def test_every_page_of_the_fuzz_names_what_it_reads():
    """The fuzz's page list is the pages family: no page left out, none unknown."""
    assert set(PAGE_READS) == set(FAMILIES["pages"][0])
    assert set().union(*PAGE_READS.values()) <= set(FAMILIES["pages"][1])


def test_fuzzed_query_strings_never_cause_a_server_error(
    patient, content_pack, directory, settings
):
    """Every value on every parameter each entry point reads (about 6,100 requests), then
    600 requests of three random parameters each, drawn with a fixed seed."""
    settings.API_RATE_LIMIT_PER_MINUTE = 0  # a 429 would hide what the parameters do
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 0
    rng = random.Random(18)  # the same requests every run, so a failure can be replayed
    urls = []
    for paths, names in FAMILIES.values():
        for path in paths:
            for name, value in itertools.product(_names_read(path, names), VALUES):
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
