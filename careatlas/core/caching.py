"""Server-side page cache and HTTP validators for anonymous GETs of public pages."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from careatlas.core import metrics, page_tags
from careatlas.core.compression import negotiated_encoding
from careatlas.core.http import cached_render, content_key, etag_matches, site_version
from careatlas.core.languages import language_offer_key
from careatlas.core.ratelimit import RATE_LIMITED_BY, RateLimit, client_ip, remember_verdict

# Set on a response every anonymous visitor may be given as it is (see SharedPageMiddleware).
SHAREABLE = "careatlas_shareable"


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user and user.is_authenticated)


def public_page(
    view: Callable[..., HttpResponse] | None = None, *, depends_on: tuple[str, ...] | None = None
):
    """Cache a public view's rendered page, keyed by the site content version.

    Anonymous visitors get ETag, Last-Modified and Cache-Control: public. Signed-in
    users (editors) always get a fresh, private render. `depends_on` names the tags the
    page shows (core/page_tags.py); a view may add more with page_tags.depends_on, and a
    page that names none is retired by every change.
    """
    if view is None:
        return lambda view: public_page(view, depends_on=depends_on)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if depends_on is not None:
            page_tags.depends_on(request, *depends_on)
        # The tag names the version, language and path, so a 304 needs no render at all.
        site = site_version(request)
        digest = content_key(
            "page", request, version=site.version, variant=language_offer_key(request)
        )
        etag = f'"{digest}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = cached_render(request, digest, lambda: view(request, *args, **kwargs), etag)
            if response.status_code != 200 or response.streaming:
                return response
        response["ETag"] = etag
        response["Last-Modified"] = http_date(site.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=settings.BROWSER_CACHE_SECONDS)
        setattr(response, SHAREABLE, True)
        return response

    return wrapper


class SharedAnswer(NamedTuple):
    """A public page's final status, headers and bytes, as the stack below gave them."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    rate_limit: tuple[str, str] | None  # (scope, setting) of the view's per-minute limit
    route: str = ""  # the URL pattern's name, for the metrics of a replay
    version: int = 0  # the site version it was rendered at
    tags: tuple[str, ...] | None = None  # what it shows (core/page_tags.py); None: anything


class SharedPageMiddleware:
    """Answer a repeat anonymous GET or HEAD of a public page before the rest of the stack.

    The cached guide page spent two thirds of its server time in middleware (CSP built its
    header twice, URL resolution, locale, session and auth lookups) redoing work whose result
    was the same for every anonymous visitor: 0.65x a bare Django app's requests/s. Here the
    first answer to a visitor without a session cookie is kept whole, every header included,
    and replayed to the next one. Keyed by negotiated encoding and full path (the path decides
    the language: unprefixed paths are always LANGUAGE_CODE), so another language or another
    encoding never gets the wrong copy; a copy is replayed only while none of the tags it was
    kept with changed since it was rendered (core/page_tags.py), so a write retires only the
    pages that show what it changed. A session cookie (the
    only way to be signed in) skips it, a view's rate limit is still counted, and a response
    that sets a cookie is never kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _anonymous_read(request):
            return self.get_response(request)
        key = _shared_key(request)
        # Read before the render, so a change made during it leaves the copy retired.
        request.careatlas_rendered_at = site_version(request).version
        replay = _replay(request, key)
        request.careatlas_page_cache = "miss" if replay is None else "hit"
        metrics.PAGE_CACHE.labels(request.careatlas_page_cache).inc()
        if replay is not None:
            return replay
        response = self.get_response(request)
        _keep(request, key, response)
        return response


# Asked by load balancers and Prometheus; never cached, and a replay would first read the
# content version from the database, which /livez must answer without.
_OPERATIONAL_PATHS = frozenset({"/livez", "/readyz", "/healthz", "/metrics"})


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path_info not in _OPERATIONAL_PATHS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(settings.STATIC_URL)
        and _allowed_host(request)
    )


def _allowed_host(request: HttpRequest) -> bool:
    # CommonMiddleware refuses a Host outside ALLOWED_HOSTS with a 400; a replay must too.
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _shared_key(request: HttpRequest) -> str:
    """Everything but the content an anonymous answer varies by; freshness is _replay's."""
    offer = language_offer_key(request)  # an English page may offer Spanish to some visitors
    raw = f"{negotiated_encoding(request)}|{offer}|{request.get_full_path()}"
    return "shared-page:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _replay(request: HttpRequest, key: str) -> HttpResponse | None:
    """The kept answer for this request, or None to let the stack answer it."""
    stored = cache.get(key)
    if stored is None:
        return None
    answer = SharedAnswer(*stored)
    request.careatlas_route = answer.route
    if not _fresh(request, answer):
        return None
    if answer.rate_limit and not _within_limit(request, *answer.rate_limit):
        return None  # the view's own limit answers 429, with this request already counted
    if "HTTP_IF_NONE_MATCH" in request.META and etag_matches(request, _etag(answer)):
        not_modified = cache.get(key + ":304")
        if not_modified is None or not _fresh(request, SharedAnswer(*not_modified)):
            return None
        return _response(SharedAnswer(*not_modified))
    return _response(answer)


def _fresh(request: HttpRequest, answer: SharedAnswer) -> bool:
    known = page_tags.known(request.careatlas_rendered_at)
    return known.fresh(answer.version, answer.tags)


def _etag(answer: SharedAnswer) -> str:
    # The strong tag: a gzipped copy carries it weakened, and clients may send either.
    return dict(answer.headers).get("ETag", "").removeprefix("W/")


def _within_limit(request: HttpRequest, scope: str, setting: str) -> bool:
    verdict = RateLimit.per_minute(scope, getattr(settings, setting)).take(client_ip(request))
    remember_verdict(request, scope, verdict)
    return verdict.allowed


def _response(answer: SharedAnswer) -> HttpResponse:
    if answer.status == 304:
        return HttpResponseNotModified(headers=answer.headers)
    return HttpResponse(answer.body, status=answer.status, headers=answer.headers)


def _keep(request: HttpRequest, key: str, response: HttpResponse) -> None:
    if (
        not getattr(response, SHAREABLE, False)
        or response.status_code not in (200, 304)
        or response.streaming
        or response.cookies
    ):
        return
    answer = SharedAnswer(
        response.status_code,
        tuple(response.items()),
        response.content,
        getattr(response, RATE_LIMITED_BY, None),
        getattr(request.resolver_match, "view_name", "") or "",
        request.careatlas_rendered_at,
        page_tags.declared(request),
    )
    suffix = ":304" if response.status_code == 304 else ""
    cache.set(key + suffix, tuple(answer), settings.PAGE_CACHE_SECONDS)
