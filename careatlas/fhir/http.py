"""FHIR's rules on top of the shared read-only layer: application/fhir+json, errors as
OperationOutcomes, `_format`/Accept negotiation, and diagnostics in the client's language."""

import json
import logging
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from careatlas.core.http import ReadOnlyApi, View
from careatlas.fhir.outcomes import FhirError, operation_outcome

logger = logging.getLogger(__name__)
FHIR_JSON = "application/fhir+json"
_JSON_FORMATS = {"json", "application/json", FHIR_JSON}
LANGUAGE = settings.LANGUAGE_CODE
_ACCEPTABLE = {FHIR_JSON, "application/json", "application/*", "*/*"}
# Without `Prefer: handling=...`, unknown parameters are refused: a misspelt parameter
# silently ignored would answer with the whole directory (ADR 0009, ADR 0020).
DEFAULT_HANDLING = "strict"


def handling(request: HttpRequest) -> str:
    """`strict` or `lenient`, from the Prefer header (RFC 7240), else DEFAULT_HANDLING."""
    for preference in request.headers.get("Prefer", "").split(","):
        token, _eq, value = preference.split(";")[0].strip().partition("=")
        if token.strip().lower() == "handling" and value.strip().strip('"') in (
            "strict",
            "lenient",
        ):
            return value.strip().strip('"')
    return DEFAULT_HANDLING


def fhir_json(body: dict, status: int = 200) -> HttpResponse:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(content, status=status, content_type=FHIR_JSON)


def outcome_response(error: FhirError) -> HttpResponse:
    response = fhir_json(operation_outcome(error.diagnostics, error.code), error.status)
    for header, value in error.headers.items():
        response[header] = value
    return response


def refusal_outcome(status: int, message: str) -> HttpResponse:
    """FHIR's shape of a refusal made by core (request bounds, rate limit)."""
    code = "throttled" if status == 429 else "invalid"
    return outcome_response(FhirError(message, code=code, status=status))


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


def _as_outcomes(view: View) -> View:
    """A FHIR client reads OperationOutcomes, never Django's HTML error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except FhirError as error:
            return outcome_response(error)
        except Exception:
            # The traceback goes to the log only.
            logger.exception("FHIR request failed: %s", request.get_full_path())
            return outcome_response(
                FhirError(_("The server failed to answer. Try again later."), "exception", 500)
            )

    return wrapper


class FhirApi(ReadOnlyApi):
    scope = "fhir"  # the JSON API's per-client limit, counted separately
    allowed_headers = "Accept, Accept-Language, If-None-Match, Prefer"
    # Resources are in the site's language whoever asks; only errors follow Accept-Language,
    # and errors are never cached.
    answers_by_language = False

    def method_not_allowed(self) -> HttpResponse:
        return outcome_response(
            FhirError(
                _("This FHIR server is read-only: use GET."), code="not-supported", status=405
            )
        )

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        try:
            _negotiate(request)
        except FhirError as error:
            return outcome_response(error)
        return None

    def content_language(self, response: HttpResponse) -> str:
        return translation.get_language() if response.status_code >= 400 else LANGUAGE

    def cache_variant(self, request: HttpRequest) -> str:
        return handling(request)  # lenient and strict answer the same URL differently

    def finish(self, response: HttpResponse, verdict) -> HttpResponse:
        patch_vary_headers(response, ["Prefer"])
        return super().finish(response, verdict)

    def answer(self, view: View, request: HttpRequest, args, kwargs) -> HttpResponse:
        # /fhir/ has no language prefix, so the site's middleware stays in English;
        # diagnostics follow Accept-Language as HTTP clients expect.
        with translation.override(translation.get_language_from_request(request)):
            return super().answer(view, request, args, kwargs)

    def endpoint(self, view: View) -> View:
        """Wrap a FHIR view: it returns fhir_json(...) or raises FhirError."""
        return super().endpoint(_as_outcomes(view))


fhir_endpoint = FhirApi().endpoint
