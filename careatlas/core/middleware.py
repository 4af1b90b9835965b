"""Response headers Django's own middleware does not set: security, and the language offer's."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from careatlas.core.languages import offered_language

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class LanguageOfferHeadersMiddleware:
    """A page that offers another language is revalidated on every view, per cookie.

    The offer's "No, thanks" sets a cookie and comes back to the same address: without this,
    the browser would show its cached copy, offer included, for BROWSER_CACHE_SECONDS. The
    page's ETag names the offer (caching.public_page), so revalidating costs a 304.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if offered_language(request) and response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Cookie",))
            patch_cache_control(response, no_cache=True)
        return response
