"""Staff sign-in: guessing is throttled before any hashing, logged, and idle sessions end."""

import logging
import time
import types

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from careatlas.core import ratelimit

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_user("eddie", "eddie@example.org", PASSWORD, is_staff=True)


@pytest.fixture
def hashing(monkeypatch) -> list[str]:
    """Every password the site hashed to check it."""
    checked: list[str] = []
    original = MD5PasswordHasher.verify

    def verify(self, password, encoded):
        checked.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", verify)
    return checked


def _sign_in(client: Client, username: str, password: str, ip: str = "203.0.113.9"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_after_five_wrong_passwords_even_the_right_one_waits(editor, hashing):
    stranger = Client()
    for attempt in range(5):
        response = _sign_in(stranger, "eddie", f"guess-{attempt}")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    assert len(hashing) == 5

    response = _sign_in(stranger, "eddie", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-ins. Try again in" in response.content.decode()
    assert "_auth_user_id" not in stranger.session
    assert len(hashing) == 5  # refused before the password was hashed

    # Other accounts are not locked by someone else's guesses.
    User.objects.create_user("rita", "rita@example.org", PASSWORD, is_staff=True)
    assert _sign_in(Client(), "rita", PASSWORD, ip="198.51.100.7").status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(db, hashing, settings):
    settings.SIGNIN_FAILURES_PER_IP = 8
    for number in range(9):
        User.objects.create_user(f"user{number}", f"u{number}@example.org", PASSWORD)
    guesser = Client()
    for number in range(8):
        _sign_in(guesser, f"user{number}", "hunter2")
    assert len(hashing) == 8
    response = _sign_in(guesser, "user8", "hunter2")
    assert "Too many failed sign-ins" in response.content.decode()
    assert len(hashing) == 8
    # A colleague at another address signs in as usual.
    User.objects.create_user("vera", "vera@example.org", PASSWORD, is_staff=True)
    assert _sign_in(Client(), "vera", PASSWORD, ip="192.0.2.44").status_code == 302


def test_failures_are_logged_without_password_or_username(editor, caplog):
    with caplog.at_level(logging.WARNING, logger="careatlas.signin"):
        _sign_in(Client(), "eddie", "Secret-Typo-123")
    logged = caplog.text
    assert "sign-in failed" in logged
    assert "203.0.113.9" in logged
    assert "Secret-Typo-123" not in logged
    assert "eddie" not in logged


def test_the_window_passes_and_sign_in_works_again(editor, monkeypatch):
    # A clock the test moves: real 15-minute windows, no sleeping, no window edge mid-test.
    clock = types.SimpleNamespace(time=lambda: 1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", clock)
    client = Client()
    for _ in range(5):
        _sign_in(client, "eddie", "nope")
    assert "Too many failed" in _sign_in(client, "eddie", PASSWORD).content.decode()
    clock.time = lambda: 1_800_000_000.0 + 900
    assert _sign_in(client, "eddie", PASSWORD).status_code == 302


def test_an_idle_staff_session_ends(editor, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 1800
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    session = client.session
    session["staff_last_seen"] = int(time.time()) - 1801
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_active_staff_session_stays(editor):
    client = Client()
    client.force_login(editor)
    for _ in range(3):
        assert client.get("/admin/").status_code == 200
    assert client.session["staff_last_seen"] >= int(time.time()) - 5
