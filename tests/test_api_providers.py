"""An app developer searches the provider directory through the JSON API: the search page's
parameters, results and errors, and profiles with the verification behind every fact."""

import datetime
import json
import re
from html import unescape

import pytest
from django.utils import timezone

from careatlas.providers import services
from careatlas.providers.models import Verification
from careatlas.search.interface import MAX_PAGE_SIZE, rebuild_provider_index
from tests.provider_factories import (
    InsurancePlanFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)
from tests.provider_search_world import OMT, OSTEOPATHIC, Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/providers"
NEARBY = ["alvarez", "dunn", "chen", "brooks"]  # within 25 miles of 10001, nearest first
SECRET_CONTACT = "jo.patient@example.org"
SECRET_DETAILS = "The phone number rings a bakery since March."


@pytest.fixture
def town(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _json(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:800]
    return response.json()


def _search(patient, query: str, status: int = 200) -> dict:
    return _json(patient.get(f"{SEARCH}?{query}"), status)


def _listed(body: dict, town: Neighbourhood) -> list[str]:
    by_npi = {getattr(town, p).npi: p for p in town.names().values()}
    return [by_npi[hit["npi"]] for hit in body["results"]]


def _page_npis(patient, query: str) -> list[str]:
    """The NPIs the HTML search page lists for the same query string, in page order."""
    html = patient.get(f"/providers/?{query}").content.decode()
    links = re.findall(r'<h3 class="hit-name">.*?<a href="([^"]+)">', html, re.S)
    return [re.search(r"/providers/(\d{10})/", unescape(link))[1] for link in links]


# The page's parameters, the page's results


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("location=10001", NEARBY),
        ("location=10001-1234", NEARBY),
        ("location=Jersey+City%2C+NJ&sort=distance", ["chen", "dunn", "alvarez", "brooks"]),
        ("location=40.7506,-73.9972", NEARBY),
        ("location=19103&radius=50", ["evans"]),
        ("location=19103&radius=100", ["evans", "chen", "brooks", "dunn", "alvarez"]),
        ("location=10001&accepting=1", ["alvarez", "chen"]),
        ("location=10001&telehealth=1", ["alvarez", "brooks"]),
        ("location=10001&verified=1", ["alvarez", "chen"]),
        ("location=10001&board_certified=1", ["alvarez"]),
        ("location=10001&insurance=empire-demo-ppo", ["alvarez", "chen"]),
        ("location=10001&insurance=harbor-demo-hmo", ["brooks"]),
        ("location=10001&language=zh", ["chen"]),
        ("location=10001&language=es", ["alvarez"]),
        ("location=10001&sex=male", ["dunn", "brooks"]),
        ("location=10001&sex=female", ["alvarez", "chen"]),
        ("location=10001&access=step_free", ["alvarez", "chen"]),
        ("location=10001&access=step_free&access=accessible_parking", ["chen"]),
        ("location=10001&specialty=chiropractic", ["brooks"]),
        ("location=10001&procedure=chiropractic-manipulation", ["brooks"]),
        (f"location=10001&procedure={OMT}&sort=volume", ["alvarez", "dunn"]),
        ("location=10001&q=Chen", ["chen"]),
        ("location=10001&sort=name", ["alvarez", "brooks", "chen", "dunn"]),
        ("specialty=osteopathic-medicine", ["alvarez", "dunn", "evans", "farrow"]),
        (f"procedure={OMT}&specialty=", ["alvarez", "dunn", "evans", "farrow"]),
    ],
)
def test_every_parameter_filters_as_the_search_page_does(patient, town, query, expected):
    body = _search(patient, query)
    assert _listed(body, town) == expected
    assert [hit["npi"] for hit in body["results"]] == _page_npis(patient, query)


def test_a_hit_says_what_the_result_card_says(patient, town):
    body = _search(patient, "location=10001")
    assert body["total"] == 4 and body["total_is_lower_bound"] is False
    assert body["location"] == {
        "label": "10001 (New York, NY)",
        "latitude": pytest.approx(40.7506, abs=0.01),
        "longitude": pytest.approx(-73.9972, abs=0.01),
    }
    assert body["radius_miles"] == 25
    alvarez = body["results"][0]
    assert alvarez["name"] == "Ana Alvarez, DO"
    assert alvarez["url"] == f"http://127.0.0.1:8000{town.alvarez.get_absolute_url()}"
    assert alvarez["api_url"] == f"http://127.0.0.1:8000/api/v1/providers/{town.alvarez.npi}"
    assert alvarez["place"]["address"] == "1 Chelsea Way, New York, NY 10001"
    assert alvarez["distance_miles"] == pytest.approx(0.2, abs=0.1)
    assert alvarez["specialties"] == ["Osteopathic Medicine"]
    assert (alvarez["accepting_new_patients"], alvarez["verified"]) == (True, True)
    assert alvarez["board_certified"] is True and alvarez["is_demo"] is False
    dunn = next(hit for hit in body["results"] if hit["npi"] == town.dunn.npi)
    assert dunn["is_demo"] is True


def test_without_a_place_everyone_is_listed_by_name_and_counted_at_least(patient, town):
    body = _search(patient, "")
    assert _listed(body, town) == ["alvarez", "brooks", "chen", "dunn", "evans", "farrow"]
    assert body["location"] is None and body["radius_miles"] is None


def test_nothing_known_matches_with_a_note(patient, town):
    body = _search(patient, "q=zzzzqqqq")
    assert body["total"] == 0 and body["results"] == []
    assert body["notes"]


# The page's errors, as 400s naming the field


@pytest.mark.parametrize(
    ("query", "field", "code", "message"),
    [
        ("location=00000", "location", "unresolved", None),
        ("location=Springfeldxx%2C+IL", "location", "unresolved", "We could not find Springfeldxx"),
        ("location=100", "location", "unresolved", "A ZIP code has 5 digits"),
        ("location=51.5072,-0.1276", "location", "outside", "does not seem to be in the US"),
        ("location=10001&radius=500", "radius", "invalid_choice", "Choose 5, 10, 25, 50 or 100"),
        ("location=10001&radius=7", "radius", "invalid_choice", "Choose 5, 10, 25, 50 or 100"),
        ("location=10001&sort=best", "sort", "invalid_choice", "Choose one of the listed"),
        ("sort=distance", "sort", "invalid", "Enter a location above to sort by distance"),
        ("insurance=no-such-plan", "insurance", "invalid_choice", "Choose one of the options"),
        ("language=xx", "language", "invalid_choice", "Choose one of the options"),
        ("sex=robot", "sex", "invalid_choice", "Choose one of the options"),
        ("procedure=no-such-thing", "procedure", "invalid_choice", "Choose one of the options"),
        ("access=teleporter", "access", "invalid_choice", "Choose features from the list."),
        ("q=" + "x" * 201, "q", "max_length", "Use at most 200 characters."),
        ("page=abc", "page", "invalid", "The page number must be a whole number"),
        ("page=0", "page", "min_value", "The page number must be 1 or more."),
        ("page_size=-5", "page_size", "min_value", "Results per page must be 1 or more."),
        ("min_volume=0", "min_volume", "min_value", "The minimum must be 1 or more."),
    ],
)
def test_bad_parameters_are_400s_naming_the_field(patient, town, query, field, code, message):
    error = _search(patient, query, 400)["error"]
    assert error["code"] == "invalid_parameter"
    assert error["field"] == field
    assert error["details"][0]["field"] == field
    assert error["details"][0]["code"] == code
    if message:
        assert message in error["message"]


def test_every_bad_field_is_listed_in_details(patient, town):
    error = _search(patient, "location=00000&radius=500&sex=robot", 400)["error"]
    assert {d["field"] for d in error["details"]} == {"location", "radius", "sex"}


def test_page_size_is_capped_and_pages_link_to_each_other(patient, town):
    for n in range(55):
        role = RoleFactory(
            practitioner__first_name="Pat",
            practitioner__last_name=f"Osteo{n:02d}",
            location__latitude=40.7506 + n / 10000,
        )
        add_specialty_code(role, OSTEOPATHIC)
    rebuild_provider_index()
    query = "specialty=osteopathic-medicine&location=10001"
    first = _search(patient, f"{query}&page_size=500")
    assert first["page_size"] == MAX_PAGE_SIZE == len(first["results"])
    assert (first["total"], first["pages"]) == (57, 2)
    assert first["links"]["previous"] is None
    assert first["links"]["next"].endswith(f"page=2&page_size={MAX_PAGE_SIZE}")
    second = _json(patient.get(first["links"]["next"].removeprefix("http://127.0.0.1:8000")))
    assert (second["page"], len(second["results"])) == (2, 7)
    assert second["links"]["next"] is None
    assert second["links"]["self"] == first["links"]["next"]
    firsts = {hit["npi"] for hit in first["results"]}
    assert not firsts & {hit["npi"] for hit in second["results"]}
    past = _search(patient, f"{query}&page=9")
    assert past["results"] == [] and past["total"] == 57


def test_filters_list_what_the_search_page_offers(patient, town):
    body = _json(patient.get(f"{SEARCH}/filters"))
    assert [c["value"] for c in body["radius"]] == ["5", "10", "25", "50", "100"]
    assert {"value": "empire-demo-ppo", "label": "Empire Demo PPO"} in body["insurance"]
    assert {"value": OMT, "label": "Osteopathic Manual Treatment"} in body["procedure"]
    assert {"value": "zh", "label": "Chinese"} in body["language"]
    assert {c["value"] for c in body["access"]} >= {"step_free", "elevator", "asl"}
    assert [c["value"] for c in body["sort"]] == ["", "distance", "name", "volume", "rating"]
    assert [c["value"] for c in body["min_volume"]] == ["", "1", "50", "100", "500"]
    page = patient.get("/providers/").content.decode()
    for choice in body["specialty"][1:]:
        assert f'<option value="{choice["value"]}">' in page


def test_provider_names_autocomplete(patient, town):
    body = _json(patient.get(f"{SEARCH}/autocomplete?q=alva"))
    assert body["results"] == [
        {
            "npi": town.alvarez.npi,
            "label": "Ana Alvarez, DO",
            "detail": "New York, NY",
            "url": f"http://127.0.0.1:8000{town.alvarez.get_absolute_url()}",
            "api_url": f"http://127.0.0.1:8000/api/v1/providers/{town.alvarez.npi}",
        }
    ]
    assert _json(patient.get(f"{SEARCH}/autocomplete?q=a"))["results"] == []


# Profiles


def test_a_profile_gives_every_fact_with_its_verification(patient, town):
    alvarez = town.alvarez
    location = alvarez.roles.get().location
    phone = verify(location, "phone", days_ago=400, method="office_confirmation")
    body = _json(patient.get(f"{SEARCH}/{alvarez.npi}"))
    assert (body["npi"], body["display_name"]) == (alvarez.npi, "Ana Alvarez, DO")
    assert body["verified"] is True
    assert body["languages"] == [
        {"code": "en", "name": "English"},
        {"code": "es", "name": "Spanish"},
    ]
    identity = body["identity"]
    assert identity["status"] == "verified"
    assert identity["status_text"].startswith("Verified ")
    record = identity["verification"]
    assert record["fact"] == "identity"
    assert record["method"] == "registry_match"
    assert record["verified_by"] == "Test verifier"  # a data source, named
    assert record["verified_on"] == str(timezone.localdate() - datetime.timedelta(days=10))
    assert (record["stale"], record["disputed"]) == (False, False)
    [licence] = body["licenses"]
    assert licence["fact"]["verification"]["fact"] == "license"
    [certification] = body["certifications"]
    assert certification["fact"]["status"] == "verified"
    [place] = body["places"]
    assert place["location"]["address"] == ["1 Chelsea Way", "New York, NY 10001"]
    assert place["accepting_new_patients"] == {"code": "newpt", "label": "Accepting new patients"}
    assert place["specialties"] == [
        {"code": OSTEOPATHIC, "name": "Osteopathic Medicine", "primary": True}
    ]
    assert place["insurance"] == [
        {"slug": "empire-demo-ppo", "name": "Empire Demo PPO", "plan_type": "ppo"}
    ]
    assert [p["slug"] for p in place["procedures"]] == [OMT]
    assert place["procedures"][0]["offered"]["status"] == "unverified"
    assert place["procedures"][0]["offered"]["verification"] is None
    facts = {fact["fact"]: fact for fact in place["facts"]}
    stale = facts["phone"]
    assert stale["status"] == "stale" and stale["status_text"] == "May be out of date"
    assert stale["verification"]["stale"] is True
    assert stale["verification"]["verified_on"] == str(phone.verified_on)
    # A confirmation is credited to the practice (issue 12), never to the person who made it.
    assert stale["verification"]["verified_by"] == "The practice"
    assert place["hours"]["fact"] == "hours"
    assert body["report_url"] == f"http://127.0.0.1:8000/providers/{alvarez.npi}/report/"


def test_a_profile_shows_the_same_badges_as_the_page(patient, town):
    body = _json(patient.get(f"{SEARCH}/{town.chen.npi}"))
    page = unescape(patient.get(town.chen.get_absolute_url()).content.decode())
    badges = [body["identity"], *[lic["fact"] for lic in body["licenses"]]]
    badges += [fact for place in body["places"] for fact in place["facts"]]
    for fact in badges:
        assert fact["status_text"] in page
        assert f"{fact['label']}" in page


def test_reports_never_leak_but_the_dispute_shows(patient, town):
    alvarez = town.alvarez
    location = alvarez.roles.get().location
    verify(location, "phone")
    form = patient.get(f"/providers/{alvarez.npi}/report/")
    assert form.status_code == 200
    sent = patient.post(
        f"/providers/{alvarez.npi}/report/",
        {"fact": f"phone:{location.pk}", "details": SECRET_DETAILS, "contact": SECRET_CONTACT},
    )
    assert sent.status_code == 302
    assert Verification.objects.filter(location=location, fact="phone", disputed=True).exists()
    body = patient.get(f"{SEARCH}/{alvarez.npi}").content.decode()
    assert SECRET_CONTACT not in body and SECRET_DETAILS not in body
    keys = set(re.findall(r'"(\w+)":', body))
    assert not keys & {"contact", "details", "reports", "closed_by", "note"}
    phone = next(f for f in json.loads(body)["places"][0]["facts"] if f["fact"] == "phone")
    assert phone["status"] == "disputed" and phone["verification"]["disputed"] is True
    schema = patient.get("/api/v1/openapi.json").content.decode().lower()
    assert "contact" not in schema and "incorrectinforeport" not in schema
    services.close_reports(alvarez.reports.all(), "resolved")


def test_unknown_and_hidden_providers_are_not_found(patient, town):
    farrow = town.farrow
    farrow.active = False
    farrow.save()
    for npi in (farrow.npi, "1234567893"):
        error = _json(patient.get(f"{SEARCH}/{npi}"), 404)["error"]
        assert error == {
            "code": "not_found",
            "message": "No provider with this NPI is listed.",
            "field": None,
            "details": [],
        }
    bad = _json(patient.get(f"{SEARCH}/12345"), 400)["error"]
    assert bad["field"] == "npi"


def test_a_practice_without_an_organisation_is_listed_without_one(patient, town):
    """An NPPES individual has a practice address but no organization."""
    plan = InsurancePlanFactory(slug="solo-plan", name="Solo Plan")
    role = RoleFactory(
        practitioner__first_name="Ola",
        practitioner__last_name="Solo",
        location__organization=None,
        location__line1="9 Solo Lane",
        organization=None,
    )
    role.insurance_plans.add(plan)
    offer(role, town.alvarez.roles.get().offered_procedures.get().procedure, low=80, high=120)
    body = _json(patient.get(f"{SEARCH}/{role.practitioner.npi}"))
    [place] = body["places"]
    assert place["organization"] is None
    assert place["heading"] == "9 Solo Lane"
    offered = place["procedures"][0]
    assert (offered["self_pay_low"], offered["self_pay_high"]) == (80.0, 120.0)
    assert offered["self_pay_text"] == "$80–$120"
    assert offered["price"]["status"] == "unverified"
    assert place["insurance"] == [{"slug": "solo-plan", "name": "Solo Plan", "plan_type": "ppo"}]
