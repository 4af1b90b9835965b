"""Limits every request meets before a view runs: sizes, repeats and characters of its input.

Views and parsers bound what they understand (FHIR words per name, page numbers, radii);
this is the floor under all of them, decided before any SQL is built. NUL bytes crash
PostgreSQL's text handling (a 500 on any parameter), and a 3.8 kB FHIR name of 1,900 words
once built a statement that ran for seconds; no public entry point needs either.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from careatlas.core.errors import error_response, page_language

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestBoundsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Nothing to read in a plain GET of a clean path: the cached pages' fast way through.
        plain = not request.META.get("QUERY_STRING") and request.method in ("GET", "HEAD")
        if plain and "\x00" not in request.path:
            return self.get_response(request)
        # LocaleMiddleware has not run yet: refusals speak the page's language themselves.
        with translation.override(page_language(request)):
            problem = out_of_bounds(request)
            if problem:
                status, message = problem
                return error_response(request, status, message)
        return self.get_response(request)


def out_of_bounds(request: HttpRequest) -> tuple[int, str] | None:
    """(status, message) for the first limit the request breaks, or None."""
    if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_BYTES:
        return 414, _("The address is too long: at most %(limit)s characters of parameters.") % {
            "limit": settings.MAX_QUERY_STRING_BYTES
        }
    if "\x00" in request.path:
        return 400, _("The address contains a NUL character.")
    # Django caps form fields in memory but not files, which it spools to disk: a body is
    # refused by its declared length before anything parses it.
    if request.method == "POST" and _content_length(request) > settings.MAX_UPLOAD_BYTES:
        return 413, _("The upload is too large: at most %(mb)s MB in all.") % {
            "mb": settings.MAX_UPLOAD_BYTES // 2**20
        }
    # Form fields may be longer than address parameters: a patient's message runs to
    # 2,000 characters, which a search never needs.
    sources = [(request.GET, settings.MAX_PARAMETER_CHARS)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append((request.POST, settings.MAX_FORM_FIELD_CHARS))
    for data, limit in sources:
        problem = _check_fields(data, limit)
        if problem:
            return 400, problem
    return None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads it: an unreadable length is an empty body


def _check_fields(data: QueryDict, limit: int) -> str | None:
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return _("Parameter “%(name)s” contains a NUL character.") % {"name": key[:40]}
        if len(values) > settings.MAX_PARAMETER_REPEATS:
            return _("Parameter “%(name)s” is repeated more than %(limit)s times.") % {
                "name": key[:40],
                "limit": settings.MAX_PARAMETER_REPEATS,
            }
        if any(len(value) > limit for value in values):
            return _("Parameter “%(name)s” is longer than %(limit)s characters.") % {
                "name": key[:40],
                "limit": limit,
            }
    return None
