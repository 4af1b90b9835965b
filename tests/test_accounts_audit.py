"""Account events reach the append-only audit trail, and no password ever does."""

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


def _trail() -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.order_by("id").values_list("action", "actor_label", "new_value"))


def test_sign_in_failed_sign_in_and_sign_out_are_recorded():
    make_account("dana@clinic.example")
    client = Client()
    sign_in(client, "dana@clinic.example", "Wrong-Secret-42")
    sign_in(client, "dana@clinic.example")
    client.post("/accounts/logout/")
    assert _trail() == [
        ("account.sign_in_failed", "", "dana@clinic.example"),
        ("account.signed_in", "dana@clinic.example", "password"),
        ("account.signed_out", "dana@clinic.example", ""),
    ]
    stored = AuditEvent.objects.values_list("old_value", "new_value", "field")
    assert not any("Wrong-Secret-42" in value for row in stored for value in row)


def test_a_sign_in_with_the_app_records_both_steps():
    secret = give_authenticator_app(make_account("ana@clinic.example"))
    client = Client()
    client.post(SIGN_IN, {"login": "ana@clinic.example", "password": PASSWORD})
    client.post(MFA_CODE, {"code": totp_code(secret)})
    signed_in = AuditEvent.objects.get(action="account.signed_in")
    assert signed_in.new_value == "password, mfa:totp"


def test_password_change_and_second_factor_removal_are_recorded(
    django_capture_on_commit_callbacks,
):
    kai = make_account("kai@clinic.example")
    secret = give_authenticator_app(kai)
    client = Client()
    sign_in(client, "kai@clinic.example", secret=secret)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    # Turning the app off is a security change: the password again first.
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": "another-long-passphrase"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=kai, type="totp").exists()
    actions = [action for action, _, _ in _trail()]
    assert "account.password_changed" in actions
    assert "account.mfa_removed" in actions
    removed = AuditEvent.objects.get(action="account.mfa_removed")
    assert (removed.actor_id, removed.field, removed.old_value) == (kai.pk, "type", "totp")
