"""manage.py import_care_compare FILE: CMS Care Compare clinicians (the DAC national file)."""

import datetime

from django.core.management.base import CommandParser
from django.utils import timezone

from careatlas.imports.care_compare import CareCompareImporter
from careatlas.imports.cms_command import BadFile, ImportCommand
from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import the CMS Doctors and Clinicians National Downloadable File: medical school, "
        "graduation year, group practice, hospital affiliations, Medicare assignment and "
        "practice addresses, joined on NPI (clinicians not yet in the directory are created)."
    )
    kind = ImportKind.CARE_COMPARE
    label = "Care Compare"
    importer_class = CareCompareImporter

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-date",
            metavar="YYYY-MM-DD",
            help="When CMS published the file; verifications carry this date (default: today).",
        )

    def prepare(self, source: SourceFile, options: dict) -> dict:
        given = options.get("data_date")
        if given:
            try:
                options["data_date"] = datetime.date.fromisoformat(given)
            except ValueError:
                raise BadFile(f"--data-date {given!r} is not a date such as 2025-06-01") from None
            if options["data_date"] > timezone.localdate():
                raise BadFile(f"--data-date {given} is in the future")
            return {"data_date": given}
        options["data_date"] = timezone.localdate()
        return {}
