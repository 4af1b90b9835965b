"""App configuration for patient reviews."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "careatlas.reviews"
    verbose_name = _("Patient reviews")
    default_auto_field = "django.db.models.BigAutoField"
