"""What every /fhir/ answer shares: application/fhir+json, OperationOutcome for every error,
read-only methods, CORS, the per-client rate limit, and caching keyed by the content version.

It follows the JSON API's rules (careatlas.api.http) with FHIR's shapes: errors are
OperationOutcome resources, and `_format` / Accept ask for the (only) JSON representation.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _

from careatlas.core.models import SiteVersion
from careatlas.core.ratelimit import RateLimit, Verdict, client_ip
from careatlas.fhir.outcomes import FhirError, operation_outcome

logger = logging.getLogger(__name__)
FHIR_JSON = "application/fhir+json"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, Prefer"
EXPOSED_HEADERS = (
    "ETag, Retry-After, Content-Language, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
)
_JSON_FORMATS = {"json", "application/json", FHIR_JSON}
LANGUAGE = settings.LANGUAGE_CODE
_ACCEPTABLE = {FHIR_JSON, "application/json", "application/*", "*/*"}


def fhir_rate_limit() -> RateLimit:
    """The JSON API's per-client limit, counted separately for /fhir/."""
    return RateLimit.per_minute("fhir", settings.API_RATE_LIMIT_PER_MINUTE)


def fhir_json(body: dict, status: int = 200) -> HttpResponse:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(content, status=status, content_type=FHIR_JSON)


def outcome_response(error: FhirError) -> HttpResponse:
    response = fhir_json(operation_outcome(error.diagnostics, error.code), error.status)
    for header, value in error.headers.items():
        response[header] = value
    return response


def _negotiate(request: HttpRequest) -> None:
    """406 unless the client takes JSON: `_format` wins over the Accept header."""
    formats = request.GET.getlist("_format")
    if formats:
        if any(f.split(";")[0].strip() not in _JSON_FORMATS for f in formats):
            raise FhirError(
                _("Only JSON is served: use _format=json or leave _format out."),
                code="not-supported",
                status=406,
            )
        return
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return
    ranges = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if not ranges & _ACCEPTABLE:
        raise FhirError(
            _("Only %(type)s is served; send Accept: %(type)s.") % {"type": FHIR_JSON},
            code="not-supported",
            status=406,
        )


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data: any origin may read it; no credentials are ever honoured.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    return response


def _rate_limited(verdict: Verdict) -> HttpResponse:
    return outcome_response(
        FhirError(
            _("Too many requests from your address: at most %(limit)s a minute.")
            % {"limit": verdict.limit},
            code="throttled",
            status=429,
            headers={"Retry-After": str(verdict.retry_after)},
        )
    )


def _cached_render(view: Callable[..., HttpResponse], request, args, kwargs) -> HttpResponse:
    """The answer from the cache while the content version stands (any publish or directory
    edit bumps it). Errors are not cached: they are cheap and carry translated text."""
    site = SiteVersion.current()
    source = f"fhir|{site.version}|{request.get_full_path()}"
    key = "fhir:" + hashlib.sha256(source.encode()).hexdigest()[:32]
    cached = cache.get(key)
    if cached is not None:
        body, etag = cached
        response = HttpResponse(body, content_type=FHIR_JSON)
        response["ETag"] = etag
        return response
    response = view(request, *args, **kwargs)
    if response.status_code == 200:
        response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        cache.set(key, (response.content, response["ETag"]), settings.PAGE_CACHE_SECONDS)
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or etag in {tag.removeprefix("W/") for tag in wanted}


def _finish(response: HttpResponse, verdict: Verdict | None, language: str) -> HttpResponse:
    if verdict is not None and verdict.limit:
        response["RateLimit-Limit"] = str(verdict.limit)
        response["RateLimit-Remaining"] = str(verdict.remaining)
        response["RateLimit-Reset"] = str(verdict.retry_after)
    if response.status_code in (405, 429) or response.status_code >= 500:
        patch_cache_control(response, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    # Resources are in the site's language; OperationOutcomes in the client's.
    response["Content-Language"] = language if response.status_code >= 400 else LANGUAGE
    return _cors(response)


def _answer(view, request: HttpRequest, args, kwargs, language: str) -> HttpResponse:
    """Method check, rate limit, format, then the (cached) view; errors as outcomes."""
    if request.method not in ("GET", "HEAD"):
        response = outcome_response(
            FhirError(
                _("This FHIR server is read-only: use GET."),
                code="not-supported",
                status=405,
                headers={"Allow": ALLOWED_METHODS},
            )
        )
        return _finish(response, None, language)
    verdict = fhir_rate_limit().take(client_ip(request))
    if not verdict.allowed:
        return _finish(_rate_limited(verdict), verdict, language)
    try:
        _negotiate(request)
        response = _cached_render(view, request, args, kwargs)
    except FhirError as error:
        response = outcome_response(error)
    except Exception:
        # A FHIR client reads OperationOutcomes, not Django's HTML error page; the
        # traceback goes to the log only.
        logger.exception("FHIR request failed: %s", request.get_full_path())
        response = outcome_response(
            FhirError(_("The server failed to answer. Try again later."), "exception", 500)
        )
    etag = response.get("ETag")
    if etag and _not_modified(request, etag):
        response = HttpResponseNotModified()
        response["ETag"] = etag
    elif request.method == "HEAD":
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return _finish(response, verdict, language)


def fhir_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a FHIR view: it returns fhir_json(...) or raises FhirError."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(_preflight())
        # /fhir/ has no language prefix, so the site's middleware stays in English;
        # diagnostics follow Accept-Language as HTTP clients expect.
        language = translation.get_language_from_request(request)
        with translation.override(language):
            return _answer(view, request, args, kwargs, language)

    return wrapper
