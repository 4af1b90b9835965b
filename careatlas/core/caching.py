"""Server-side page cache and HTTP validators for anonymous GETs of public pages."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

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
        site = SiteVersion.current()
        key_source = f"{site.version}|{get_language()}|{request.get_full_path()}"
        digest = hashlib.sha256(key_source.encode()).hexdigest()[:32]
        etag = f'"{digest}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            cached = cache.get(f"page:{digest}")
            if cached is not None:
                body, content_type = cached
                response = HttpResponse(body, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                if hasattr(response, "render"):
                    response.render()
                cache.set(
                    f"page:{digest}",
                    (response.content, response["Content-Type"]),
                    settings.PAGE_CACHE_SECONDS,
                )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(site.changed_at.timestamp())
        patch_cache_control(response, public=True, max_age=settings.BROWSER_CACHE_SECONDS)
        return response

    return wrapper
