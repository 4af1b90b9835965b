"""The provider directory (verified practitioners and where they practise)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "careatlas.providers"
    label = "providers"
    verbose_name = _("Provider directory")
