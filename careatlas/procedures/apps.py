"""Procedure guides: specialties, conditions, procedures, sources and their editorial workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "careatlas.procedures"
    label = "procedures"
    verbose_name = _("Procedure guides")
