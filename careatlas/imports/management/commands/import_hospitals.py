"""manage.py import_hospitals FILE [--coordinates HIFLD_FILE]: CMS hospitals and their places."""

from django.core.management.base import CommandParser

from careatlas.imports.command import ImportCommand
from careatlas.imports.hospitals import HospitalImporter


class Command(ImportCommand):
    help = (
        "Import CMS Hospital General Information as hospital organizations and locations; "
        "coordinates from the HIFLD hospitals file when given, else the ZIP centroid."
    )
    source_class = HospitalImporter

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--coordinates",
            metavar="HIFLD_FILE",
            help="HIFLD hospitals CSV (LATITUDE/LONGITUDE) to place hospitals precisely.",
        )
