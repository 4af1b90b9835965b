"""manage.py import_hospitals FILE [--coordinates HIFLD_FILE]: CMS hospitals and their places."""

from pathlib import Path

from django.core.management.base import CommandParser

from careatlas.imports.cms_command import ImportCommand
from careatlas.imports.files import SourceFile, describe_file
from careatlas.imports.hifld import HospitalPoints
from careatlas.imports.hospitals import HospitalImporter
from careatlas.imports.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import CMS Hospital General Information as hospital organizations and locations; "
        "coordinates from the HIFLD hospitals file when given, else the ZIP centroid."
    )
    kind = ImportKind.HOSPITALS
    label = "CMS hospitals"
    importer_class = HospitalImporter

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--coordinates",
            metavar="HIFLD_FILE",
            help="HIFLD hospitals CSV (LATITUDE/LONGITUDE) to place hospitals precisely.",
        )

    def prepare(self, source: SourceFile, options: dict) -> dict:
        if not options.get("coordinates"):
            return {}
        hifld = describe_file(options["coordinates"])
        options["points"] = HospitalPoints.read(Path(hifld.path))
        # A different coordinates file is a different import, not a resume of this one.
        return {"coordinates_sha256": hifld.sha256}
