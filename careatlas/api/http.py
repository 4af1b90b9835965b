"""The JSON API's rules on top of the shared read-only layer: its error shape and headers."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from careatlas.api.errors import (
    INVALID_PARAMETER,
    METHOD_NOT_ALLOWED,
    RATE_LIMITED,
    error_response,
)
from careatlas.api.language import request_language
from careatlas.core.http import ReadOnlyApi, View


class JsonApi(ReadOnlyApi):
    scope = "api"
    allowed_headers = "Accept, Accept-Language, Content-Language, If-None-Match"

    def answer(self, view: View, request: HttpRequest, args, kwargs) -> HttpResponse:
        """In the language asked for: data, labels, error messages and Content-Language."""
        with translation.override(request_language(request)):
            response = super().answer(view, request, args, kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def method_not_allowed(self) -> HttpResponse:
        return error_response(
            405, METHOD_NOT_ALLOWED, _("This API is read-only: use GET (or HEAD, OPTIONS).")
        )


api_endpoint = JsonApi().endpoint


def refusal(status: int, message: str) -> HttpResponse:
    """The API's shape of a refusal made by core (request bounds, rate limit)."""
    return error_response(status, RATE_LIMITED if status == 429 else INVALID_PARAMETER, message)
