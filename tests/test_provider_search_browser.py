"""A patient's browser on the provider search page: axe-clean with and without JavaScript,
filters that update in place, a map reachable by keyboard, and no requests to anyone but us
and the map tile server (whose requests are stopped here, so nothing leaves the machine)."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require
from tests.provider_search_world import build_neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.both_databases, pytest.mark.django_db]

NEAR_CHELSEA = "/providers/?location=10001"
NOTHING_NEAR = "/providers/?location=19103&radius=50&specialty=physical-therapy"
MISSPELT_PLACE = "/providers/?location=Springfeldxx%2C+IL"
SPANISH_SPEAKERS_FIRST = "/es/providers/?location=10001&speakers_first=1"
TILE_HOST = urlsplit(settings.MAP_TILE_URL).hostname
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A live server over the content pack and the hand-made neighbourhood of providers."""
    with django_db_blocker.unblock(), live_site() as server:
        build_neighbourhood()
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


class Offsite:
    """Stops every request that would leave this machine and remembers where it was going."""

    def __init__(self, context: BrowserContext, block_scripts: bool = False):
        self.urls: list[str] = []
        self.block_scripts = block_scripts
        context.route("**/*", self.handle)

    def handle(self, route: Route) -> None:
        request = route.request
        if urlsplit(request.url).hostname not in LOCAL_HOSTS:
            self.urls.append(request.url)
            route.abort()
        elif self.block_scripts and request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    @property
    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.urls}


def _context(browser: Browser, block_scripts: bool = False, **options) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.offsite = Offsite(context, block_scripts)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    """A patient's tab: JavaScript on, the site's CSP enforced, tile requests stopped."""
    yield from _context(browser)


@pytest.fixture
def audit_page(browser) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    yield from _context(browser, bypass_csp=True)


@pytest.fixture
def audit_page_without_our_scripts(browser) -> Iterator[Page]:
    """For axe on the page as it is without JavaScript: our scripts are never loaded, and axe
    (injected inline) is the only script that runs."""
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    yield from _context(browser, block_scripts=True, bypass_csp=True)


@pytest.fixture
def no_js_page(browser) -> Iterator[Page]:
    yield from _context(browser, java_script_enabled=False)


def _listed(page: Page) -> list[str]:
    return [name.strip() for name in page.locator(".provider-hit h3 a").all_inner_texts()]


def _wait_for_markers(page: Page, count: int) -> None:
    expect(page.locator(".leaflet-marker-icon")).to_have_count(count)


@pytest.mark.parametrize(
    "path",
    [NEAR_CHELSEA, NOTHING_NEAR, MISSPELT_PLACE, SPANISH_SPEAKERS_FIRST],
    ids=["results with map", "no results", "unresolvable place", "spanish, speakers first"],
)
def test_search_page_has_no_wcag_violations(site, audit_page, path):
    audit_page.goto(site + path)
    if path in (NEAR_CHELSEA, SPANISH_SPEAKERS_FIRST):
        _wait_for_markers(audit_page, 4)  # audit the drawn map, not the hidden placeholder
    violations = axe_violations(audit_page)
    assert not violations, f"axe-core on {path}:\n{describe(violations)}"


def test_search_page_without_javascript_has_no_wcag_violations(
    site, audit_page_without_our_scripts
):
    page = audit_page_without_our_scripts
    page.goto(site + NEAR_CHELSEA)
    expect(page.locator(".provider-map")).to_be_hidden()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_filter_updates_the_results_without_a_reload(site, page):
    page.goto(site + NEAR_CHELSEA)
    _wait_for_markers(page, 4)
    page.evaluate("window.sameDocument = true")
    telehealth = page.get_by_label("Offers video or phone visits")
    telehealth.check()
    expect(page).to_have_url(re.compile(r"telehealth=1"))
    expect(page.locator("#provider-search-status")).to_have_text(
        "2 providers within 25 miles of 10001 (New York, NY)"
    )
    assert _listed(page) == ["Ana Alvarez, DO", "Ben Brooks, DC"]
    assert page.evaluate("window.sameDocument") is True, "the page reloaded"
    assert page.evaluate("document.activeElement.id") == "id_telehealth"
    _wait_for_markers(page, 2)
    assert parse_qs(urlsplit(page.url).query) == {
        "location": ["10001"],
        "radius": ["25"],
        "telehealth": ["1"],
    }


def test_a_new_place_moves_focus_to_the_new_results(site, page):
    page.goto(site + NEAR_CHELSEA)
    page.evaluate("window.sameDocument = true")
    page.get_by_label("ZIP code, or city and state").fill("19103")
    page.get_by_label("ZIP code, or city and state").press("Enter")
    heading = page.locator("#results-h")
    expect(heading).to_have_text("1 provider within 25 miles of 19103 (Philadelphia, PA)")
    expect(heading).to_be_focused()
    assert _listed(page) == ["Eva Evans, DO"]
    assert page.evaluate("window.sameDocument") is True


def test_an_unknown_place_is_marked_on_the_field_after_a_live_update(site, page):
    page.goto(site + NEAR_CHELSEA)
    box = page.get_by_label("ZIP code, or city and state")
    box.fill("Qzxwv Town, IL")
    box.press("Enter")
    error = page.locator("#id_location_error")
    expect(error).to_contain_text("We could not find Qzxwv Town, IL")
    assert box.get_attribute("aria-invalid") == "true"
    assert "id_location_error" in box.get_attribute("aria-describedby")
    # A letter out is read as the place it nearly spells, and the page says so.
    box.fill("Springfeld, IL")
    box.press("Enter")
    page.wait_for_url(re.compile(r"location=Springfeld"))
    expect(page.locator("#id_location_error")).to_have_count(0)
    expect(page.get_by_text("Showing results near Springfield, IL")).to_be_visible()


def test_keyboard_reaches_the_map_markers_and_opens_them(site, page):
    page.goto(site + NEAR_CHELSEA)
    _wait_for_markers(page, 4)
    page.locator(".provider-hit .hit-action a").last.focus()  # the map follows the list
    for _press in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')"):
            break
    marker = page.locator(".leaflet-marker-icon:focus")
    expect(marker).to_have_count(1)
    assert marker.get_attribute("aria-label").startswith("1. Ana Alvarez, DO")
    assert marker.get_attribute("role") == "button"
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a", has_text="Ana Alvarez, DO")
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("2. Dara Dunn, DO")


def test_only_the_tile_server_is_asked_for_anything(site, page):
    page.goto(site + NEAR_CHELSEA, wait_until="networkidle")
    _wait_for_markers(page, 4)
    offsite = page.context.offsite
    assert offsite.urls, "the map asked for no tiles"
    assert offsite.hosts == {TILE_HOST}, offsite.urls


def test_the_guide_prefill_and_the_list_work_without_javascript(site, no_js_page):
    page = no_js_page
    page.goto(site + "/providers/?procedure=osteopathic-manual-treatment")
    expect(page.locator("h1")).to_have_text("Find a doctor for Osteopathic Manual Treatment")
    assert page.locator(".provider-map").count() == 1 and page.locator(".provider-map").is_hidden()
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("ZIP code, or city and state").fill("10001")
    page.locator("#finder-filters > summary").click()  # folded until opened
    page.get_by_label("Accepting new patients").check()
    with page.expect_navigation():
        page.locator("#provider-search").get_by_role("button", name="Search").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["location"] == ["10001"] and query["accepting"] == ["1"]
    assert _listed(page) == ["Ana Alvarez, DO"]
    assert page.context.offsite.urls == []


def test_use_my_location_fills_in_the_nearest_zip_code(site, browser):
    for page in _context(
        browser,
        geolocation={"latitude": 40.7506, "longitude": -73.9972},
        permissions=["geolocation"],
    ):
        page.goto(site + "/providers/?specialty=osteopathic-medicine")
        page.get_by_role("button", name="Use my location").click()
        expect(page).to_have_url(re.compile(r"location=\d{5}"))
        zip_code = parse_qs(urlsplit(page.url).query)["location"][0]
        assert re.fullmatch(r"\d{5}", zip_code)
        expect(page.get_by_label("ZIP code, or city and state")).to_have_value(zip_code)
        assert _listed(page) == ["Ana Alvarez, DO", "Dara Dunn, DO"]


def test_a_phone_sized_screen_does_not_scroll_sideways(site, browser):
    for page in _context(browser):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(site + NEAR_CHELSEA)
        page.locator(".provider-map").scroll_into_view_if_needed()  # drawn when near the screen
        _wait_for_markers(page, 4)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"page is {width}px wide"
