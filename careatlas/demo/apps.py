"""The demo app: only its management commands; no models, views or URLs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "careatlas.demo"
    label = "demo"
    verbose_name = _("Demo and synthetic data")
