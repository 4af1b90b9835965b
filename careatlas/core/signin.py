"""Sign-in throttling before any password is hashed, failure logging, and staff idle timeout."""

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from careatlas.core.ratelimit import RateLimit, client_ip

log = logging.getLogger("careatlas.signin")


def _limits() -> tuple[RateLimit, RateLimit]:
    window = settings.SIGNIN_WINDOW_SECONDS
    return (
        RateLimit("signin-account", settings.SIGNIN_FAILURES_PER_ACCOUNT, window),
        RateLimit("signin-ip", settings.SIGNIN_FAILURES_PER_IP, window),
    )


def _account(username: str | None) -> str:
    return (username or "").strip().lower()


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
            self._refuse_if_throttled(request, username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def _refuse_if_throttled(self, request: HttpRequest, username: str | None) -> None:
        account_limit, ip_limit = _limits()
        ip = client_ip(request)
        if account_limit.exceeded(_account(username)) or ip_limit.exceeded(ip):
            request.signin_retry_after = max(account_limit.retry_after(), 1)
            log.warning(
                "sign-in refused while throttled: account %s from %s", _log_name(username), ip
            )
            raise PermissionDenied


# Registered when this module is imported, which authenticate() does (to load the backend)
# before it can report a failure.
@receiver(user_login_failed)
def count_failed_sign_in(sender, credentials: dict, request: HttpRequest | None = None, **kw):
    """Count and log each failure (Django has already removed the password from `credentials`)."""
    if request is None or getattr(request, "signin_retry_after", None):
        return
    username = credentials.get("username")
    account_limit, ip_limit = _limits()
    ip = client_ip(request)
    failures = account_limit.hit(_account(username))
    ip_limit.hit(ip)
    log.warning(
        "sign-in failed: account %s from %s (%d in window)", _log_name(username), ip, failures
    )


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, saying "wait" rather than "wrong password" when throttled."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            retry_after = getattr(self.request, "signin_retry_after", None)
            if retry_after:
                minutes = max(1, round(retry_after / 60))
                raise ValidationError(
                    _("Too many failed sign-ins. Try again in %(minutes)d minutes."),
                    code="throttled",
                    params={"minutes": minutes},
                ) from None
            raise


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT_SECONDS without a request.

    A back-office session left open on a shared computer is a way into unpublished guides
    and patient reports. The last-seen time is written at most once a minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.STAFF_IDLE_TIMEOUT_SECONDS
        # Without a session cookie nobody is signed in; skip loading the user (every
        # anonymous page view passes here).
        if not timeout or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_seen = request.session.get("staff_last_seen", now)
            if now - last_seen > timeout:
                logout(request)
            elif now - last_seen >= 60 or "staff_last_seen" not in request.session:
                request.session["staff_last_seen"] = now
        return self.get_response(request)
