"""The public read-only JSON API (/api/v1/)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "careatlas.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # Imported here, Django's idiom: the API modules import models, not loaded before now.
        from careatlas.api.errors import INVALID_PARAMETER, error_response
        from careatlas.core.bounds import register_error_renderer

        register_error_renderer(
            "/api/", lambda status, message: error_response(status, INVALID_PARAMETER, message)
        )
