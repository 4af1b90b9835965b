"""Every signed-in account, not only staff, is signed out after a spell without requests."""

import time

import pytest
from django.test import Client

from careatlas.core.signin import LAST_SEEN_KEY
from tests.accounts_personas import make_account, sign_in, staff_with_mfa_client

pytestmark = pytest.mark.django_db


def _idle(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_an_idle_provider_session_ends(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 1800
    make_account("dana@clinic.example")
    client = Client()
    sign_in(client, "dana@clinic.example")
    assert client.get("/accounts/").status_code == 200

    _idle(client, 1801)
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"
    assert "_auth_user_id" not in client.session


def test_an_active_session_stays(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 1800
    make_account("dana@clinic.example")
    client = Client()
    sign_in(client, "dana@clinic.example")
    _idle(client, 1700)
    for _ in range(3):
        assert client.get("/accounts/").status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


def test_an_idle_staff_session_ends_too(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 1800
    client = staff_with_mfa_client(make_account("eddie@careatlas.example", staff=True))
    assert client.get("/admin/").status_code == 200
    _idle(client, 1801)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_timeout_is_a_setting(settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60 * 60 * 8
    make_account("dana@clinic.example")
    client = Client()
    sign_in(client, "dana@clinic.example")
    _idle(client, 1801)
    assert client.get("/accounts/").status_code == 200
