"""The whole journey in a browser: from the OMT guide to a sent request, its status page and
email, then the office's inbox; every page axe-clean and with no request to another origin."""

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Browser, Page, Route, expect

from careatlas.consultations.models import ConsultationRequest
from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require
from tests.practice_personas import own, person, signed_in
from tests.provider_search_world import build_neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.both_databases, pytest.mark.django_db]
OMT_GUIDE = "/procedures/osteopathic-manual-treatment/"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Dr Ana Alvarez (OMT, accepting new patients) has claimed her practice."""
    with django_db_blocker.unblock(), live_site() as server:
        town = build_neighbourhood()
        ana = person("ana")
        practice = own(ana, town.alvarez)
        yield {"url": server.url, "ana": ana, "practice": practice}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _page(browser: Browser, offsite: list[str], cookie: str = "", url: str = "") -> Page:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    if cookie:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])

    def stop_offsite(route: Route) -> None:
        if urlsplit(route.request.url).hostname not in LOCAL_HOSTS:
            offsite.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", stop_offsite)
    return context.new_page()


def _assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"


@pytest.mark.django_db(transaction=True)
def test_a_patient_requests_omt_from_the_guide_and_the_office_answers(site, browser, settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 1
    mail.outbox.clear()
    offsite: list[str] = []
    page = _page(browser, offsite)
    page.goto(site["url"] + OMT_GUIDE)
    page.get_by_role("link", name="Find a doctor for this procedure").click()
    page.get_by_label("ZIP code, or city and state").fill("10001")
    page.locator("#provider-search").get_by_role("button", name="Search").click()
    card = page.locator(".provider-hit").filter(has_text="Ana Alvarez")  # updated in place
    card.get_by_role("link", name=re.compile("^Request a consultation")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Request a consultation with Ana Alvarez, DO"
    )
    assert "procedure=osteopathic-manual-treatment" in page.url
    page.wait_for_load_state("networkidle")
    offsite.clear()  # the search page's map asks the tile server; pages from here on must not
    _assert_accessible(page)
    page.get_by_role("button", name="Send request").click()  # empty: plain errors first
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _assert_accessible(page)

    page.locator("input[name=questions]").first.check()
    page.get_by_label("Self-pay (no insurance)").check()
    page.get_by_label("Monday").check()
    page.get_by_label("Your name").fill("Pat Morgan")
    page.get_by_label("Or your age range").select_option("40-64")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("pat@example.net")
    page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    found = ConsultationRequest.objects.get()
    expect(page.get_by_text(found.reference)).to_be_visible()
    expect(page.get_by_text("Good Faith Estimate")).to_be_visible()
    _assert_accessible(page)
    page.get_by_role("link", name="Your request’s status page").click()
    expect(page.get_by_role("heading", name="Status: New")).to_be_visible()
    _assert_accessible(page)
    [email] = [m for m in mail.outbox if m.to == ["pat@example.net"]]
    assert urlsplit(page.url).path in email.body and found.reference in email.body
    status_url = page.url

    client = signed_in(site["ana"])
    office = _page(
        browser, offsite, client.cookies[settings.SESSION_COOKIE_NAME].value, site["url"]
    )
    office.goto(f"{site['url']}/practice/{site['practice'].pk}/")
    office.get_by_role("link", name="Consultation requests from patients").click()
    _assert_accessible(office)
    office.get_by_role("link", name=found.reference).click()
    expect(office.get_by_text("Pat Morgan")).to_be_visible()
    _assert_accessible(office)
    office.get_by_label("Declined").check()
    office.get_by_label(re.compile("Reason for declining")).fill("Dr Alvarez sees adults only.")
    office.get_by_role("button", name="Save status").click()
    expect(office.get_by_text("Status saved.")).to_be_visible()
    _assert_accessible(office)
    # A declined request leaves the open list; the filters bring it back.
    office.goto(f"{site['url']}/practice/{site['practice'].pk}/requests/")
    expect(office.get_by_role("link", name=found.reference)).to_have_count(0)
    office.get_by_label("Status").select_option("all")
    with office.expect_navigation():
        office.get_by_role("button", name="Show requests").click()
    expect(office.get_by_role("link", name=found.reference)).to_be_visible()
    if os.environ.get("SCREENSHOTS"):
        office.screenshot(path=os.environ["SCREENSHOTS"] + "/inbox-390.png", full_page=True)
    _assert_accessible(office)

    page.goto(status_url)
    expect(page.get_by_role("heading", name="Status: Declined")).to_be_visible()
    expect(page.get_by_text("Dr Alvarez sees adults only.")).to_be_visible()
    assert offsite == []  # no page with patient details asked another origin for anything
