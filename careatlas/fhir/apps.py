"""The FHIR R4 provider directory (Da Vinci Plan-Net) at /fhir/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "careatlas.fhir"
    label = "fhir"
    verbose_name = _("FHIR directory")

    def ready(self):
        # Imported here, Django's idiom: the FHIR modules import models, not loaded before now.
        from careatlas.core.errors import register_error_renderer
        from careatlas.fhir.http import refusal_outcome

        register_error_renderer("/fhir/", refusal_outcome)
