"""A provider profile in a browser at 390x844 and 1280x800: axe-core clean with and without
JavaScript, badges under their facts on a phone and opened with one tap, and directions that
fetch nothing until followed (SCREENSHOTS_DIR=... keeps pictures)."""

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from careatlas.procedures.models import Procedure
from tests.browser import AXE, assert_clean, live_site, local_tab, running_chromium
from tests.conftest import require
from tests.provider_factories import (
    InsurancePlanFactory,
    LicenseFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with django_db_blocker.unblock(), live_site() as server:
        role = RoleFactory(
            practitioner__first_name="Dana",
            practitioner__last_name="Reyes",
            location__latitude=40.7484,
            location__longitude=-73.9967,
        )
        add_specialty_code(role, "204D00000X")
        omt = Procedure.objects.get(slug="osteopathic-manual-treatment")
        offered = offer(role, omt, Decimal(80), Decimal(120))
        verify(offered, "procedure_offered", method="claims_data")
        verify(offered, "self_pay_price", method="office_confirmation")
        role.insurance_plans.add(InsurancePlanFactory())
        verify(role.practitioner, "identity")
        verify(LicenseFactory(practitioner=role.practitioner), "license", days_ago=400)
        verify(role.location, "phone", disputed=True)
        yield {"url": server.url, "profile": role.practitioner.get_absolute_url()}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_profile_is_axe_clean_at_both_sizes(site, browser, size, javascript):
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for page in local_tab(browser, size, bypass_csp=True):
        if not javascript:
            page.context.route("**/static/**/*.js", lambda route: route.abort())
        page.goto(site["url"] + site["profile"])
        page.locator(".badge-box > summary").first.click()  # one explanation open, too
        assert_clean(page, f"profile {'with' if javascript else 'without'} JavaScript")


def test_on_a_phone_a_badge_sits_under_its_fact_and_opens_with_one_tap(site, browser):
    for page in local_tab(browser, PHONE):
        page.goto(site["url"] + site["profile"])
        price_cell = page.locator("table.procedures td").first
        badge = price_cell.locator(".badge-box > summary")
        expect(badge).to_have_text("Confirmed by the practice")
        # The price's own text (the cell's first text node), and the badge's top.
        price_bottom = price_cell.evaluate(
            """cell => { const range = document.createRange();
                range.selectNodeContents(cell.firstChild);
                return range.getBoundingClientRect().bottom; }"""
        )
        assert price_cell.evaluate("cell => cell.firstChild.textContent.trim()") == "$80–$120"
        badge_top = badge.evaluate("summary => summary.getBoundingClientRect().top")
        assert badge_top >= price_bottom - 1, "the badge is squeezed beside the price"
        explanation = price_cell.locator(".badge-detail")
        expect(explanation).to_be_hidden()
        badge.click()
        expect(explanation).to_be_visible()
        expect(explanation).to_contain_text("Confirmed by the practice on")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"page is {width}px wide"


def test_on_a_desktop_a_badge_sits_beside_its_fact(site, browser):
    for page in local_tab(browser, DESKTOP):
        page.goto(site["url"] + site["profile"])
        identity = page.locator(".profile-header .facts dd").first
        badge = identity.locator(".badge-box > summary")
        value_top = identity.bounding_box()["y"]
        assert badge.bounding_box()["y"] < value_top + 20


def test_directions_are_plain_links_that_fetch_nothing_until_followed(site, browser):
    for page in local_tab(browser, PHONE):
        page.goto(site["url"] + site["profile"], wait_until="networkidle")
        directions = page.get_by_role("link", name="Directions to")
        expect(directions).to_have_count(1)
        assert directions.get_attribute("href").startswith("https://www.google.com/maps/dir/")
        assert (
            page.get_by_role("link", name="Open in a map app")
            .get_attribute("href")
            .startswith("geo:40.74840,-73.99670")
        )
        # The map below the fold is not drawn yet: nothing but our own origin was asked.
        hosts = {urlsplit(url).hostname for url in page.context.requested}
        assert hosts == {"localhost"}, hosts
