"""App configuration for patient reviews."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "careatlas.reviews"
    verbose_name = _("Patient reviews")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from careatlas.consultations.signals import status_changed
        from careatlas.reviews.links import on_status_changed

        status_changed.connect(on_status_changed, dispatch_uid="reviews.offer_link")
