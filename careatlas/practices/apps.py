"""Practices: claiming a provider profile, proving control of it, and its office team."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "careatlas.practices"
    label = "practices"
    verbose_name = _("Practices and claims")
