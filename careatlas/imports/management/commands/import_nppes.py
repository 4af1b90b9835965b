"""manage.py import_nppes: the NPPES registry file (monthly full or weekly) into the directory."""

import datetime

from django.core.management.base import CommandError, CommandParser

from careatlas.imports.command import ImportCommand
from careatlas.imports.nppes.importer import BATCH_ROWS, NppesImporter, NppesOptions


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--data-date must be a date such as 2025-06-08, not {value!r}"
        ) from None


_BULK_LOAD = {"auto": None, "yes": True, "no": False}


class Command(ImportCommand):
    help = (
        "Import an NPPES data file (npidata_pfile_*.csv, or the .zip as downloaded; monthly "
        "full or weekly incremental, V2 layout). Re-running an interrupted import resumes it; "
        "importing the same file again changes nothing."
    )

    file_help = "npidata_pfile_YYYYMMDD-YYYYMMDD.csv or the NPPES .zip"

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-date",
            type=_day,
            help="The day the file's data is from (YYYY-MM-DD), used as the verification "
            "date. Default: the end date in the file name, else the latest Last Update Date.",
        )
        parser.add_argument(
            "--skip-taxonomy-check",
            action="store_true",
            help="Accept any well-formed taxonomy code (when the NUCC code set is not loaded).",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Rewrite every row, even those unchanged since the last import.",
        )
        parser.add_argument(
            "--batch-rows",
            type=int,
            default=None,
            help="Rows per transaction and checkpoint (default: "
            + ", ".join(f"{rows:,} on {vendor}" for vendor, rows in BATCH_ROWS.items())
            + ").",
        )

        parser.add_argument(
            "--bulk-load",
            choices=sorted(_BULK_LOAD),
            default="auto",
            help="Drop the non-unique indexes of the tables the import writes and set their "
            "foreign keys aside (PostgreSQL drops them, SQLite stops checking them on the "
            "importing connection), then build and check them again after the rows: much "
            "faster for a big load. 'auto' (default): for a first import of a file over 50 MB.",
        )

    def source(self, options: dict) -> NppesImporter:
        settings = NppesOptions(
            data_date=options["data_date"],
            skip_taxonomy_check=options["skip_taxonomy_check"],
            refresh=options["refresh"],
            batch_rows=options["batch_rows"],
            bulk_load=_BULK_LOAD[options["bulk_load"]],
        )
        return NppesImporter(options["file"], settings)
