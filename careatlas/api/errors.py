"""The API's one error shape, {"error": {"code", "message", "field", "details"}}, and the
handlers that turn every failure (bad parameter, unknown object, crash) into it."""

import logging
from collections.abc import Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError

logger = logging.getLogger(__name__)

# Stable, documented values of error.code; clients switch on these, never on the message.
INVALID_PARAMETER = "invalid_parameter"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
RATE_LIMITED = "rate_limited"
SERVER_ERROR = "server_error"


class FieldError(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorBody(FieldError):
    details: list[FieldError] = []


class ErrorOut(Schema):
    """What every 4xx and 5xx answer holds."""

    error: ErrorBody


class ApiError(Exception):
    """Raised by an endpoint to answer with the error shape and a status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        details: Iterable[FieldError] = (),
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.details = list(details)

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message, self.field, self.details)


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    details: Iterable[FieldError] = (),
) -> JsonResponse:
    body = ErrorBody(code=code, message=message, field=field, details=list(details))
    return JsonResponse(
        {"error": body.model_dump()}, status=status, content_type="application/json; charset=utf-8"
    )


def invalid_form(form: forms.Form) -> ApiError:
    """A 400 naming the first invalid field, with every field's errors in `details`.

    The codes in `details` are Django's (invalid_choice, max_length, unresolved...), so a
    client can tell "not a ZIP we know" from "not one of the listed radii".
    """
    details = [
        FieldError(
            code=error.code or "invalid",
            message=" ".join(error.messages),
            field=None if name == NON_FIELD_ERRORS else name,
        )
        for name, errors in form.errors.as_data().items()
        for error in errors
    ]
    first = details[0]
    return ApiError(400, INVALID_PARAMETER, first.message, first.field, details)


def _parameter_message(error: dict) -> str:
    """Our own (translated) words for the pydantic errors our parameters can raise."""
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_too_long":
        return _("Use at most %(max)s characters.") % {"max": context.get("max_length")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Enter %(min)s or more.") % {"min": context.get("ge")}
    if kind == "less_than_equal":
        return _("Enter %(max)s or less.") % {"max": context.get("le")}
    if kind == "missing":
        return _("This parameter is required.")
    return str(error.get("msg", _("This value is not valid.")))


def invalid_parameters(exc: ParameterError) -> ApiError:
    details = [
        FieldError(
            code=error.get("type", "invalid"),
            message=_parameter_message(error),
            field=str(error["loc"][-1]) if error.get("loc") else None,
        )
        for error in exc.errors
    ]
    first = details[0]
    return ApiError(400, INVALID_PARAMETER, first.message, first.field, details)


def not_found(message: str = "") -> ApiError:
    return ApiError(404, NOT_FOUND, message or _("Nothing is published at this address."))


def install_handlers(api: NinjaAPI) -> None:
    """Every exception an endpoint can raise ends as the error shape, never as HTML."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return exc.response()

    def on_parameters(request: HttpRequest, exc: ParameterError) -> HttpResponse:
        return invalid_parameters(exc).response()

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return not_found(str(exc) if exc.args else "").response()

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = NOT_FOUND if exc.status_code == 404 else INVALID_PARAMETER
        return error_response(exc.status_code, code, exc.message)

    def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Handled here, so Django would not log it: log it ourselves, with the traceback.
        logger.exception("API error on %s", request.path)
        return error_response(500, SERVER_ERROR, _("Something went wrong on our side."))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ParameterError, on_parameters)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_crash)


def documented(ok: type[Schema], *, can_be_missing: bool = False) -> dict:
    """The `response=` map of an endpoint: its 200 shape and the error shape of its 4xx."""
    # 414: core.bounds refuses a query string longer than its limit, before any view runs.
    responses: dict = {200: ok, 400: ErrorOut, 414: ErrorOut, 429: ErrorOut}
    if can_be_missing:
        responses[404] = ErrorOut
    return responses


def openapi_extra() -> dict:
    """Headers and the 304 every endpoint has; a fresh dict each time, ninja merges in place."""
    return {
        "responses": {
            200: {
                "headers": {
                    "ETag": {
                        "description": "Send it back in If-None-Match to get a 304.",
                        "schema": {"type": "string"},
                    },
                    "Cache-Control": {"schema": {"type": "string"}},
                }
            },
            304: {"description": "Not modified: If-None-Match named the current ETag"},
            429: {
                "description": "Rate limited: too many requests from this address",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds until the limit resets.",
                        "schema": {"type": "integer"},
                    }
                },
            },
        }
    }
