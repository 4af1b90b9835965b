"""The JSON API's rules on top of the shared read-only layer: its error shape and headers."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from careatlas.api.errors import METHOD_NOT_ALLOWED, RATE_LIMITED, error_response
from careatlas.core.http import ReadOnlyApi
from careatlas.core.ratelimit import Verdict


class JsonApi(ReadOnlyApi):
    scope = "api"
    allowed_headers = "Accept, Accept-Language, Content-Language, If-None-Match"

    def method_not_allowed(self) -> HttpResponse:
        return error_response(
            405, METHOD_NOT_ALLOWED, _("This API is read-only: use GET (or HEAD, OPTIONS).")
        )

    def rate_limited(self, verdict: Verdict) -> HttpResponse:
        response = error_response(
            429,
            RATE_LIMITED,
            _("Too many requests from your address: at most %(limit)s a minute. Try again shortly.")
            % {"limit": verdict.limit},
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response


api_endpoint = JsonApi().endpoint
