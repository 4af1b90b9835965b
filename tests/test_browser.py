"""A patient's browser: every public page passes axe-core, works by keyboard, without JavaScript,
on paper, and talks to nobody but us."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require

# `django_db` so the test database exists; the content itself is loaded once, by `site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE = "/procedures/osteopathic-manual-treatment/"
PAGES = {
    "home": "/",
    "guide list": "/procedures/",
    "guide": GUIDE,
    "specialty list": "/specialties/",
    "specialty": "/specialties/osteopathic-medicine/",
    "condition list": "/conditions/",
    "condition": "/conditions/low-back-pain/",
    "compare": "/compare/?p=osteopathic-manual-treatment&p=chiropractic-manipulation"
    "&p=physical-therapy",
    "compare, nothing chosen": "/compare/",
    "search results": "/search/?q=back+pain",
    "search, no results": "/search/?q=xylophone+quasar",
    "find a doctor": "/providers/?procedure=osteopathic-manual-treatment",
    "not found": "/procedures/no-such-procedure/",
    "refused address": "/search/?q=" + "a" * 1001,
}
ERROR_STATUS = {PAGES["not found"]: 404, PAGES["refused address"]: 400}
PAGE_WEIGHT_LIMIT = 60 * 1024
GUIDE_SECTIONS = [
    "Who it helps",
    "What to expect",
    "Recovery",
    "Cost range",
    "Questions to ask your doctor",
    "Frequently asked",
    "Sources",
    "Ready to talk to a specialist?",
]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A live server over the real content pack, loaded once for the whole module.

    The module's `django_db` mark is what makes pytest-django create the test database.
    """
    with django_db_blocker.unblock(), live_site() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    """Chromium for the module, closed before `site` stops the server and flushes."""
    yield from running_chromium()


def _context(browser: Browser, **options) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    yield context
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A patient's tab: JavaScript on, the site's CSP enforced."""
    for context in _context(browser):
        yield context.new_page()


@pytest.fixture
def audit_page(browser: Browser) -> Iterator[Page]:
    """A tab for axe: CSP bypassed so axe-core can be injected as an inline script."""
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for context in _context(browser, bypass_csp=True):
        yield context.new_page()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    for context in _context(browser, java_script_enabled=False):
        yield context.new_page()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_violations(site, audit_page, path):
    response = audit_page.goto(site + path)
    assert response.status == ERROR_STATUS.get(path, 200)
    violations = axe_violations(audit_page)
    assert not violations, f"axe-core on {path}:\n{describe(violations)}"


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(site, page):
    page.goto(site + GUIDE)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_suggestions_can_be_chosen_by_keyboard(site, page):
    page.goto(site + GUIDE)
    box = page.get_by_role("combobox", name="Search doctors, conditions, procedures and places")
    box.press_sequentially("knee", delay=30)
    # Each letter may fetch a list; choose from the last one, not one about to be replaced.
    page.wait_for_load_state("networkidle")
    options = page.get_by_role("option")
    options.first.wait_for()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    first = options.first
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    chosen = first.locator(".autocomplete-label").inner_text()
    with page.expect_navigation():
        box.press("Enter")
    # A topic opens the finder on it (a condition as the search words).
    assert urlsplit(page.url).path == "/providers/"
    assert page.locator("#id_q").input_value() == chosen


def test_guide_page_requests_nothing_from_third_parties(site, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + GUIDE, wait_until="networkidle")
    origin = urlsplit(site)
    elsewhere = [url for url in requested if urlsplit(url)[:2] != origin[:2]]
    assert requested and not elsewhere, f"third-party requests: {elsewhere}"


def test_guide_page_html_css_and_js_weigh_at_most_60_kb(site, page):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(site + GUIDE, wait_until="networkidle")
    kinds = {"document", "stylesheet", "script"}
    counted = [r for r in responses if r.request.resource_type in kinds]
    sizes = {r.url.removeprefix(site): len(r.body()) for r in counted}
    total = sum(sizes.values())
    print(f"\nguide page weight: {total} bytes ({total / 1024:.1f} KB): {sizes}")
    assert kinds == {r.request.resource_type for r in counted}
    assert total <= PAGE_WEIGHT_LIMIT, f"guide page weighs {total} bytes: {sizes}"


def test_guide_reads_in_full_without_javascript(site, no_js_page):
    no_js_page.goto(site + GUIDE)
    main = no_js_page.locator("main")
    for heading in GUIDE_SECTIONS:
        expect(
            main.get_by_role("heading", level=2, name=heading, exact=True), heading
        ).to_be_visible()
    expect(main.locator(".stat-card").first).to_be_visible()


def test_search_form_submits_without_javascript(site, no_js_page):
    no_js_page.goto(site + "/")
    no_js_page.get_by_role("searchbox").fill("back pain")
    with no_js_page.expect_navigation():
        no_js_page.get_by_role("button", name="Search").click()
    url = urlsplit(no_js_page.url)
    assert url.path == "/search/"
    assert parse_qs(url.query)["q"] == ["back pain"]
    assert no_js_page.locator("main a[href^='/procedures/']").count() > 0, "no guides found"


def test_print_hides_navigation_and_calls_to_action(site, page):
    page.goto(site + GUIDE)
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    for cta in page.locator(".cta").all():
        expect(cta).to_be_hidden()
    expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible()
