"""The public read-only JSON API (/api/v1/)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "careatlas.api"
    label = "api"
    verbose_name = _("JSON API")
