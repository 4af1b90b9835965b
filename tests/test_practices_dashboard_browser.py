"""Dana, on her phone, from sign-up to a profile her practice confirmed; axe-clean all the way."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import Browser, Page, expect

from careatlas.practices import senders
from careatlas.practices.models import Invitation
from careatlas.providers.models import PractitionerRole
from tests.accounts_personas import PASSWORD, confirmation_link, totp_code
from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require
from tests.practice_personas import make_clinic

# The live server writes everything here, so no transaction may be held open around it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with django_db_blocker.unblock(), live_site() as server:
        clinic = make_clinic()
        yield {"url": server.url, "profile": clinic.practitioner.get_absolute_url()}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    """A phone-sized tab; CSP bypassed so axe-core can be injected."""
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


def _sign_up_and_confirm(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/signup/")
    assert_clean(page, "sign up")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{site}/accounts/confirm-email/")
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    page.goto(site + confirmation_link(message.body))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/accounts/")


def _set_up_authenticator(page: Page, site: str) -> str:
    """Activate an authenticator app; returns its secret (the test is the app)."""
    page.get_by_role("link", name="Set up two-factor authentication").click()
    page.locator("section", has=page.get_by_role("heading", name="Authenticator App")).get_by_role(
        "link", name="Activate"
    ).click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{site}/accounts/2fa/totp/activate/")
    assert_clean(page, "activate an authenticator app")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    return secret


def test_sign_up_claim_invite_edit_confirm_and_see_the_badge(site, phone, browser):
    senders.outbox.clear()
    url, page = site["url"], phone
    _sign_up_and_confirm(page, url, "dana@riverside-spine.example")
    secret = _set_up_authenticator(page, url)

    # Claim by a code to the practice phone; this session proves itself with the app first.
    page.goto(url + site["profile"])
    page.get_by_role("link", name="Claim this profile").click()
    if "reauthenticate" in page.url:
        assert_clean(page, "confirm it is you")
        page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
        page.get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="Get a code at the practice phone number").click()
    page.get_by_label(re.compile(r"\(212\) 555-0101")).check()
    page.get_by_label("Text message").check()
    assert_clean(page, "claim by phone")
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", senders.outbox[-1]["message"]).group(1)
    page.get_by_label("The 6-digit code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your claim is approved")).to_be_visible()
    home = page.url
    assert_clean(page, "dashboard")
    expect(page.get_by_text("Not confirmed by the practice yet").first).to_be_visible()

    # Invite Sam to the uptown office.
    page.get_by_label("Their email address").fill("sam@riverside-spine.example")
    page.get_by_label("Only the locations ticked below").check()
    page.get_by_label("Uptown office").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent")).to_be_visible()
    assert_clean(page, "invitation sent")
    assert Invitation.objects.get().email == "sam@riverside-spine.example"

    # New patients at the uptown office, with a mistake first.
    page.get_by_role("link", name="Edit New patients at Uptown office").click()
    assert_clean(page, "edit new patients")
    page.get_by_label("Existing patients only").check()
    page.get_by_role("button", name="Save and confirm").click()
    expect(page.get_by_text("confirmed by the practice today")).to_be_visible()
    page.get_by_role("link", name="Edit Opening hours at Uptown office").click()
    page.get_by_label("Monday").fill("9am till late")
    page.get_by_role("button", name="Save and confirm").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_clean(page, "edit hours with an error")
    page.goto(home)

    # The other kinds of edit page: a list with a select, checkboxes, a file upload.
    for link in [
        "Edit Procedures and self-pay prices at Uptown office",
        "Edit Languages the practitioner speaks",
        "Edit Photo",
    ]:
        page.get_by_role("link", name=link).click()
        assert_clean(page, link)
        page.goto(home)

    page.get_by_role("button", name="Confirm all is still correct").click()
    expect(page.get_by_text("facts are confirmed by the practice today")).to_be_visible()
    expect(page.get_by_text("Not confirmed by the practice yet")).to_have_count(0)
    assert_clean(page, "dashboard after confirm all")
    page.set_viewport_size(DESKTOP)
    assert_clean(page, "dashboard")
    page.set_viewport_size(PHONE)

    # What a patient sees.
    role = PractitionerRole.objects.get(location__name="Uptown office")
    assert role.accepting_new_patients == "existptonly"
    patient = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    patient.goto(url + site["profile"])
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    expect(patient.get_by_text("Existing patients only").first).to_be_visible()
    patient.locator(".badge-practice").first.click()  # when: one tap away
    expect(patient.get_by_text(f"Confirmed by the practice on {today}").first).to_be_visible()
    assert_clean(patient, "public profile")
    patient.context.close()
