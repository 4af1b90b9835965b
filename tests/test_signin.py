"""Sign-in: guessing is throttled before any hashing, logged without names, answered with 429."""

import logging
import types

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.test import Client

from careatlas.core import ratelimit
from tests.accounts_personas import make_account

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
WRONG = "The email address and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()


@pytest.fixture
def only_our_throttle(settings):
    """allauth's own (cache-only) limit out of the way, to see the project's throttle alone."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "1000/m/ip"}


@pytest.fixture
def editor(db):
    return make_account("eddie@example.org", staff=True)


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


def _sign_in(client: Client, email: str, password: str, ip: str = "203.0.113.9"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_after_five_wrong_passwords_even_the_right_one_waits(editor, hashing, only_our_throttle):
    stranger = Client()
    for attempt in range(5):
        response = _sign_in(stranger, "eddie@example.org", f"guess-{attempt}")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    assert len(hashing) == 5

    response = _sign_in(stranger, "eddie@example.org", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts for now" in response.content.decode()
    assert "_auth_user_id" not in stranger.session
    assert len(hashing) == 5  # refused before the password was hashed

    # Other accounts are not locked by someone else's guesses.
    make_account("rita@example.org", staff=True)
    assert _sign_in(Client(), "rita@example.org", PASSWORD, ip="198.51.100.7").status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(db, hashing, settings):
    settings.SIGNIN_FAILURES_PER_IP = 8
    for number in range(9):
        make_account(f"user{number}@example.org")
    guesser = Client()
    for number in range(8):
        _sign_in(guesser, f"user{number}@example.org", "hunter2")
    assert len(hashing) == 8
    response = _sign_in(guesser, "user8@example.org", "hunter2")
    assert response.status_code == 429
    assert len(hashing) == 8
    # A colleague at another address signs in as usual.
    make_account("vera@example.org", staff=True)
    assert _sign_in(Client(), "vera@example.org", PASSWORD, ip="192.0.2.44").status_code == 302


def test_allauths_own_limit_also_answers_429(editor, hashing, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 1000  # the project's throttle out of the way
    client = Client()
    for attempt in range(5):
        assert _sign_in(client, "eddie@example.org", f"guess-{attempt}").status_code == 200
    response = _sign_in(client, "eddie@example.org", PASSWORD)
    assert response.status_code == 429
    assert len(hashing) == 5


def test_failures_are_logged_without_password_or_address(editor, caplog):
    with caplog.at_level(logging.WARNING, logger="careatlas.signin"):
        _sign_in(Client(), "eddie@example.org", "Secret-Typo-123")
    logged = caplog.text
    assert "sign-in failed" in logged
    assert "203.0.113.9" in logged
    assert "Secret-Typo-123" not in logged
    assert "eddie" not in logged


def test_the_window_passes_and_sign_in_works_again(editor, monkeypatch, only_our_throttle):
    # A clock the test moves: real 15-minute windows, no sleeping, no window edge mid-test.
    clock = types.SimpleNamespace(time=lambda: 1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", clock)
    client = Client()
    for _ in range(5):
        _sign_in(client, "eddie@example.org", "nope")
    assert _sign_in(client, "eddie@example.org", PASSWORD).status_code == 429
    clock.time = lambda: 1_800_000_000.0 + 900
    assert _sign_in(client, "eddie@example.org", PASSWORD).status_code == 302


def test_a_username_sign_in_is_throttled_too(editor, hashing, rf):
    """The model backend still serves username sign-ins (scripts, tests) behind the throttle."""
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert authenticate(request, username=editor.username, password="nope") is None
    assert authenticate(request, username=editor.username, password=PASSWORD) is None
    assert request.signin_retry_after > 0
