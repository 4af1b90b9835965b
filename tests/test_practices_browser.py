"""A provider on a phone claims their profile with a code, with axe-core clean pages."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from careatlas.practices import senders
from careatlas.practices.models import Claim, ClaimStatus
from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require
from tests.practice_personas import make_clinic, person, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with django_db_blocker.unblock(), live_site() as server:
        clinic = make_clinic()
        dana = person("dana")
        yield {"url": server.url, "profile": clinic.practitioner.get_absolute_url(), "dana": dana}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.fixture
def phone(browser, site) -> Iterator[Page]:
    """Dana's phone (390x844), signed in; CSP bypassed so axe-core can be injected."""
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    client = signed_in(site["dana"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site["url"],
            }
        ]
    )
    yield context.new_page()
    context.close()


def _assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"


# The live server writes the claim, so this test runs outside a transaction of its own.
@pytest.mark.django_db(transaction=True)
def test_a_provider_claims_their_profile_with_a_phone_code(site, phone):
    senders.outbox.clear()
    phone.goto(site["url"] + site["profile"])
    phone.get_by_role("link", name="Claim this profile").click()
    expect(phone.get_by_role("heading", name=re.compile("Claim Dana Reyes"))).to_be_visible()
    _assert_accessible(phone)

    phone.get_by_role("link", name="Get a code at the practice phone number").click()
    phone.get_by_label(re.compile(r"\(212\) 555-0202")).check()
    phone.get_by_label("Text message").check()
    _assert_accessible(phone)
    phone.get_by_role("button", name="Send the code").click()

    expect(phone.get_by_role("heading", name="Enter the code")).to_be_visible()
    _assert_accessible(phone)
    assert senders.outbox[-1]["phone"] == "2125550202"
    code = re.search(r"\b(\d{6})\b", senders.outbox[-1]["message"]).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    phone.get_by_label("The 6-digit code").fill(wrong)
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_text("There is a problem")).to_be_visible()
    _assert_accessible(phone)

    phone.get_by_label("The 6-digit code").fill(code)
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_text("Your claim is approved")).to_be_visible()
    expect(phone.get_by_text("From the NPPES registry; to change it, update NPPES")).to_be_visible()
    _assert_accessible(phone)
    assert Claim.objects.get().status == ClaimStatus.APPROVED
