"""A patient types the way people ask: topic and place mixed, typos, names (issue 15).

Through the HTTP client, on either database: the header search hands "back pain near
Chicago" to the finder, which says how it read it; the finder corrects "kiropractor";
one suggestion endpoint offers topics, doctors, practices and places.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from careatlas.providers.models import Practitioner
from tests.provider_factories import OrganizationFactory
from tests.provider_search_world import Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

FIND = "/providers/"
SUGGEST = "/search/autocomplete"


@pytest.fixture
def town(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _listed(response, town: Neighbourhood) -> list[str]:
    html = response.content.decode()
    names = re.findall(r'<h3 class="hit-name">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)
    return [town.names()[unescape(name)] for name in names]


def _links(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()): unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def _groups(patient, typed: str) -> dict[str, list[dict]]:
    response = patient.get(SUGGEST, {"q": typed})
    assert response.status_code == 200
    return {g["kind"]: g["options"] for g in response.json()["groups"]}


# -- The header search hands mixed queries to the finder ---------------------------------


@pytest.mark.parametrize(
    "typed",
    ["back pain near Chicago", "chiropractor 10001", "omt in queens ny", "knee replacement austin"],
)
def test_the_site_search_sends_topic_and_place_to_the_finder(town, patient, typed):
    response = patient.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == FIND
    assert parse_qs(urlsplit(response["Location"]).query) == {"q": [typed]}


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("back pain near Chicago", "Showing results for “back pain” near Chicago, IL."),
        ("chiropractor 10001", "Showing results for “chiropractor” near 10001 (New York, NY)."),
        ("omt in queens ny", "Showing results for “omt” near Queens, NY."),
        ("knee replacement austin", "Showing results for “knee replacement” near Austin, TX."),
    ],
)
def test_the_finder_says_how_it_read_the_query(town, patient, typed, says):
    response = patient.get(FIND, {"q": typed})
    text = _text(response)
    assert says in text
    assert "Not what you meant?" in text
    as_typed = _links(response)[f"Search for “{typed}” as typed"]
    assert parse_qs(urlsplit(as_typed).query) == {"q": [typed], "as_typed": ["1"]}


def test_a_mixed_query_finds_the_providers_near_the_place(town, patient):
    assert _listed(patient.get(FIND, {"q": "chiropractor 10001"}), town) == ["brooks"]
    near_queens = _listed(patient.get(FIND, {"q": "omt in queens ny"}), town)
    assert near_queens == ["alvarez", "dunn"]


def test_searching_the_words_as_typed_reads_no_place(town, patient):
    response = patient.get(FIND, {"q": "omt in queens ny", "as_typed": "1"})
    assert "Showing results for" not in _text(response)
    assert _listed(response, town) == []


def test_a_doctors_name_that_is_also_a_city_stays_a_name(town, patient):
    Practitioner.objects.filter(pk=town.alvarez.pk).update(last_name="Austin")
    call_command("rebuild_provider_index", verbosity=0)
    response = patient.get(FIND, {"q": "Ana Austin"})
    assert "near Austin, TX" not in _text(response)
    assert patient.get("/search/", {"q": "Ana Austin"}).status_code == 200


# -- Typo correction in the finder ------------------------------------------------------


def test_a_misspelt_specialty_is_corrected_and_can_be_searched_as_typed(town, patient):
    response = patient.get(FIND, {"q": "kiropractor", "location": "10001"})
    assert _listed(response, town) == ["brooks"]
    text = _text(response)
    assert "Showing results for “chiropractor”." in text
    instead = _links(response)["Search instead for “kiropractor”"]
    assert parse_qs(urlsplit(instead).query)["as_typed"] == ["1"]
    as_typed = patient.get(instead)
    assert _listed(as_typed, town) == []
    assert "No provider, specialty, procedure or condition matches “kiropractor”" in _text(as_typed)


def test_kiropractor_near_chicago_is_read_and_corrected(town, patient):
    text = _text(patient.get(FIND, {"q": "kiropractor near Chicago"}))
    assert "Showing results for “kiropractor” near Chicago, IL." in text
    assert "Showing results for “chiropractor”." in text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("osteopatic", ["alvarez", "dunn"]), ("Alvarex", ["alvarez"]), ("Chloe Chne", ["chen"])],
)
def test_misspelt_topics_and_names_still_find_providers(town, patient, typed, expected):
    response = patient.get(FIND, {"q": typed, "location": "10001", "radius": "10"})
    assert _listed(response, town) == expected
    assert "Showing results for" in _text(response)


def test_a_bare_city_offers_the_other_places_of_that_name(town, patient):
    response = patient.get(FIND, {"location": "Springfield"})
    text = _text(response)
    assert "Another Springfield?" in text
    other = _links(response)["Springfield, IL"]
    assert parse_qs(urlsplit(other).query)["location"] == ["Springfield, IL"]


def test_the_location_box_takes_a_borough(town, patient):
    response = patient.get(FIND, {"location": "Queens", "q": "omt"})
    assert _listed(response, town) == ["alvarez", "dunn"]


# -- One search box: suggestions in groups ----------------------------------------------


def test_suggestions_come_in_groups_with_doctors_by_name(town, patient):
    groups = _groups(patient, "Dr Brooks")
    doctors = groups["doctor"]
    assert doctors[0]["label"] == town.brooks.display_name
    assert doctors[0]["url"] == town.brooks.get_absolute_url()
    assert doctors[0]["detail"] == "Brooklyn, NY"


def test_a_misspelt_name_still_suggests_the_doctor(town, patient):
    labels = [d["label"] for d in _groups(patient, "Ana Alvarex")["doctor"]]
    assert labels == [town.alvarez.display_name]


def test_a_topic_opens_the_finder(town, patient):
    groups = _groups(patient, "osteopathic manual")
    procedure = groups["procedure"][0]
    assert procedure["label"] == "Osteopathic Manual Treatment"
    assert parse_qs(urlsplit(procedure["url"]).query) == {
        "procedure": ["osteopathic-manual-treatment"]
    }
    assert urlsplit(procedure["url"]).path == FIND


def test_a_place_is_suggested_as_it_is_typed(town, patient):
    places = _groups(patient, "Chica")["place"]
    assert places[0]["label"] == "Chicago, IL"
    assert parse_qs(urlsplit(places[0]["url"]).query) == {"location": ["Chicago, IL"]}


def test_a_topic_with_a_place_suggests_both_together(town, patient):
    groups = _groups(patient, "back pain near Chicago")
    place = groups["place"][0]
    assert place["label"] == "Chicago, IL"
    assert parse_qs(urlsplit(place["url"]).query) == {"q": ["back pain"], "location": ["Chicago"]}
    condition = groups["condition"][0]
    assert parse_qs(urlsplit(condition["url"]).query)["location"] == ["Chicago"]
    assert condition["detail"] == "near Chicago, IL"


def test_practices_with_a_page_are_suggested_by_name(town, patient):
    OrganizationFactory(name="Harbor Spine Group", kind="practice", pac_id="1234567890")
    OrganizationFactory(name="Harbor Dental", kind="practice", pac_id="")  # no page
    practices = _groups(patient, "harbor sp")["practice"]
    assert [p["label"] for p in practices] == ["Harbor Spine Group"]
    assert practices[0]["url"].startswith("/providers/practices/1234567890/")


@pytest.mark.parametrize("typed", ["", "a", "*", "   "])
def test_no_suggestions_before_two_letters(town, patient, typed):
    assert patient.get(SUGGEST, {"q": typed}).json() == {"groups": []}


# -- The demo directory: the examples in the issue --------------------------------------


@pytest.fixture
def demo_directory(content_pack):
    # Seed 1's first 600 providers include Raj Chavez and several doctors named Costa.
    call_command("seed_demo_providers", count=600, seed=1, chunk=300, verbosity=0)


def test_raj_chavez_and_dr_costa_are_found_from_the_header_box(demo_directory, patient):
    raj = Practitioner.objects.get(first_name="Raj", last_name="Chavez")
    doctors = _groups(patient, "Raj Chavez")["doctor"]
    assert doctors[0]["url"] == raj.get_absolute_url()
    costas = _groups(patient, "Dr Costa")["doctor"]
    assert costas and all("Costa" in d["label"] for d in costas)
    page = _text(patient.get("/search/", {"q": "Raj Chavez"}))
    assert raj.display_name in page


def test_a_place_being_typed_after_near_is_completed(town, patient):
    groups = _groups(patient, "back pain near Chic")
    place = groups["place"][0]
    assert place["label"] == "Chicago, IL"
    assert parse_qs(urlsplit(place["url"]).query) == {
        "q": ["back pain"],
        "location": ["Chicago, IL"],
    }
    assert groups["condition"][0]["label"] == "Low back pain"
