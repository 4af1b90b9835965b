"""Guides, compare and condition pages in a phone and a desktop browser: axe-clean, no
sideways scrolling, meaning visible without hovering, and sources kept on paper."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GUIDE = "/procedures/osteopathic-manual-treatment/"
PAGES = {
    "guide": GUIDE,
    "guide with known-instead cards": "/procedures/epidural-steroid-injection/",
    "compare four": "/compare/?p=osteopathic-manual-treatment&p=chiropractic-manipulation"
    "&p=acupuncture&p=massage-therapy",
    "compare five": "/compare/?p=osteopathic-manual-treatment&p=chiropractic-manipulation"
    "&p=acupuncture&p=massage-therapy&p=physical-therapy",
    "condition list": "/conditions/",
    "condition with page": "/conditions/peptic-ulcer/",
    "condition red flags": "/conditions/shoulder-pain/",
    "condition without page": "/conditions/low-back-pain/",
    "spanish guide": "/es/procedures/osteopathic-manual-treatment/",
    "spanish guide, knee": "/es/procedures/total-knee-replacement/",
    "english guide under es": "/es/procedures/massage-therapy/",
    "spanish condition page": "/es/conditions/shoulder-pain/",
    "english condition page under es": "/es/conditions/peptic-ulcer/",
    "how we choose figures": "/about/figures/",
    "editorial policy": "/about/editorial-policy/",
}
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), live_site() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _page(browser: Browser, size: str, **options) -> Iterator[Page]:
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_is_axe_clean_and_never_scrolls_sideways(site, browser, path, size):
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for page in _page(browser, size, bypass_csp=True):
        assert page.goto(site + path).status == 200
        assert_clean(page, f"{path} at {size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_card_meaning_is_visible_without_hover_or_focus(site, browser, size):
    for page in _page(browser, size):
        page.goto(site + GUIDE)
        page.mouse.move(0, 0)
        assert page.get_by_text("Sham (pretend) OMT in the same trial: 35% and 46%").is_visible()
        expect(
            page.get_by_text("The office visit billed on the same day", exact=False)
        ).to_be_visible()
        links = page.get_by_role("link", name="How we choose figures")
        assert links.count() >= 4


def test_contents_list_is_sticky_beside_the_guide_on_a_wide_screen(site, browser):
    for page in _page(browser, "desktop"):
        page.goto(site + GUIDE)
        toc = page.locator("nav.toc")
        assert toc.evaluate("el => getComputedStyle(el).position") == "sticky"
        page.get_by_role("link", name="Sources", exact=True).first.click()
        assert toc.is_visible() and toc.bounding_box()["y"] >= 0


def test_contents_list_sits_above_the_guide_on_a_phone(site, browser):
    for page in _page(browser, "phone"):
        page.goto(site + GUIDE)
        toc = page.locator("nav.toc")
        assert toc.evaluate("el => getComputedStyle(el).position") == "static"
        body = page.locator(".guide-body").bounding_box()
        assert toc.bounding_box()["y"] < body["y"]


def test_print_keeps_sources_and_card_meaning_and_drops_the_contents_list(site, browser):
    for page in _page(browser, "desktop"):
        page.goto(site + GUIDE)
        page.emulate_media(media="print")
        expect(page.locator("nav.toc")).to_be_hidden()
        expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible()
        expect(page.locator("#source-1")).to_be_visible()
        expect(
            page.get_by_text("Sham (pretend) OMT in the same trial", exact=False)
        ).to_be_visible()


def test_compare_reads_at_390_with_one_card_per_procedure_per_row(site, browser):
    for page in _page(browser, "phone"):
        page.goto(site + PAGES["compare four"])
        row = page.locator(".compare-measure").nth(1).locator(".compare-row > li")
        assert row.count() == 4
        first, second = row.nth(0).bounding_box(), row.nth(1).bounding_box()
        assert second["y"] > first["y"] + first["height"] - 1  # stacked, not side by side


@pytest.mark.parametrize("size", VIEWPORTS)
def test_english_text_under_es_is_announced_and_read_as_english(site, browser, size):
    for page in _page(browser, size):
        page.goto(site + PAGES["english guide under es"])
        assert page.locator("html").get_attribute("lang") == "es"
        notice = page.locator(".notice-untranslated")
        expect(notice).to_be_visible()
        assert notice.evaluate("el => el.closest('[lang]').lang") == "es"
        heading = page.get_by_role("heading", level=1)
        assert heading.evaluate("el => el.closest('[lang]').lang") == "en"
        first_section = page.locator("#who-h + div")
        assert first_section.evaluate("el => el.closest('[lang]').lang") == "en"
