"""The public read-only HTTP layer: CORS, preflight, rate limit, ETag/304 and caching."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import get_language

from careatlas.core import page_tags
from careatlas.core.errors import too_many_requests
from careatlas.core.models import SiteVersion
from careatlas.core.ratelimit import RateLimit, Verdict, client_ip

View = Callable[..., HttpResponse]
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
EXPOSED_HEADERS = (
    "ETag, Retry-After, Content-Language, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
)
PREFLIGHT_MAX_AGE = 86400


class CachedAnswer(NamedTuple):
    body: bytes
    content_type: str
    etag: str
    version: int = 0  # the site version it was rendered at
    tags: tuple[str, ...] | None = None  # what it shows (core/page_tags.py); None: anything


def site_version(request: HttpRequest) -> SiteVersion:
    """The content version, read once per request (the caches and the view agree on it)."""
    site = getattr(request, "careatlas_site", None)
    if site is None:
        site = request.careatlas_site = SiteVersion.current()
    return site


def content_key(
    scope: str,
    request: HttpRequest,
    *,
    version: int | None = None,
    by_language: bool = True,
    variant: str = "",
) -> str:
    """A digest of an answer's scope, language, variant and full path (and `version`, if given).

    Whether a kept answer is still right is cached_render's question, not the key's.
    """
    parts = [scope, "" if version is None else str(version)]
    if by_language:
        parts.append(get_language())
    parts.append(variant)
    parts.append(request.get_full_path())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    # Weak comparison (RFC 9110 13.1.2): a proxy may have weakened our tag in transit.
    return "*" in wanted or etag in {tag.removeprefix("W/") for tag in wanted}


def cached_render(
    request: HttpRequest, digest: str, render: Callable[[], HttpResponse], etag: str = ""
) -> HttpResponse:
    """The answer kept under a content_key digest while nothing it shows has changed since
    (core/page_tags.py), else `render()`'s, kept if a plain 200.

    The answer carries `etag`, or a hash of its body when none is given. A kept answer gives
    the request the tags its render named, so a cache above it keeps them too.
    """
    key = f"public:{digest}"
    version = site_version(request).version  # read before the render: see SharedPageMiddleware
    cached = cache.get(key)
    if cached is not None:
        answer = CachedAnswer(*cached)
        if page_tags.known(version).fresh(answer.version, answer.tags):
            if answer.tags is not None:
                page_tags.depends_on(request, *answer.tags)
            response = HttpResponse(answer.body, content_type=answer.content_type)
            response["ETag"] = answer.etag
            return response
    response = render()
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render"):
        response.render()
    response["ETag"] = etag or body_etag(response.content)
    answer = CachedAnswer(
        response.content,
        response["Content-Type"],
        response["ETag"],
        version,
        page_tags.declared(request),
    )
    cache.set(key, tuple(answer), settings.PAGE_CACHE_SECONDS)
    return response


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data: any origin may read it, and no credentials are ever honoured
    # (no Allow-Credentials, and the APIs read no cookie or session).
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    # The site sends "same-origin" for everything else; API answers are meant to be shared.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


class ReadOnlyApi:
    """One public, read-only API (the JSON API, FHIR): subclasses say how its errors look.

    Wrapping URL patterns (rather than a site-wide middleware) keeps these rules on the APIs
    only: the HTML site keeps its own caching, same-origin resource policy and CSP.
    """

    scope = ""  # names the rate-limit counter and the cache keys
    # Request headers a cross-origin script may send beyond the CORS-safelisted ones.
    allowed_headers = "Accept, Accept-Language, If-None-Match"
    answers_by_language = True  # False where an answer reads the same in every language

    def method_not_allowed(self) -> HttpResponse:
        raise NotImplementedError

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        """An error answer for a request no view should see (e.g. an unservable format)."""
        return None

    def content_language(self, response: HttpResponse) -> str:
        return get_language()

    def cache_variant(self, request: HttpRequest) -> str:
        """What else than the path and language an answer depends on (e.g. a header)."""
        return ""

    def rate_limit(self) -> RateLimit:
        # Read per request, so tests and operators can change the setting without a restart.
        return RateLimit.per_minute(self.scope, settings.API_RATE_LIMIT_PER_MINUTE)

    def preflight(self) -> HttpResponse:
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = self.allowed_headers
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        return _cors(response)

    def answer(self, view: View, request: HttpRequest, args, kwargs) -> HttpResponse:
        """Method check, rate limit, refusal, then the cached view, 304 and HEAD."""
        if request.method not in ("GET", "HEAD"):
            response = self.method_not_allowed()
            response["Allow"] = ALLOWED_METHODS
            return self.finish(response, None)
        verdict = self.rate_limit().take(client_ip(request))
        if not verdict.allowed:
            refused = too_many_requests(request, verdict.limit, verdict.retry_after)
            return self.finish(refused, verdict)
        head = request.method == "HEAD"
        response = self.refusal(request)
        if response is None:
            request.method = "GET"  # the views declare GET; HEAD is GET without a body
            digest = content_key(
                self.scope,
                request,
                by_language=self.answers_by_language,
                variant=self.cache_variant(request),
            )
            response = cached_render(request, digest, lambda: view(request, *args, **kwargs))
        etag = response.get("ETag")
        if etag and etag_matches(request, etag):
            response = HttpResponseNotModified()
            response["ETag"] = etag
        elif head:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return self.finish(response, verdict)

    def finish(self, response: HttpResponse, verdict: Verdict | None) -> HttpResponse:
        if verdict is not None and verdict.limit:
            response["RateLimit-Limit"] = str(verdict.limit)
            response["RateLimit-Remaining"] = str(verdict.remaining)
            response["RateLimit-Reset"] = str(verdict.retry_after)
        status = response.status_code
        if status in (405, 429) or status >= 500:
            patch_cache_control(response, no_store=True)
        else:
            # Answers, including "no such thing" and "bad parameter", are the same for everyone.
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        response["Content-Language"] = self.content_language(response)
        # The pages are what search engines should list, not their JSON twins.
        response["X-Robots-Tag"] = "noindex"
        return _cors(response)

    def endpoint(self, view: View) -> View:
        """Wrap one URL pattern's view with the rules above."""

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                return self.preflight()
            return self.answer(view, request, args, kwargs)

        return wrapper
