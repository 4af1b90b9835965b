"""The FHIR R4 provider directory (Da Vinci Plan-Net) at /fhir/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "careatlas.fhir"
    label = "fhir"
    verbose_name = _("FHIR directory")

    def ready(self):
        # Imported here, Django's idiom: the FHIR modules import models, not loaded before now.
        from careatlas.core.bounds import register_error_renderer
        from careatlas.fhir.http import outcome_response
        from careatlas.fhir.outcomes import FhirError

        register_error_renderer(
            "/fhir/", lambda status, message: outcome_response(FhirError(message, status=status))
        )
