"""Forgot password: a link by email, a new password, the old one no longer works."""

import re

import pytest
from django.core import mail
from django.test import Client

from careatlas.core.audit import AuditEvent
from tests.accounts_personas import PASSWORD, confirmation_link, make_account, sign_in

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-much-longer-new-passphrase"


def test_forgot_password_by_email_link():
    dana = make_account("dana@clinic.example")
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "dana@clinic.example"})
    assert response.status_code == 302
    assert "dana" not in response["Location"]
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0].body)
    assert re.match(r"/accounts/password/reset/key/[\w-]+/", link)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    # allauth swaps the key in the URL for a session value before showing the form.
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    assert sign_in(Client(), "dana@clinic.example", PASSWORD).status_code == 200  # refused
    assert sign_in(Client(), "dana@clinic.example", NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(actor=dana, action="account.password_reset").exists()


def test_an_unknown_address_gets_the_same_answer():
    response = Client().post("/accounts/password/reset/", {"email": "nobody@clinic.example"})
    assert response.status_code == 302
    # Nobody learns from the page whether an account exists; no reset link goes anywhere.
    assert all("password/reset/key" not in m.body for m in mail.outbox)


def test_reset_requests_are_rate_limited_with_a_friendly_page():
    make_account("dana@clinic.example")
    client = Client()
    answers = [
        client.post("/accounts/password/reset/", {"email": "dana@clinic.example"}).status_code
        for _ in range(4)
    ]
    assert answers[:3] == [302, 302, 302]
    assert answers[3] == 429
    page = client.post("/accounts/password/reset/", {"email": "dana@clinic.example"})
    assert "Too many attempts for now" in page.content.decode()
