"""The FHIR R4 provider directory (Da Vinci Plan-Net) at /fhir/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "careatlas.fhir"
    label = "fhir"
    verbose_name = _("FHIR directory")
