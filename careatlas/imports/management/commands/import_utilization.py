"""manage.py import_utilization FILE --year YYYY: CMS Medicare claims volumes per procedure."""

from django.core.management.base import CommandParser

from careatlas.imports.command import ImportCommand
from careatlas.imports.utilization.importer import UtilizationImporter


class Command(ImportCommand):
    help = (
        'Import the CMS "Medicare Physician & Other Practitioners - by Provider and Service" '
        "file for one data year: services per practitioner and procedure, the procedures they "
        "offer (verified by claims data) and national figures for guide editors."
    )
    source_class = UtilizationImporter

    file_help = "The CSV file (or the ZIP as downloaded)."
    dry_run_help = "Check every row and report what would change, without writing anything."

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="The data year the file covers, e.g. 2023."
        )
