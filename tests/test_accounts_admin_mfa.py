"""Staff reach the Django admin only through the common sign-in and with a second factor."""

import pytest
from django.test import Client

from tests.accounts_personas import (
    MFA_CODE,
    PASSWORD,
    give_authenticator_app,
    make_account,
    sign_in,
    staff_with_mfa_client,
    totp_code,
)

pytestmark = pytest.mark.django_db


def test_the_admin_sign_in_is_the_site_sign_in():
    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    page = response.content.decode()
    assert 'name="password"' in page
    assert 'name="username"' not in page  # the admin's own password form is never shown


def test_staff_without_a_second_factor_cannot_reach_admin_pages():
    make_account("sid@careatlas.example", staff=True)
    client = Client()
    assert sign_in(client, "sid@careatlas.example").status_code == 302
    for url in ("/admin/", "/admin/procedures/guide/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/"


def test_staff_who_signed_in_with_the_app_use_the_admin():
    sid = make_account("sid@careatlas.example", staff=True)
    secret = give_authenticator_app(sid)
    client = Client()
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": "sid@careatlas.example", "password": PASSWORD}
    )
    assert response["Location"] == MFA_CODE
    response = client.post(MFA_CODE, {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_signed_in_before_adding_the_app_are_asked_for_a_code():
    sid = make_account("sid@careatlas.example", staff=True)
    client = Client()
    sign_in(client, "sid@careatlas.example")
    give_authenticator_app(sid)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_the_helper_other_tests_use_signs_staff_in_with_the_app():
    client = staff_with_mfa_client(make_account("eve@careatlas.example", staff=True))
    assert client.get("/admin/").status_code == 200


def test_accounts_that_are_not_staff_are_refused():
    pat = make_account("pat@clinic.example")
    secret = give_authenticator_app(pat)
    client = Client()
    sign_in(client, "pat@clinic.example", secret=secret)
    assert client.get("/admin/login/").status_code == 403
