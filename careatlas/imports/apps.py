"""Loading public data files (NPPES, NUCC, CMS) into the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "careatlas.imports"
    label = "imports"
    verbose_name = _("Data imports")
