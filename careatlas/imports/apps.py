"""Loading public data files (NPPES, NUCC, CMS) into the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "careatlas.imports"
    label = "imports"
    verbose_name = _("Data imports")

    def ready(self):
        # Imported here, Django's idiom: these modules read ImportRun, not loaded before now.
        from careatlas.core import health, metrics
        from careatlas.imports import gauges
        from careatlas.imports.bulk_load import unfinished_warning

        # Searches without their indexes are slow enough to time out: a server should not
        # take traffic until the load that set them aside has put them back.
        health.register(unfinished_warning, blocks_readiness=True)
        metrics.register_gauge(
            "careatlas_import_rows_read",
            "Rows read so far by each running (or interrupted) import.",
            ("run", "kind"),
            gauges.rows_read,
        )
        metrics.register_gauge(
            "careatlas_import_file_fraction_read",
            "Share of its file each running import has committed (0 to 1).",
            ("run", "kind"),
            gauges.file_fraction_read,
        )
        metrics.register_gauge(
            "careatlas_bulk_loads_unfinished",
            "Bulk loads whose indexes and foreign keys are still set aside.",
            (),
            gauges.unfinished_bulk_loads,
        )
