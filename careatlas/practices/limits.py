"""Claim attempts (codes and links sent, wrong codes, uploads) limited per account, NPI and IP."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from careatlas.core.errors import too_many_attempts
from careatlas.core.ratelimit import Limits, RateLimit, client_ip

WINDOW_SECONDS = 3600


def _limits(request: HttpRequest, npi: str) -> Limits:
    return Limits(
        (
            (
                RateLimit("claim-account", settings.CLAIM_ATTEMPTS_PER_ACCOUNT, WINDOW_SECONDS),
                str(request.user.pk),
            ),
            (RateLimit("claim-npi", settings.CLAIM_ATTEMPTS_PER_NPI, WINDOW_SECONDS), npi),
            (
                RateLimit("claim-ip", settings.CLAIM_ATTEMPTS_PER_IP, WINDOW_SECONDS),
                client_ip(request),
            ),
        )
    )


def refusal(request: HttpRequest, npi: str) -> HttpResponse | None:
    """A friendly 429 page when any of the three windows is used up, else None."""
    limit = _limits(request, npi).exceeded()
    if limit is None:
        return None
    return too_many_attempts(request, "practices/too_many_attempts.html", limit.retry_after())


def count_attempt(request: HttpRequest, npi: str) -> None:
    _limits(request, npi).hit()
