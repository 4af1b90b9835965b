"""A provider signs up by email, confirms the address from the email, then signs in."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from careatlas.core.audit import AuditEvent
from tests.accounts_personas import PASSWORD, confirmation_link, make_account

pytestmark = pytest.mark.django_db
SIGN_UP = "/accounts/signup/"


def _sign_up(client: Client, email: str, password: str = PASSWORD, again: str | None = None):
    return client.post(
        SIGN_UP, {"email": email, "password1": password, "password2": again or password}
    )


def test_sign_up_confirm_then_sign_in():
    dana = Client()  # Dr Dana, a practitioner claiming her listing later
    page = dana.get(SIGN_UP)
    assert page.status_code == 200
    assert 'for="id_email"' in page.content.decode()

    response = _sign_up(dana, "dana@clinic.example")
    assert response.status_code == 302
    assert "dana" not in response["Location"]  # no email address in any URL
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@clinic.example"]
    assert "Confirm" in message.subject or "confirm" in message.subject.lower()

    # Not signed in until the address is confirmed.
    assert dana.post("/accounts/login/", {"login": "dana@clinic.example", "password": PASSWORD})[
        "Location"
    ].startswith("/accounts/confirm-email/")
    assert "_auth_user_id" not in dana.session

    link = confirmation_link(message.body)
    assert (
        dana.get(link).status_code == 200
    )  # a page with a button: a link scanner confirms nothing
    assert dana.post(link).status_code == 302

    response = dana.post("/accounts/login/", {"login": "dana@clinic.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    home = dana.get("/accounts/").content.decode()
    assert "Set up two-factor authentication" in home
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.signed_up", "account.email_confirmed", "account.signed_in"} <= set(actions)


def test_a_weak_password_is_refused_with_an_error_linked_to_the_field():
    response = _sign_up(Client(), "sam@clinic.example", password="password")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password1_error"' in page
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in page
    assert 'aria-invalid="true"' in page
    assert "too common" in page or "too short" in page
    assert not User.objects.filter(email="sam@clinic.example").exists()
    assert mail.outbox == []


def test_signing_up_with_a_taken_address_does_not_say_so_on_the_page():
    make_account("owner@clinic.example")
    stranger = Client()
    response = _sign_up(stranger, "owner@clinic.example")
    # Same answer as a new address (no account enumeration); the owner hears by email.
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@clinic.example"]
    assert User.objects.filter(email="owner@clinic.example").count() == 1
