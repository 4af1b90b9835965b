"""A provider's browser: sign up, confirm, sign in, set up an authenticator app; axe-clean."""

import re
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.accounts_personas import PASSWORD, confirmation_link, make_account, totp_code
from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require

# The live server writes (accounts, sessions, audit events), so no test may hold a
# transaction open around it: the shared in-memory SQLite would lock the server out.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), live_site() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


@pytest.fixture(params=list(VIEWPORTS))
def tab(request, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A tab at a phone's or a desktop's size; CSP bypassed so axe-core can be injected."""
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    yield request.param, context.new_page()
    context.close()


def _sign_in(page: Page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _sign_out(page: Page, site: str) -> None:
    page.goto(f"{site}/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()


def test_sign_up_confirm_and_sign_in(site: str, tab: tuple[str, Page]):
    name, page = tab
    email = f"dana-{name}@clinic.example"
    page.goto(f"{site}/accounts/signup/")
    assert_clean(page, "sign-up")

    # A mistake first: the errors are announced and tied to their fields.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill("something-else-entirely")
    page.get_by_role("button", name="Sign Up").click()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_clean(page, "sign-up with errors")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{site}/accounts/confirm-email/")
    assert_clean(page, "check your email")

    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    page.goto(site + confirmation_link(message.body))
    assert_clean(page, "confirm your address")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert_clean(page, "sign-in")

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/accounts/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert_clean(page, "account home")


def test_set_up_an_authenticator_app_and_sign_in_with_it(site: str, tab: tuple[str, Page]):
    name, page = tab
    email = f"olive-{name}@clinic.example"
    make_account(email)  # committed at once: this test runs outside a transaction
    _sign_in(page, site, email)
    page.wait_for_url(f"{site}/accounts/")

    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert_clean(page, "two-factor overview")
    page.locator("section", has=page.get_by_role("heading", name="Authenticator App")).get_by_role(
        "link", name="Activate"
    ).click()
    # A security change: the password once more.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert_clean(page, "confirm password")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{site}/accounts/2fa/totp/activate/")
    assert_clean(page, "activate authenticator app")

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert_clean(page, "recovery codes")
    assert len(page.locator("#recovery_codes").input_value().split()) == 10

    # Signed out and back in: now the code is asked for.
    _sign_out(page, site)
    _sign_in(page, site, email)
    page.wait_for_url(f"{site}/accounts/2fa/authenticate/")
    assert_clean(page, "second-factor code")
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/accounts/")
    assert "Authenticator app: on" in page.content()


def test_forgot_password_and_a_wrong_password(site: str, tab: tuple[str, Page]):
    _name, page = tab
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("nobody@clinic.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_clean(page, "sign-in with an error")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_clean(page, "forgot password")


def test_a_security_key_is_added_and_signs_in_with_javascript(site: str, browser: Browser):
    """WebAuthn needs JavaScript: Chromium's virtual authenticator plays the key, CSP enforced."""
    email = "wen@clinic.example"
    user = make_account(email)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    try:
        _sign_in(page, site, email)
        page.wait_for_url(f"{site}/accounts/")
        page.goto(f"{site}/accounts/2fa/webauthn/add/")
        page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(f"{site}/accounts/2fa/webauthn/add/")
        page.get_by_label("Name").fill("Desk key")
        page.get_by_role("button", name="Add").click()
        page.wait_for_url(lambda url: "/2fa/" in url and not url.endswith("/add/"))
        assert Authenticator.objects.filter(user=user, type="webauthn").count() == 1

        _sign_out(page, site)
        _sign_in(page, site, email)
        page.wait_for_url(f"{site}/accounts/2fa/authenticate/")
        page.get_by_role("button", name="Use a security key").click()
        page.wait_for_url(f"{site}/accounts/")
        assert "Passkey or security key: added" in page.content()
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
