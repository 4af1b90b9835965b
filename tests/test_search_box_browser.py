"""The one search box in a browser: grouped suggestions, keyboard, axe, phone and desktop.

A patient types a doctor's name, a topic with a place, or a place into the header box, moves
through the grouped suggestions with the arrow keys and opens one with Enter: a doctor opens
the profile, a place or a topic the finder with both filled in (issue 15).
"""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require
from tests.provider_search_world import build_neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
BOX = "Search doctors, conditions, procedures and places"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[tuple[str, dict]]:
    with django_db_blocker.unblock(), live_site() as server:
        town = build_neighbourhood()
        yield server.url, {"brooks": town.brooks.get_absolute_url()}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.fixture(params=list(SIZES))
def page(request, browser) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    context = browser.new_context(viewport=SIZES[request.param], bypass_csp=True)  # axe only
    yield context.new_page()
    context.close()


def _box(page: Page, site_url: str):
    page.goto(site_url + "/conditions/")
    return page.get_by_role("combobox", name=BOX)


def test_a_doctors_name_opens_the_profile(site, page):
    url, people = site
    box = _box(page, url)
    box.press_sequentially("Dr Brooks")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    doctors = page.get_by_role("group", name="Doctors")
    expect(doctors.get_by_role("option").first).to_contain_text("Ben Brooks")
    box.press("ArrowDown")
    first = page.get_by_role("option").first
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    assert_clean(page, "search box doctor suggestions")
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == people["brooks"]


def test_a_topic_near_a_place_opens_the_finder_with_both(site, page):
    url, _people = site
    box = _box(page, url)
    box.press_sequentially("back pain near Chicago")
    places = page.get_by_role("group", name="Places")
    expect(places.get_by_role("option").first).to_contain_text("Chicago, IL")
    assert_clean(page, "search box topic and place suggestions")
    # Arrow down to the place: a key press moves the highlight and opens nothing.
    options = page.get_by_role("option")
    target = places.get_by_role("option").first.get_attribute("id")
    for _ in range(options.count()):
        box.press("ArrowDown")
        if box.get_attribute("aria-activedescendant") == target:
            break
    assert urlsplit(page.url).path == "/conditions/"
    with page.expect_navigation():
        box.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/providers/"
    assert query == {"q": ["back pain"], "location": ["Chicago"]}
    expect(page.locator("#id_q")).to_have_value("back pain")
    expect(page.locator("#id_location")).to_have_value("Chicago")
    expect(page.locator(".result-count")).to_contain_text("Chicago, IL")


def test_submitting_a_mixed_query_without_choosing_reads_it(site, page):
    url, _people = site
    box = _box(page, url)
    box.fill("omt in queens ny")
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")  # close the suggestions; Enter now submits the form
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_text("Showing results for “omt” near Queens, NY.")).to_be_visible()
    expect(page.get_by_role("link", name="Search for “omt in queens ny” as typed")).to_be_visible()
    assert_clean(page, "finder reading a mixed query")
