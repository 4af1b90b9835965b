"""What every API answer shares, around the endpoints: read-only methods, CORS, the per-client
rate limit, a server-side cache keyed by the content version, ETag/304 and Cache-Control.

Wrapping the URL patterns (rather than a site-wide middleware) keeps these rules on /api/v1/
only: the HTML site keeps its own caching, same-origin resource policy and CSP untouched.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from careatlas.api.errors import METHOD_NOT_ALLOWED, RATE_LIMITED, error_response
from careatlas.core.models import SiteVersion
from careatlas.core.ratelimit import RateLimit, Verdict, client_ip

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Request headers a cross-origin script may send beyond the CORS-safelisted ones.
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, If-None-Match"
EXPOSED_HEADERS = (
    "ETag, Retry-After, Content-Language, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
)
PREFLIGHT_MAX_AGE = 86400


def api_rate_limit() -> RateLimit:
    """Read per request, so tests and operators can change the setting without a restart."""
    return RateLimit.per_minute("api", settings.API_RATE_LIMIT_PER_MINUTE)


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data: any origin may read it, and no credentials are ever honoured
    # (no Allow-Credentials, and the API reads no cookie or session).
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    # The site sends "same-origin" for everything else; API answers are meant to be shared.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def _method_not_allowed() -> HttpResponse:
    response = error_response(
        405, METHOD_NOT_ALLOWED, _("This API is read-only: use GET (or HEAD, OPTIONS).")
    )
    response["Allow"] = ALLOWED_METHODS
    return response


def _rate_limited(verdict: Verdict) -> HttpResponse:
    response = error_response(
        429,
        RATE_LIMITED,
        _("Too many requests from your address: at most %(limit)s a minute. Try again shortly.")
        % {"limit": verdict.limit},
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _rate_headers(response: HttpResponse, verdict: Verdict) -> None:
    if verdict.limit:
        response["RateLimit-Limit"] = str(verdict.limit)
        response["RateLimit-Remaining"] = str(verdict.remaining)
        response["RateLimit-Reset"] = str(verdict.retry_after)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    # Weak comparison (RFC 9110 13.1.2): a proxy may have weakened our tag in transit.
    return "*" in wanted or etag in {tag.removeprefix("W/") for tag in wanted}


def _cached_render(view: Callable[..., HttpResponse], request, args, kwargs) -> HttpResponse:
    """The endpoint's answer, from the cache when the content version has not moved.

    Keyed like the HTML page cache (core.caching.public_page): every publish or directory
    edit bumps the version, so no cached answer outlives the data it was built from.
    """
    site = SiteVersion.current()
    key_source = f"api|{site.version}|{get_language()}|{request.get_full_path()}"
    key = "api:" + hashlib.sha256(key_source.encode()).hexdigest()[:32]
    cached = cache.get(key)
    if cached is not None:
        body, content_type, etag = cached
        response = HttpResponse(body, content_type=content_type)
        response["ETag"] = etag
        return response
    response = view(request, *args, **kwargs)
    if response.status_code == 200 and not response.streaming:
        response["ETag"] = _etag(response.content)
        cache.set(
            key,
            (response.content, response["Content-Type"], response["ETag"]),
            settings.PAGE_CACHE_SECONDS,
        )
    return response


def _cache_headers(response: HttpResponse) -> None:
    status = response.status_code
    if status in (429, 405) or status >= 500:
        patch_cache_control(response, no_store=True)
    else:
        # Answers, including "no such thing" and "bad parameter", are the same for everyone.
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)


def api_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one API URL pattern's view with the rules above."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(_preflight())
        if request.method not in ("GET", "HEAD"):
            return _cors(_method_not_allowed())
        verdict = api_rate_limit().take(client_ip(request))
        if not verdict.allowed:
            response = _rate_limited(verdict)
        else:
            head = request.method == "HEAD"
            request.method = "GET"  # the endpoints declare GET; HEAD is GET without a body
            response = _cached_render(view, request, args, kwargs)
            etag = response.get("ETag")
            if etag and _matches(request, etag):
                response = HttpResponseNotModified()
                response["ETag"] = etag
            elif head:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
            response["Content-Language"] = get_language()
        _rate_headers(response, verdict)
        _cache_headers(response)
        # The pages are what search engines should list, not their JSON twins.
        response["X-Robots-Tag"] = "noindex"
        return _cors(response)

    return wrapper
