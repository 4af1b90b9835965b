"""Sign-in throttling before any password is hashed, failure logging, and idle timeout."""

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from careatlas.core.ratelimit import Limits, RateLimit, client_ip

log = logging.getLogger("careatlas.signin")
LAST_SEEN_KEY = "signin_last_seen"


def _limits(request: HttpRequest, username: str | None) -> Limits:
    """Failed sign-ins per account typed and per client address."""
    window = settings.SIGNIN_WINDOW_SECONDS
    return Limits(
        (
            (
                RateLimit("signin-account", settings.SIGNIN_FAILURES_PER_ACCOUNT, window),
                _account(username),
            ),
            (RateLimit("signin-ip", settings.SIGNIN_FAILURES_PER_IP, window), client_ip(request)),
        )
    )


def _account(username: str | None) -> str:
    return (username or "").strip().lower()


def _typed_account(credentials: dict) -> str | None:
    """What the person typed to name their account: a username, or (allauth) an email."""
    return credentials.get("username") or credentials.get("email")


def _log_name(username: str | None) -> str:
    # Enough to tell accounts apart in the log without writing down what a typo revealed
    # (people type their password into the username box).
    return hashlib.sha256(_account(username).encode()).hexdigest()[:12]


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing a throttled sign-in before it hashes the password.

    Raising PermissionDenied ends authenticate() at once, so a flood of guesses costs a cache
    read each instead of a password hash (about 250 ms of CPU) each.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is not None:
            self._refuse_if_throttled(request, _typed_account({"username": username, **kwargs}))
        return super().authenticate(request, username=username, password=password, **kwargs)

    def _refuse_if_throttled(self, request: HttpRequest, username: str | None) -> None:
        limit = _limits(request, username).exceeded()
        if limit is not None:
            request.signin_retry_after = max(limit.retry_after(), 1)
            log.warning(
                "sign-in refused while throttled: account %s from %s",
                _log_name(username),
                client_ip(request),
            )
            raise PermissionDenied


# Registered when this module is imported, which authenticate() does (to load the backend)
# before it can report a failure.
@receiver(user_login_failed)
def count_failed_sign_in(sender, credentials: dict, request: HttpRequest | None = None, **kw):
    """Count and log each failure (Django has already removed the password from `credentials`)."""
    if request is None or getattr(request, "signin_retry_after", None):
        return
    username = _typed_account(credentials)
    failures = _limits(request, username).hit()
    log.warning(
        "sign-in failed: account %s from %s (%d in window)",
        _log_name(username),
        client_ip(request),
        failures,
    )


def throttled_wait_minutes(request: HttpRequest) -> int | None:
    """Minutes until a throttled sign-in may try again, or None if this one was not throttled."""
    retry_after = getattr(request, "signin_retry_after", None)
    return max(1, round(retry_after / 60)) if retry_after else None


class IdleTimeoutMiddleware:
    """Sign any account out after SESSION_IDLE_TIMEOUT_SECONDS without a request.

    A session left open on a shared computer is a way into unpublished guides, patient
    reports and a practice's listing. The last-seen time is written at most once a minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.SESSION_IDLE_TIMEOUT_SECONDS
        # Without a session cookie nobody is signed in; skip loading the user (every
        # anonymous page view passes here).
        if not timeout or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > timeout:
                logout(request)
            elif now - last_seen >= 60 or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
