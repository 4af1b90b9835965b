"""Loading public data files (NPPES, NUCC, CMS) into the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "careatlas.imports"
    label = "imports"
    verbose_name = _("Data imports")

    def ready(self):
        # Imported here, Django's idiom: bulk_load reads ImportRun, not loaded before now.
        from careatlas.core import health
        from careatlas.imports.bulk_load import unfinished_warning

        health.register(unfinished_warning)
