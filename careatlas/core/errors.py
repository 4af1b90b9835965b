"""Refusals (400, 414, 429) in the shape each client reads: an HTML page, JSON or FHIR."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Apps whose clients expect errors in their own shape register a renderer for their path
# prefix in AppConfig.ready() (the JSON API, FHIR), so `core` imports no app; every other
# path is a page a person reads.
Renderer = Callable[[int, str], HttpResponse]
_renderers: dict[str, Renderer] = {}


def register_error_renderer(prefix: str, renderer: Renderer) -> None:
    _renderers[prefix] = renderer


def page_language(request: HttpRequest) -> str:
    """The language LocaleMiddleware will pick: the path's prefix, else the default.

    Refusals made before LocaleMiddleware runs (the request bounds) use it to speak the
    page's language.
    """
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def error_response(
    request: HttpRequest,
    status: int,
    message: str,
    *,
    title: str = "",
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """`message` says what to change; `title` heads the HTML page (a default per status)."""
    renderer = next((r for p, r in _renderers.items() if request.path.startswith(p)), None)
    if renderer is not None:
        response = renderer(status, message)
    else:
        response = _error_page(request, status, message, title)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def too_many_requests(
    request: HttpRequest, limit: int, retry_after: int, *, title: str = ""
) -> HttpResponse:
    """429 with Retry-After, for every per-minute limit (search pages, JSON API, FHIR)."""
    message = ngettext(
        "Too many requests from your address: at most %(limit)s a minute. "
        "Try again in %(seconds)s second.",
        "Too many requests from your address: at most %(limit)s a minute. "
        "Try again in %(seconds)s seconds.",
        retry_after,
    ) % {"limit": limit, "seconds": retry_after}
    return error_response(
        request, 429, message, title=title, headers={"Retry-After": str(retry_after)}
    )


def too_many_attempts(request: HttpRequest, template_name: str, retry_after: int) -> HttpResponse:
    """429 with Retry-After for a lockout counted in minutes (sign-in, claims, requests).

    `template_name` extends core/too_many_requests.html and says what was paused and why.
    """
    context = {"retry_after": retry_after, "minutes": max(1, round(retry_after / 60))}
    response = render(request, template_name, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _error_page(request: HttpRequest, status: int, message: str, title: str) -> HttpResponse:
    with translation.override(page_language(request)):
        titles = {
            414: _("This address is too long"),
            429: _("Too many requests for now"),
        }
        context = {
            "title": title or titles.get(status, _("This request cannot be answered")),
            "message": message,
            "status": status,
        }
        return render(request, "core/error.html", context, status=status)
