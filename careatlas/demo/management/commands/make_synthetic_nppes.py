"""manage.py make_synthetic_nppes: an NPPES data file of obviously fake providers, real layout."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careatlas.demo.nppes import (
    DEFAULT_AS_OF,
    TaxonomyChoice,
    default_file_name,
    nucc_codes_from_csv,
    write_synthetic_nppes,
)
from careatlas.providers.models import TaxonomyCode


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: give a date such as 2025-06-08, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Write a synthetic NPPES file in the real V2 layout (330 quoted columns, real header, "
        "real NUCC codes and ZIP codes, obviously fake names) for tests and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, required=True, help="data rows to write")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same file)"
        )
        parser.add_argument(
            "--out",
            help="file to write, .csv or .zip (default: npidata_pfile_20050523-<as-of>.csv here)",
        )
        parser.add_argument(
            "--bad-rows", type=int, default=0, help="rows to spoil on purpose (quarantine tests)"
        )
        parser.add_argument(
            "--latin1", action="store_true", help="encode as ISO-8859-1, like the real file"
        )
        parser.add_argument(
            "--as-of",
            type=_day,
            default=DEFAULT_AS_OF,
            help="the day the data is from: the latest date in the file and the date in its "
            "default name (default %(default)s)",
        )
        parser.add_argument(
            "--nucc",
            metavar="CSV",
            help="NUCC taxonomy CSV to draw codes from (default: the imported code set)",
        )

    def handle(self, *args, rows, seed, out, bad_rows, latin1, as_of, nucc, **options) -> None:
        if rows < 0 or bad_rows < 0:
            raise CommandError("--rows and --bad-rows must be zero or more.")
        codes = self._codes(nucc)
        path = Path(out or default_file_name(as_of))
        try:
            result = write_synthetic_nppes(
                path, rows, seed, codes, bad_rows=bad_rows, latin1=latin1, as_of=as_of
            )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        self.stdout.write(
            f"{result.path}: {result.rows:,} rows, {result.bytes / 1e6:,.1f} MB, "
            f"{len(result.planted)} bad rows planted, data date {result.data_date}."
        )
        if result.planted and options["verbosity"] >= 2:
            for line, kind in result.planted.items():
                self.stdout.write(f"  line {line}: {kind}")

    def _codes(self, nucc: str | None) -> list[TaxonomyChoice]:
        if nucc:
            try:
                return nucc_codes_from_csv(nucc)
            except (OSError, KeyError) as error:
                raise CommandError(f"{nucc}: not a readable NUCC taxonomy CSV ({error})") from None
        codes = [
            TaxonomyChoice(code, section != "Non-Individual")
            for code, section in TaxonomyCode.objects.values_list("code", "section")
        ]
        if not codes:
            raise CommandError(
                "No NUCC taxonomy codes to draw from: run `manage.py import_nucc FILE` first, "
                "or give --nucc path/to/nucc_taxonomy.csv."
            )
        return codes
