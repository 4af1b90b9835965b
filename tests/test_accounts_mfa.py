"""Two-factor sign-in: set up an authenticator app, sign in with its code or a recovery code."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from careatlas.core.audit import AuditEvent
from tests.accounts_personas import (
    MFA_CODE,
    PASSWORD,
    SIGN_IN,
    give_authenticator_app,
    make_account,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db
ACTIVATE = "/accounts/2fa/totp/activate/"


def _secret_on(page: str) -> str:
    match = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page)
    assert match, "the set-up page writes the secret out for people who cannot scan"
    return match.group(1)


def _recovery_codes_on(page: str) -> list[str]:
    match = re.search(r'id="recovery_codes"[^>]*>([\d\s]+)</textarea>', page)
    assert match
    return match.group(1).split()


def _set_up_app(client: Client, on_commit) -> tuple[str, list[str]]:
    """Walk the set-up pages as a person does: confirm the password, scan, type a code.

    `on_commit` is pytest-django's django_capture_on_commit_callbacks: allauth announces
    the new authenticator (audit, email) once the transaction commits.
    """
    response = client.get(ACTIVATE)
    assert response.status_code == 302  # the password again, right before a security change
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE).content.decode()
    assert 'class="qr-code"' in page
    secret = _secret_on(page)
    response = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert response.status_code == 200
    assert 'aria-describedby="id_code_error"' in response.content.decode()
    with on_commit(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    codes_page = client.get(response["Location"]).content.decode()
    return secret, _recovery_codes_on(codes_page)


def test_set_up_an_authenticator_app_then_sign_in_with_its_code(
    django_capture_on_commit_callbacks, mailoutbox
):
    # The test client runs no JavaScript: set-up and sign-in work as plain forms.
    olive = make_account("olive@clinic.example")  # an office manager
    client = Client()
    sign_in(client, "olive@clinic.example")
    secret, codes = _set_up_app(client, django_capture_on_commit_callbacks)
    assert Authenticator.objects.filter(user=olive, type="totp").exists()
    assert len(codes) == 10
    # The owner hears about it by email, in case it was not them.
    assert [m.to for m in mailoutbox] == [["olive@clinic.example"]]

    client.post("/accounts/logout/")
    again = Client()
    response = again.post(SIGN_IN, {"login": "olive@clinic.example", "password": PASSWORD})
    assert response["Location"] == MFA_CODE
    assert "_auth_user_id" not in again.session  # the password alone does not sign in

    wrong = again.post(MFA_CODE, {"code": "123456" if totp_code(secret) != "123456" else "654321"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in again.session
    response = again.post(MFA_CODE, {"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302
    assert again.session["_auth_user_id"] == str(olive.pk)

    actions = set(AuditEvent.objects.filter(actor=olive).values_list("action", flat=True))
    assert {"account.mfa_added", "account.mfa_failed", "account.signed_in"} <= actions


def test_a_code_is_accepted_only_once():
    make_account("rui@clinic.example")
    secret = give_authenticator_app(make_account("tam@clinic.example"))
    first = Client()
    first.post(SIGN_IN, {"login": "tam@clinic.example", "password": PASSWORD})
    code = totp_code(secret)
    assert first.post(MFA_CODE, {"code": code}).status_code == 302
    # Someone who watched the code being typed cannot replay it.
    second = Client()
    second.post(SIGN_IN, {"login": "tam@clinic.example", "password": PASSWORD})
    assert second.post(MFA_CODE, {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_a_recovery_code_signs_in_once_when_the_phone_is_lost(django_capture_on_commit_callbacks):
    pia = make_account("pia@clinic.example")
    client = Client()
    sign_in(client, "pia@clinic.example")
    _secret, codes = _set_up_app(client, django_capture_on_commit_callbacks)
    client.post("/accounts/logout/")

    phone_lost = Client()
    phone_lost.post(SIGN_IN, {"login": "pia@clinic.example", "password": PASSWORD})
    assert phone_lost.post(MFA_CODE, {"code": codes[0]}).status_code == 302
    assert phone_lost.session["_auth_user_id"] == str(pia.pk)
    assert AuditEvent.objects.filter(actor=pia, action="account.recovery_code_used").count() == 1

    phone_lost.post("/accounts/logout/")
    reused = Client()
    reused.post(SIGN_IN, {"login": "pia@clinic.example", "password": PASSWORD})
    assert reused.post(MFA_CODE, {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in reused.session


def test_guessing_codes_is_stopped_with_a_friendly_page():
    secret = give_authenticator_app(make_account("gus@clinic.example"))
    guesser = Client()
    guesser.post(SIGN_IN, {"login": "gus@clinic.example", "password": PASSWORD})
    right = totp_code(secret)
    wrong = [f"{n:06d}" for n in range(100000, 100010) if f"{n:06d}" != right][:5]
    for code in wrong:
        assert guesser.post(MFA_CODE, {"code": code}).status_code == 200
    response = guesser.post(MFA_CODE, {"code": right})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts for now" in response.content.decode()
    assert "_auth_user_id" not in guesser.session
    assert AuditEvent.objects.filter(action="account.mfa_failed").count() == 5
