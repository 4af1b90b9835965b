"""manage.py import_nucc FILE: the NUCC taxonomy code set, mapped onto our specialties."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandParser

from careatlas.imports.cms_command import BadFile, ImportCommand
from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportKind
from careatlas.imports.nucc import NuccImporter, check_version, load_rules, version_from_name


class Command(ImportCommand):
    help = (
        "Import the NUCC Health Care Provider Taxonomy CSV (nucc_taxonomy_251.csv) and map its "
        "codes onto the specialties of the content pack (specialties.yaml)."
    )
    kind = ImportKind.NUCC
    label = "NUCC taxonomy"
    importer_class = NuccImporter

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

    def prepare(self, source: SourceFile, options: dict) -> dict:
        version = options["code_set_version"] or version_from_name(source.path)
        if not version:
            raise BadFile(
                f"{source.path}: cannot tell the code set version from the file name; "
                "pass --version, e.g. --version 25.1"
            )
        options["version"] = check_version(version)
        options["rules"] = load_rules(Path(options["content_dir"]))
        return {"version": options["version"]}
