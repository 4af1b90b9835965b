"""Provider pages need a session that passed two-factor authentication (`mfa_required`)."""

import pytest
from django.test import Client

from tests.accounts_personas import (
    MFA_CODE,
    give_authenticator_app,
    make_account,
    sign_in,
    totp_code,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts_urls")]
PAGE = "/provider-only/"


def test_a_stranger_is_sent_to_sign_in_and_brought_back():
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/provider-only/"


def test_an_account_without_a_second_factor_is_sent_to_set_one_up_and_told_why():
    make_account("lee@clinic.example")
    client = Client()
    sign_in(client, "lee@clinic.example")
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    page = client.get(response["Location"]).content.decode()
    assert "This page needs two-factor authentication" in page


def test_a_session_from_before_the_second_factor_is_asked_for_a_code():
    lee = make_account("lee@clinic.example")
    client = Client()
    sign_in(client, "lee@clinic.example")
    secret = give_authenticator_app(lee)  # added after this session signed in

    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fprovider-only%2F"
    form = client.get(response["Location"])
    assert form.status_code == 200
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert client.get(PAGE).content.decode() == "Your practice's listing"


def test_a_session_signed_in_with_the_app_goes_straight_in():
    secret = give_authenticator_app(make_account("ana@clinic.example"))
    client = Client()
    response = client.post(
        f"/accounts/login/?next={PAGE}",
        {"login": "ana@clinic.example", "password": "correct-horse-battery"},
    )
    assert response["Location"] == MFA_CODE
    response = client.post(MFA_CODE, {"code": totp_code(secret)})
    assert response["Location"] == PAGE
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.content.decode() == "Your practice's listing"
