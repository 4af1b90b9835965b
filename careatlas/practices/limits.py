"""Claim attempts (codes and links sent, wrong codes, uploads) limited per account, NPI and IP."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from careatlas.core.ratelimit import RateLimit, client_ip

WINDOW_SECONDS = 3600


def _limits(request: HttpRequest, npi: str) -> list[tuple[RateLimit, str]]:
    return [
        (
            RateLimit("claim-account", settings.CLAIM_ATTEMPTS_PER_ACCOUNT, WINDOW_SECONDS),
            str(request.user.pk),
        ),
        (RateLimit("claim-npi", settings.CLAIM_ATTEMPTS_PER_NPI, WINDOW_SECONDS), npi),
        (RateLimit("claim-ip", settings.CLAIM_ATTEMPTS_PER_IP, WINDOW_SECONDS), client_ip(request)),
    ]


def refusal(request: HttpRequest, npi: str) -> HttpResponse | None:
    """A friendly 429 page when any of the three windows is used up, else None."""
    for limit, ident in _limits(request, npi):
        if limit.exceeded(ident):
            retry_after = limit.retry_after()
            response = render(
                request,
                "practices/too_many_attempts.html",
                {"retry_after": retry_after, "minutes": max(1, round(retry_after / 60))},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
    return None


def count_attempt(request: HttpRequest, npi: str) -> None:
    for limit, ident in _limits(request, npi):
        if limit.enabled:
            limit.hit(ident)
