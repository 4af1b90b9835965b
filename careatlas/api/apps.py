"""The public read-only JSON API (/api/v1/)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "careatlas.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # Imported here, Django's idiom: the API modules import models, not loaded before now.
        from careatlas.api.http import refusal
        from careatlas.core.errors import register_error_renderer

        register_error_renderer("/api/", refusal)
