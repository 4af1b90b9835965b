"""Server-side page cache and HTTP validators for anonymous GETs of public pages."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from careatlas.core.http import cached_render, content_key, etag_matches
from careatlas.core.models import SiteVersion


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user and user.is_authenticated)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public view's rendered page, keyed by the site content version.

    Anonymous visitors get ETag, Last-Modified and Cache-Control: public. Signed-in
    users (editors) always get a fresh, private render.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # The tag names the version, language and path, so a 304 needs no render at all.
        site = SiteVersion.current()
        digest = content_key("page", site.version, request)
        etag = f'"{digest}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = cached_render(digest, lambda: view(request, *args, **kwargs), etag)
            if response.status_code != 200 or response.streaming:
                return response
        response["ETag"] = etag
        response["Last-Modified"] = http_date(site.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=settings.BROWSER_CACHE_SECONDS)
        return response

    return wrapper
