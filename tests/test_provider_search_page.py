"""A patient searches the provider directory: by place, procedure and filters, with shareable
URLs, clear errors and useful empty pages (through the HTTP client, on either database)."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from careatlas.search.interface import MAX_PAGE_SIZE, rebuild_provider_index
from tests.provider_factories import RoleFactory, add_specialty_code
from tests.provider_search_world import OMT, OSTEOPATHIC, Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

FIND = "/providers/"
NEARBY = ["alvarez", "dunn", "chen", "brooks"]  # within 25 miles of 10001, nearest first


@pytest.fixture
def town(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _search(patient, query: str) -> str:
    return _html(patient.get(f"{FIND}?{query}"))


def _cards(html: str) -> list[str]:
    return re.findall(
        r'<li class="provider-hit".*?</li>\s*(?=<li class="provider-hit"|</ol>)', html, re.S
    )


def _listed(html: str, town: Neighbourhood) -> list[str]:
    """The personas the results list names, in page order."""
    names = re.findall(r'<h3 class="hit-name">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)
    return [town.names()[unescape(name)] for name in names]


def _card(html: str, town: Neighbourhood, persona: str) -> str:
    name = getattr(town, persona).display_name
    return next(card for card in _cards(html) if f">{name}</a>" in unescape(card))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]* checked>', html)


def _error_summary(html: str) -> str:
    match = re.search(r'<div class="notice notice-error error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


def _data(html: str, attribute: str) -> str:
    return unescape(re.search(rf'id="provider-results"[^>]* data-{attribute}="([^"]*)"', html)[1])


# Arriving from a guide


def test_find_a_doctor_on_a_guide_opens_the_search_prefilled(patient, town):
    guide = _html(patient.get(f"/procedures/{OMT}/"))
    link = unescape(re.search(r'href="(/providers/\?procedure=[^"]+)"', guide)[1])
    html = _html(patient.get(link))
    assert '<h1 id="finder-h">Find a doctor for Osteopathic Manual Treatment</h1>' in html
    assert _selected(html, "procedure") == [OMT]
    assert _selected(html, "specialty") == ["osteopathic-medicine"]
    # No location yet: everyone who offers the procedure, by name, and a nudge to add a place.
    assert _listed(html, town) == ["alvarez", "dunn", "evans", "farrow"]
    assert "Add a ZIP code or a city to see distances" in html


def test_the_closing_call_to_action_asks_for_a_location(patient, town):
    guide = _html(patient.get(f"/procedures/{OMT}/"))
    link = unescape(re.search(r'href="(/providers/\?procedure=[^"]+board_certified=1)"', guide)[1])
    html = _html(patient.get(link))
    assert "Where should we look?" in html
    assert 'href="#id_location"' in html
    assert _checked(html, "board_certified") == ["1"]

    html = _search(patient, urlsplit(link).query + "&location=10001")
    assert "Where should we look?" not in html
    assert _listed(html, town) == ["alvarez"]  # Evans is certified too, but 83 miles away
    assert "Board certified" in _card(html, town, "alvarez")
    wider = _search(patient, urlsplit(link).query + "&location=10001&radius=100")
    assert _listed(wider, town) == ["alvarez", "evans"]


# Places


def test_a_zip_code_lists_providers_nearest_first_with_distances(patient, town):
    html = _search(patient, "location=10001")
    assert _listed(html, town) == NEARBY
    assert "4 providers within 25 miles of 10001 (New York, NY)" in html
    assert "0.2 miles" in _card(html, town, "alvarez")
    assert "3.8 miles" in _card(html, town, "brooks")


@pytest.mark.parametrize(
    ("typed", "label"),
    [("10001-1234", "10001 (New York, NY)"), ("Jersey City, NJ", "Jersey City, NJ")],
)
def test_zip_plus_four_and_city_state_are_understood(patient, town, typed, label):
    html = _search(patient, f"location={typed}")
    assert f"within 25 miles of {label}" in html
    assert set(_listed(html, town)) == set(NEARBY)


def test_the_radius_decides_who_is_near_enough(patient, town):
    assert _listed(_search(patient, "location=19103&radius=50"), town) == ["evans"]
    html = _search(patient, "location=19103&radius=100")
    assert _listed(html, town) == ["evans", "chen", "brooks", "dunn", "alvarez"]
    assert _selected(html, "radius") == ["100"]


def test_an_unresolvable_place_says_so_and_offers_places_that_exist(patient, town):
    html = _search(patient, "location=Springfeldxx%2C+IL&specialty=osteopathic-medicine")
    summary = _error_summary(html)
    assert "We could not find Springfeldxx, IL" in summary
    assert 'href="#id_location"' in summary
    suggestion = re.search(r'href="([^"]*location=Springfield[^"]*)"', summary)
    assert suggestion, summary
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="location"[^>]*>', html)[0]
    assert "provider-hit" not in html
    followed = _html(patient.get(unescape(suggestion[1])))
    assert "within 25 miles of Springfield, IL" in followed
    assert _selected(followed, "specialty") == ["osteopathic-medicine"]


def test_a_city_without_its_state_is_the_biggest_with_the_others_offered(patient, town):
    html = _search(patient, "location=Portland")
    assert "within 25 miles of Portland, OR" in html
    assert re.search(r'href="[^"]*location=Portland%2C\+ME[^"]*">Portland, ME</a>', html)


def test_use_my_location_coordinates_become_the_nearest_zip_code(patient, town):
    html = _search(patient, "location=40.7506,-73.9972")
    zip_code = _data(html, "location")
    assert re.fullmatch(r"\d{5}", zip_code), zip_code
    assert parse_qs(_data(html, "query"))["location"] == [zip_code]  # no coordinates kept
    assert _listed(html, town) == NEARBY
    summary = _error_summary(_search(patient, "location=51.5072,-0.1276"))  # London
    assert "does not seem to be in the US" in summary


# Filters and sorts


@pytest.mark.parametrize(
    ("query", "expected", "shown"),
    [
        ("accepting=1", ["alvarez", "chen"], "Accepting new patients"),
        ("telehealth=1", ["alvarez", "brooks"], "Video or phone visits"),
        ("verified=1", ["alvarez", "chen"], "Verified provider"),
        ("board_certified=1", ["alvarez"], "Board certified"),
        ("insurance=empire-demo-ppo", ["alvarez", "chen"], None),
        ("insurance=harbor-demo-hmo", ["brooks"], None),
        ("language=zh", ["chen"], None),
        ("language=es", ["alvarez"], None),
        ("sex=male", ["dunn", "brooks"], None),
        ("sex=female", ["alvarez", "chen"], None),
        ("access=step_free", ["alvarez", "chen"], None),
        ("access=step_free&access=accessible_parking", ["chen"], None),
        ("specialty=chiropractic", ["brooks"], "Chiropractic"),
        ("procedure=chiropractic-manipulation", ["brooks"], "Chiropractic"),
        ("q=Chen", ["chen"], None),
    ],
)
def test_each_filter_narrows_the_list_and_shows_in_the_results(
    patient, town, query, expected, shown
):
    html = _search(patient, f"location=10001&{query}")
    assert _listed(html, town) == expected
    if shown:
        for persona in expected:
            assert shown in _text(_card(html, town, persona)), persona
    # The form shows what is applied, so the patient can see and undo it.
    key, _eq, value = query.partition("&")[0].partition("=")
    if key in ("accepting", "telehealth", "verified", "board_certified", "access"):
        assert value in _checked(html, key)
    elif key != "q":
        assert _selected(html, key) == [value]


def test_sorting_by_name_or_distance(patient, town):
    assert _listed(_search(patient, "location=10001&sort=distance"), town) == NEARBY
    by_name = _search(patient, "location=10001&sort=name")
    assert _listed(by_name, town) == ["alvarez", "brooks", "chen", "dunn"]
    assert _selected(by_name, "sort") == ["name"]
    # Without a place there is no distance: name order, and distance sort asks for a place.
    everyone = _search(patient, "specialty=osteopathic-medicine")
    assert _listed(everyone, town) == ["alvarez", "dunn", "evans", "farrow"]
    summary = _error_summary(_search(patient, "specialty=osteopathic-medicine&sort=distance"))
    assert "Enter a location above to sort by distance" in summary


def test_sorting_by_procedure_volume_is_offered(patient, town):
    html = _search(patient, f"location=10001&procedure={OMT}&sort=volume")
    assert _selected(html, "sort") == ["volume"]
    # No claims data is loaded yet: the page says so, and the nearest come first meanwhile.
    assert "Procedure volumes are not available yet." in html
    assert _listed(html, town) == ["alvarez", "dunn"]


# Results


def test_each_result_links_to_the_profile_with_a_next_step(patient, town):
    html = _search(patient, "location=10001")
    alvarez = _card(html, town, "alvarez")
    profile = town.alvarez.get_absolute_url()
    assert f'<a href="{profile}">Ana Alvarez, DO</a>' in alvarez
    # Nobody has claimed the practice, so nobody would read a request: the profile comes next
    # (tests/test_finder_cards.py has who gets the request button).
    assert f'href="{profile}">View profile' in alvarez
    assert "/consultations/" not in alvarez
    assert "Osteopathic Medicine" in alvarez
    assert "1 Chelsea Way, New York, NY 10001" in _text(alvarez)
    brooks = _card(html, town, "brooks")
    assert f'href="{town.brooks.get_absolute_url()}">View profile' in brooks
    assert "Not accepting new patients" in _text(brooks)
    assert _html(patient.get(profile))


def test_demo_providers_are_labelled_as_demo_data(patient, town):
    html = _search(patient, "location=10001")
    assert "Demo data" in _card(html, town, "dunn")
    assert "Demo data" not in _card(html, town, "alvarez")


def test_results_carry_map_points_but_the_map_stays_hidden_without_javascript(patient, town):
    html = _search(patient, "location=10001")
    points = json.loads(re.search(r'id="provider-map-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert [p["text"] for p in points] == ["1", "2", "3", "4"]
    assert points[0]["lat"] == pytest.approx(40.7506) and "Ana Alvarez" in points[0]["label"]
    assert re.search(r'<div class="provider-map"[^>]* hidden>', html)
    assert 'role="region" aria-label="Map of the providers on this page"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html


@override_settings(MAP_TILE_URL="")
def test_without_a_tile_server_there_is_no_map_and_the_list_still_works(patient, town):
    html = _search(patient, "location=10001")
    assert "provider-map" not in html and "leaflet" not in html
    assert _listed(html, town) == NEARBY


# Shareable URLs, pages and the live fragment


def test_a_shared_url_reproduces_the_search(patient, town):
    messy = "q=&location=+10001+&radius=10&telehealth=on&access=step_free&sort=&page=1"
    html = _search(patient, messy)
    canonical = _data(html, "query")
    assert canonical == "location=10001&radius=10&telehealth=1&access=step_free"
    again = _search(patient, canonical)
    assert _listed(again, town) == _listed(html, town) == ["alvarez"]
    assert _selected(again, "radius") == ["10"]
    assert _checked(again, "telehealth") == ["1"] and _checked(again, "access") == ["step_free"]
    fragment = _search(patient, canonical + "&partial=1")
    assert fragment.startswith('<div id="provider-results"') and "<html" not in fragment
    assert _listed(fragment, town) == ["alvarez"]


def test_choosing_any_specialty_next_to_a_procedure_survives_sharing(patient, town):
    html = _search(patient, f"procedure={OMT}&specialty=")
    assert _selected(html, "specialty") == [""]
    assert _data(html, "query") == f"procedure={OMT}&specialty="


@pytest.fixture
def crowded_chelsea(town):
    """55 more osteopaths in Chelsea, so the results run to several pages."""
    for n in range(55):
        role = RoleFactory(
            practitioner__first_name="Pat",
            practitioner__last_name=f"Osteo{n:02d}",
            location__latitude=40.7506 + n / 10000,
        )
        add_specialty_code(role, OSTEOPATHIC)
    rebuild_provider_index()
    return town


def test_page_size_is_capped_and_pages_are_linked(patient, crowded_chelsea):
    html = _search(patient, "specialty=osteopathic-medicine&location=10001&page_size=500")
    assert len(_cards(html)) == MAX_PAGE_SIZE
    assert "57 providers within 25 miles" in html  # 55 + Alvarez + Dunn
    assert _data(html, "query").endswith(f"page_size={MAX_PAGE_SIZE}")
    pager = re.search(r'<nav class="pagination".*?</nav>', html, re.S)[0]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in pager
    assert 'rel="next"' in pager and 'rel="prev"' not in pager


def test_later_pages_continue_the_numbering(patient, crowded_chelsea):
    html = _search(patient, "specialty=osteopathic-medicine&location=10001&page=3")
    assert len(_cards(html)) == 17  # 57 results, 20 a page
    assert '<ol class="provider-hits" start="41">' in html
    assert '<span class="hit-number">41<' in html
    pager = re.search(r'<nav class="pagination".*?</nav>', html, re.S)[0]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3</a>' in pager
    assert 'rel="prev"' in pager and 'rel="next"' not in pager
    past = _search(patient, "specialty=osteopathic-medicine&location=10001&page=9")
    assert "There is no page 9" in past and "page=3" in past


# Mistakes and empty pages


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("location=10001&radius=7", "radius", "Choose 5, 10, 25, 50 or 100 miles."),
        ("location=10001&sort=best", "sort", "Choose one of the listed orders."),
        ("location=10001&insurance=no-such-plan", "insurance", "Choose one of the options"),
        ("location=10001&language=xx", "language", "Choose one of the options"),
        ("location=10001&sex=robot", "sex", "Choose one of the options"),
        ("location=10001&procedure=no-such-thing", "procedure", "Choose one of the options"),
        ("location=10001&access=teleporter", "access", "Choose features from the list."),
        ("location=10001&q=" + "x" * 201, "q", "Use at most 200 characters."),
        ("location=100", "location", "A ZIP code has 5 digits"),
        ("location=10001&page=abc", "page", "The page number must be a whole number"),
        ("location=10001&page=0", "page", "The page number must be 1 or more."),
        ("location=10001&page_size=-5", "page_size", "Results per page must be 1 or more."),
    ],
)
def test_bad_values_are_explained_on_the_page(patient, town, query, field, message):
    response = patient.get(f"{FIND}?{query}")
    html = _html(response)
    summary = _error_summary(html)
    assert message in unescape(summary)
    assert "provider-hit" not in html
    assert "<title>Error:" in html
    if field in ("page", "page_size"):  # not form fields a patient sees: a way out instead
        assert "Show the first page of this search instead" in summary
    else:
        target = "id_access_0" if field == "access" else f"id_{field}"
        assert f'href="#{target}"' in summary


def test_an_empty_result_suggests_a_wider_radius(patient, town):
    html = _search(patient, "location=19103&radius=50&specialty=physical-therapy")
    assert "No providers within 50 miles of 19103 (Philadelphia, PA)" in html
    wider = re.search(r'<a href="([^"]+)">Search within 100 miles instead</a>', html)
    assert wider, html
    assert _listed(_html(patient.get(unescape(wider[1]))), town) == ["chen"]


def test_an_empty_result_suggests_a_related_specialty_and_removing_filters(patient, town):
    query = "location=10001&procedure=chiropractic-manipulation&sex=female"
    html = _search(patient, query)
    assert "No providers within 25 miles" in html
    related = re.search(r'<a href="([^"]+)">Osteopathic Medicine</a>', html)
    assert related, html
    assert _listed(_html(patient.get(unescape(related[1]))), town) == ["alvarez"]
    clear = re.search(r'<a href="([^"]+)">Remove the filters', html)
    assert _listed(_html(patient.get(unescape(clear[1]))), town) == ["brooks"]


def test_the_bare_page_invites_a_search_and_is_cacheable(patient, town):
    response = patient.get(FIND)
    html = _html(response)
    assert "Start your search" in html and "provider-hit" not in html
    assert "public" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' not in html
    assert '<meta name="robots" content="noindex">' in _search(patient, "location=10001")
