"""manage.py import_nucc FILE: the NUCC taxonomy code set, mapped onto our specialties."""

from django.conf import settings
from django.core.management.base import CommandParser

from careatlas.imports.command import ImportCommand
from careatlas.imports.nucc import NuccImporter


class Command(ImportCommand):
    help = (
        "Import the NUCC Health Care Provider Taxonomy CSV (nucc_taxonomy_251.csv) and map its "
        "codes onto the specialties of the content pack (specialties.yaml)."
    )
    source_class = NuccImporter

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # --version names the code set version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--version",
            dest="code_set_version",
            help="Code set version, e.g. 25.1 (default: from the file name, nucc_taxonomy_251).",
        )
        parser.add_argument(
            "--content-dir",
            default=str(settings.CONTENT_DIR),
            help="Content pack whose specialties.yaml holds the mapping (default: CONTENT_DIR).",
        )
