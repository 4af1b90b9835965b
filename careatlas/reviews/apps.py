"""App configuration for patient reviews."""

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "careatlas.reviews"
    verbose_name = _("Patient reviews")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from careatlas.consultations.signals import status_changed
        from careatlas.reviews.links import on_status_changed
        from careatlas.reviews.logs import RedactReviewTokens

        status_changed.connect(on_status_changed, dispatch_uid="reviews.offer_link")
        # Django logs the path of every 4xx answer ("Not Found: /reviews/link/<token>/"), and
        # runserver every request: a review link's token must never reach a log.
        for name in ("django.request", "django.server"):
            logging.getLogger(name).addFilter(RedactReviewTokens())
