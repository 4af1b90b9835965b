"""A patient's browser on provider pages: axe-core clean, usable without JavaScript, local only."""

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from careatlas.procedures.models import Procedure
from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require
from tests.provider_factories import (
    InsurancePlanFactory,
    LicenseFactory,
    LocationFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """A live server with the content pack, one hand-made provider and a few demo ones."""
    with django_db_blocker.unblock(), live_site() as server:
        role = RoleFactory(practitioner__first_name="Dana", practitioner__last_name="Reyes")
        add_specialty_code(role, "204D00000X")
        omt = Procedure.objects.get(slug="osteopathic-manual-treatment")
        verify(offer(role, omt, Decimal(80), Decimal(120)), "procedure_offered")
        role.insurance_plans.add(InsurancePlanFactory())
        verify(role.practitioner, "identity")
        verify(LicenseFactory(practitioner=role.practitioner), "license", days_ago=300)
        verify(role.location, "phone", disputed=True)
        # Registry facts on the profile, and the hospital page they link to.
        hospital = LocationFactory(
            name="Naples Community Hospital",
            organization__kind="hospital",
            organization__ccn="100018",
            organization__name="Naples Community Hospital",
            organization__hospital_type="Acute Care Hospitals",
            organization__star_rating=3,
        ).organization
        role.practitioner.hospital_affiliations.add(hospital)
        role.practitioner.medical_school = "Example College of Osteopathic Medicine"
        role.practitioner.medicare_assignment = "Y"
        role.practitioner.save()
        call_command("seed_demo_providers", count=5, seed=2, verbosity=0)
        demo = role.practitioner.__class__.objects.demo().first()
        yield {
            "url": server.url,
            "profile": role.practitioner.get_absolute_url(),
            "demo": demo.get_absolute_url(),
            "report": f"/providers/{role.practitioner.npi}/report/",
            "hospital": "/providers/hospitals/100018/naples-community-hospital/",
        }


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _page(browser: Browser, **options) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    yield context.new_page()
    context.close()


@pytest.fixture
def audit_page(browser) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    yield from _page(browser, bypass_csp=True)


@pytest.fixture
def no_js_page(browser) -> Iterator[Page]:
    yield from _page(browser, java_script_enabled=False)


@pytest.mark.parametrize("which", ["profile", "demo", "report", "hospital"])
def test_provider_pages_have_no_wcag_violations(site, audit_page, which):
    audit_page.goto(site["url"] + site[which])
    violations = axe_violations(audit_page)
    assert not violations, f"axe-core on {site[which]}:\n{describe(violations)}"


def test_report_form_with_errors_has_no_wcag_violations(site, audit_page):
    audit_page.goto(site["url"] + site["report"])
    audit_page.get_by_role("button", name="Send report").click()
    expect(audit_page.get_by_text("There is a problem")).to_be_visible()
    violations = axe_violations(audit_page)
    assert not violations, describe(violations)


# The live server writes the report, so this test must not run inside a transaction of its
# own (it would lock the table); pytest-django runs it after the read-only ones.
@pytest.mark.django_db(transaction=True)
def test_a_report_can_be_sent_without_javascript(site, no_js_page):
    no_js_page.goto(site["url"] + site["profile"])
    expect(no_js_page.get_by_text("Reported as possibly wrong").first).to_be_visible()
    no_js_page.get_by_role("link", name="Report incorrect information").first.click()
    no_js_page.get_by_label("What is wrong?").select_option(label="Something else")
    no_js_page.get_by_label("What should it say instead?").fill("The clinic moved last spring.")
    no_js_page.get_by_role("button", name="Send report").click()
    expect(no_js_page.get_by_role("heading", name="Thank you for your report")).to_be_visible()


def test_profile_requests_nothing_from_third_parties_but_map_tiles(site, browser):
    tile_host = urlsplit(settings.MAP_TILE_URL).hostname
    for page in _page(browser):
        hosts: set[str] = set()
        page.on("request", lambda request, seen=hosts: seen.add(urlsplit(request.url).hostname))
        # Tiles are the one allowed third party; stop them so nothing leaves the machine.
        page.route(f"**://{tile_host}/**", lambda route: route.abort())
        page.goto(site["url"] + site["profile"])
        page.locator(".provider-map").scroll_into_view_if_needed()  # drawn once near
        page.locator(".leaflet-marker-icon").first.wait_for()  # the small map was drawn
        page.wait_for_load_state("networkidle")
        assert hosts - {"localhost"} <= {tile_host}, hosts
