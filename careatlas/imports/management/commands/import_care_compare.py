"""manage.py import_care_compare FILE: CMS Care Compare clinicians (the DAC national file)."""

from django.core.management.base import CommandParser

from careatlas.imports.care_compare import CareCompareImporter
from careatlas.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the CMS Doctors and Clinicians National Downloadable File: medical school, "
        "graduation year, group practice, hospital affiliations, Medicare assignment and "
        "practice addresses, joined on NPI (clinicians not yet in the directory are created)."
    )
    source_class = CareCompareImporter

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-date",
            metavar="YYYY-MM-DD",
            help="When CMS published the file; verifications carry this date (default: today).",
        )
