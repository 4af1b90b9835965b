"""App configuration for consultation requests."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "careatlas.consultations"
    verbose_name = _("Consultation requests")
    default_auto_field = "django.db.models.BigAutoField"
