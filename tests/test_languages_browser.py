"""A Spanish reader's browser: every page type under /es/ axe-clean and marked Spanish, the
header's switch on a phone and a desktop, and the offer to switch, dismissed without JS."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client, override_settings
from playwright.sync_api import Browser, Page, expect

from careatlas.consultations.models import ConsultationRequest
from careatlas.procedures.models import Guide
from tests.browser import AXE, assert_clean, live_site, local_tab, running_chromium
from tests.conftest import require
from tests.consultation_personas import Office, send
from tests.practice_personas import make_clinic, own, person
from tests.provider_factories import offer
from tests.review_personas import link_in_mail, move_to
from tests.test_languages import CONTENT_PAGES, OMT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
GUIDE = f"/procedures/{OMT}/"


def _flows() -> dict[str, str]:
    """Dr Dana Reyes takes consultation requests; Pat sent one, had a visit, got a review link.

    Not the request's status page: it writes on every view, which a test transaction on
    the shared in-memory SQLite database would lock (test_languages.py reads it in Spanish).
    """
    with override_settings(CONSULTATION_MIN_FILL_SECONDS=0):
        clinic = make_clinic()
        practice = own(person("dana"), clinic.practitioner)
        guide = Guide.objects.published().get(procedure__slug=OMT, language="en")
        offer(clinic.practitioner.roles.get(location=clinic.uptown), guide.procedure, 120, 180)
        office = Office(clinic, practice, guide)
        send(Client(), office, email="pat@example.net")
        move_to(ConsultationRequest.objects.order_by("-pk").first(), "scheduled")
    npi = clinic.practitioner.npi
    return {
        "profile": clinic.practitioner.get_absolute_url(),
        "report a wrong fact": f"/providers/{npi}/report/",
        "consultation form": office.form_url + f"?procedure={OMT}",
        "review form": link_in_mail("pat@example.net"),
    }


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with django_db_blocker.unblock(), live_site() as server:
        mail.outbox = []
        yield {"url": server.url, "flows": _flows()}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _tab(browser: Browser, viewport: dict, **options) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    yield from local_tab(browser, viewport, bypass_csp=True, **options)


@pytest.fixture
def desktop(browser) -> Iterator[Page]:
    yield from _tab(browser, DESKTOP)


def test_every_page_type_in_spanish_is_clean_and_says_so(site, desktop):
    pages = {path: path for path in CONTENT_PAGES} | site["flows"]
    for name, path in pages.items():
        response = desktop.goto(site["url"] + "/es" + path)
        assert response.status == 200, name
        assert desktop.locator("html").get_attribute("lang") == "es", name
        assert_clean(desktop, f"{name} in Spanish")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_switch_is_a_visible_link_to_the_same_page(site, browser, viewport):
    for page in _tab(browser, viewport):
        page.goto(site["url"] + "/es" + GUIDE + "#faq")
        english = page.get_by_role("link", name="English", exact=True)
        expect(english).to_be_visible()
        assert english.get_attribute("hreflang") == "en"
        assert english.get_attribute("lang") == "en"
        english.click()
        expect(page).to_have_url(site["url"] + GUIDE)
        assert page.locator("html").get_attribute("lang") == "en"
        spanish = page.get_by_role("link", name="Español", exact=True)
        expect(spanish).to_be_visible()
        assert spanish.get_attribute("href") == "/es" + GUIDE


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_spanish_browser_is_offered_spanish_and_can_say_no_without_javascript(
    site, browser, viewport
):
    for page in _tab(browser, viewport, locale="es-US"):
        page.goto(site["url"] + GUIDE)
        expect(page.locator(".language-offer")).to_be_visible()
        assert page.locator("html").get_attribute("lang") == "en"  # no silent switch
        assert_clean(page, "guide with the language offer")
    for page in _tab(browser, viewport, locale="es-US", java_script_enabled=False):
        page.goto(site["url"] + GUIDE)
        page.locator(".language-offer").get_by_role("button").click()
        expect(page).to_have_url(site["url"] + GUIDE)
        expect(page.locator(".language-offer")).to_have_count(0)
        page.reload()
        expect(page.locator(".language-offer")).to_have_count(0)


def test_the_offer_leads_to_the_same_page_in_spanish(site, browser):
    for page in _tab(browser, PHONE, locale="es-US"):
        page.goto(site["url"] + GUIDE)
        page.locator(".language-offer").get_by_role("link").click()
        expect(page).to_have_url(re.compile(re.escape(site["url"] + "/es" + GUIDE) + "$"))
        assert page.locator("html").get_attribute("lang") == "es"
        expect(page.locator(".language-offer")).to_have_count(0)
