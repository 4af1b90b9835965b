"""A patient's browser on the accuracy page and on profiles with practice badges: axe-clean."""

import datetime
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from careatlas.providers import confirmation
from careatlas.providers.claiming import mark_claimed
from careatlas.providers.photos import resize_photo
from careatlas.search.interface import rebuild_provider_index
from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require
from tests.provider_factories import RoleFactory, verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (90, 120, 160)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """A claimed, confirmed practice with a photo, and one whose confirmation lapsed."""
    with django_db_blocker.unblock(), live_site() as server:
        today = timezone.localdate()
        user = User.objects.create_user("olu-browser", "olu@riverside.example", "x")
        role = RoleFactory(
            practitioner__first_name="Nadia",
            practitioner__last_name="Osei",
            practitioner__bio="Family doctor for 12 years.",
            location__organization__name="Riverside Family Practice",
            location__staff_languages=["es", "zh"],
            location__video_visits=True,
            location__phone_visits=False,
        )
        practitioner = role.practitioner
        verify(practitioner, "identity")
        verify(role.location, "phone", days_ago=400)
        mark_claimed(practitioner, today - datetime.timedelta(days=30))
        confirmation.confirm_all(practitioner, user)
        confirmation.set_photo(practitioner, resize_photo(_photo()), by_user=user)
        lapsed = RoleFactory(practitioner__first_name="Lee", practitioner__last_name="Park")
        mark_claimed(lapsed.practitioner, today - datetime.timedelta(days=150))
        rebuild_provider_index()
        yield {
            "url": server.url,
            "accuracy": "/about/accuracy/",
            "profile": practitioner.get_absolute_url(),
            "lapsed": lapsed.practitioner.get_absolute_url(),
            "search": "/providers/?location=10001&accepting=1",
        }


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _audit_page(browser: Browser, size: tuple[int, int]) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("which", ["accuracy", "profile", "lapsed", "search"])
def test_pages_with_practice_facts_have_no_wcag_violations(site, browser, which, viewport):
    for page in _audit_page(browser, VIEWPORTS[viewport]):
        page.goto(site["url"] + site[which])
        if which == "profile":
            # One short badge; the day is one tap away.
            badge = page.locator(".badge-practice").first
            assert badge.inner_text().startswith("Confirmed by the practice")
            badge.click()
            expect(page.get_by_text("Confirmed by the practice on").first).to_be_visible()
            expect(page.get_by_role("img", name="Photo of Nadia Osei")).to_be_visible()
            expect(page.get_by_role("link", name="How we measure accuracy")).to_be_visible()
        if which == "lapsed":
            expect(page.get_by_text("Not confirmed by the practice since")).to_be_visible()
        if which == "search":
            expect(page.get_by_text("Confirmed by the practice on").first).to_be_visible()
        violations = axe_violations(page)
        assert not violations, f"axe-core on {site[which]} ({viewport}):\n{describe(violations)}"


def test_the_accuracy_link_leads_to_the_method(site, browser):
    for page in _audit_page(browser, VIEWPORTS["phone"]):
        page.goto(site["url"] + site["profile"])
        page.get_by_role("link", name="How we measure accuracy").click()
        expect(page.get_by_role("heading", name="Directory accuracy", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="How these figures are computed")).to_be_visible()
