"""The provider finder on a phone (390x844) and a desktop (1280x800): results in the first
screen after a search, filters folded behind one "Filters (n)" button that apply on "Show n
results", one submit button, drop-downs that search only once a choice is made, one
announcement per new set of results, Leaflet loaded only once the map is near, and axe-core
clean at both sizes with and without JavaScript (SCREENSHOTS_DIR=... keeps pictures)."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import AXE, assert_clean, live_site, local_tab, running_chromium
from tests.conftest import require
from tests.provider_search_world import build_neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NEAR_CHELSEA = "/providers/?location=10001"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), live_site() as server:
        build_neighbourhood()
        # The first search loads the ZIP gazetteer; do it before any test is timed.
        urlopen(server.url + NEAR_CHELSEA, timeout=60).read()  # noqa: S310 - our own server
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    yield from local_tab(browser, PHONE)


@pytest.fixture
def desktop(browser) -> Iterator[Page]:
    yield from local_tab(browser, DESKTOP)


def _fragments(page: Page) -> list[str]:
    return [url for url in page.context.requested if "partial=1" in url]


def _query(page: Page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def test_on_a_phone_the_results_start_in_the_first_screen_after_a_search(site, phone):
    phone.goto(site + "/providers/")
    phone.get_by_label("ZIP code, or city and state").fill("10001")
    phone.locator("#provider-search").get_by_role("button", name="Search").click()
    expect(phone.locator("#results-h")).to_have_text(
        "4 providers within 25 miles of 10001 (New York, NY)"
    )
    phone.evaluate("window.scrollTo(0, 0)")
    first = phone.locator(".provider-hit").first.bounding_box()
    name = phone.locator(".provider-hit h3").first.bounding_box()
    assert name["y"] + name["height"] <= PHONE["height"], f"first result's name at {name}"
    # Its name, specialty and badges at least: the card starts well above the fold.
    assert first["y"] <= PHONE["height"] - 150, f"first result starts at {first['y']}px"
    assert phone.locator("#finder-filters").evaluate("details => details.open") is False


def test_the_finder_has_exactly_one_submit_button(site, phone):
    phone.goto(site + NEAR_CHELSEA)
    assert (
        phone.locator("#provider-search [type=submit], #provider-search button:not([type])").count()
        == 1
    )


def test_on_a_phone_filters_preview_their_count_and_apply_on_show_results(site, phone):
    phone.goto(site + NEAR_CHELSEA + "&accepting=1")
    summary = phone.locator("#finder-filters > summary")
    expect(summary).to_have_text("Filters (1)")
    summary.click()
    phone.get_by_label("Offers video or phone visits").check()
    apply = phone.locator(".filters-apply")
    expect(apply).to_have_text("Show 1 result")
    # Nothing under the panel changed yet: the list is out of sight while it is open.
    assert "telehealth" not in _query(phone)
    expect(phone.locator("#results-h")).to_contain_text("2 providers")
    apply.click()
    expect(phone.locator("#results-h")).to_have_text(
        "1 provider within 25 miles of 10001 (New York, NY)"
    )
    expect(phone.locator("#results-h")).to_be_focused()
    assert _query(phone)["telehealth"] == ["1"]
    assert phone.locator("#finder-filters").evaluate("details => details.open") is False
    expect(summary).to_have_text("Filters (2)")


def test_arrow_keys_in_a_drop_down_search_only_once_the_choice_is_made(site, desktop):
    desktop.goto(site + NEAR_CHELSEA)
    expect(desktop.locator("#finder-filters")).to_have_attribute("open", "")  # room beside
    expect(desktop.locator(".filters-apply")).to_be_hidden()  # filters apply at once here
    sex = desktop.get_by_label("Provider's sex")
    sex.focus()
    desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("ArrowDown")
    desktop.wait_for_timeout(400)
    assert _fragments(desktop) == [], "an arrow key ran a search"
    assert "sex" not in _query(desktop)
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(re.compile(r"sex=male"))
    assert len(_fragments(desktop)) == 1
    desktop.keyboard.press("Tab")  # leaving the list adds nothing: the choice was made
    desktop.wait_for_timeout(300)
    assert len(_fragments(desktop)) == 1


def test_leaving_a_drop_down_after_the_arrow_keys_applies_the_choice(site, desktop):
    desktop.goto(site + NEAR_CHELSEA)
    desktop.get_by_label("Provider's sex").focus()
    desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("Tab")
    expect(desktop).to_have_url(re.compile(r"sex=female"))
    assert len(_fragments(desktop)) == 1


def test_the_live_region_speaks_once_per_new_set_of_results(site, desktop):
    desktop.goto(site + NEAR_CHELSEA)
    desktop.evaluate(
        """() => {
          window.heard = [];
          const status = document.getElementById("provider-search-status");
          const hear = () => { if (status.textContent) window.heard.push(status.textContent); };
          new MutationObserver(hear)
            .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    desktop.get_by_label("Accepting new patients").check()
    expect(desktop.locator("#results-h")).to_contain_text("2 providers")
    # Search again with nothing changed: no new results, so nothing more is said.
    desktop.locator("#provider-search").get_by_role("button", name="Search").click()
    desktop.wait_for_timeout(400)
    assert desktop.evaluate("window.heard") == [
        "2 providers within 25 miles of 10001 (New York, NY)"
    ]


def test_on_a_phone_leaflet_loads_only_when_the_map_comes_near(site, phone):
    phone.goto(site + NEAR_CHELSEA, wait_until="networkidle")
    assert not [u for u in phone.context.requested if "leaflet" in u]
    phone.locator(".provider-map").scroll_into_view_if_needed()
    expect(phone.locator(".leaflet-marker-icon")).to_have_count(4)
    assert [u for u in phone.context.requested if u.endswith("leaflet.js")]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_finder_is_axe_clean_at_both_sizes(site, browser, size, javascript):
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for page in local_tab(browser, size, bypass_csp=True, java_script_enabled=True):
        if not javascript:  # our scripts never load; axe (injected inline) is the only one
            page.context.route("**/static/**/*.js", lambda route: route.abort())
        page.goto(site + NEAR_CHELSEA + "&accepting=1")
        if javascript and size is PHONE:
            page.locator("#finder-filters > summary").click()
        label = f"finder {'with' if javascript else 'without'} JavaScript"
        assert_clean(page, label)
