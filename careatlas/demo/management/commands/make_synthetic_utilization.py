"""manage.py make_synthetic_utilization: a fake CMS utilization file in the real layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careatlas.demo.utilization import BAD_KINDS, write_synthetic_utilization
from careatlas.imports.files import CsvSource, SourceFileError
from careatlas.procedures.models import ProcedureCode
from careatlas.providers.models import Practitioner


def npis_from_nppes(path: str) -> list[str]:
    """Individual providers' NPIs from an NPPES-layout file (e.g. make_synthetic_nppes)."""
    with CsvSource(path) as source:
        try:
            at_npi = source.header.index("NPI")
            at_type = source.header.index("Entity Type Code")
        except ValueError:
            raise SourceFileError(f"{path}: no NPI / Entity Type Code columns") from None
        return [
            fields[at_npi].strip()
            for _line, fields in source.rows()
            if len(fields) > at_type and fields[at_type].strip() == "1"
        ]


def pack_codes() -> dict[str, tuple[str, ...]]:
    codes: dict[str, list[str]] = {}
    for slug, code in ProcedureCode.objects.values_list("procedure__slug", "code"):
        codes.setdefault(slug, []).append(code)
    return {slug: tuple(sorted(found)) for slug, found in codes.items()}


class Command(BaseCommand):
    help = (
        "Write a synthetic CMS Medicare Physician & Other Practitioners by Provider and "
        "Service file (real 29-column layout, fake names) for tests and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, required=True, help="Data rows to write.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same file.")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--npi-file", help="Take NPIs from an NPPES-layout CSV (e.g. make_synthetic_nppes)."
        )
        source.add_argument(
            "--from-db", action="store_true", help="Take NPIs from the directory's practitioners."
        )
        parser.add_argument(
            "--year", type=int, default=2023, help="Data year (varies the values; default 2023)."
        )
        parser.add_argument("--out", help="Output file (default synthetic_utilization_YEAR.csv).")
        parser.add_argument(
            "--bad",
            type=int,
            default=0,
            help=f"Plant this many bad rows ({', '.join(BAD_KINDS)}, in turn).",
        )
        parser.add_argument(
            "--unknown-share",
            type=float,
            default=0.05,
            help="With --npi-file or --from-db: extra share of NPIs no directory has.",
        )

    def handle(self, *args, **options) -> None:
        if options["rows"] < 0 or not 0 <= options["bad"] <= options["rows"]:
            raise CommandError("--rows must be 0 or more and --bad at most --rows.")
        npis = None
        if options["npi_file"]:
            try:
                npis = npis_from_nppes(options["npi_file"])
            except SourceFileError as error:
                raise CommandError(str(error)) from error
            if not npis:
                raise CommandError(f"{options['npi_file']}: no individual providers' NPIs.")
        elif options["from_db"]:
            npis = list(Practitioner.objects.order_by("npi").values_list("npi", flat=True))
            if not npis:
                raise CommandError("The directory has no practitioners; seed or import first.")
        out = Path(options["out"] or f"synthetic_utilization_{options['year']}.csv")
        made = write_synthetic_utilization(
            out,
            options["rows"],
            seed=options["seed"] * 10_000 + options["year"],
            npis=npis,
            pack=pack_codes() or None,
            bad=options["bad"],
            unknown_share=options["unknown_share"] if npis else 0.0,
        )
        self.stdout.write(
            f"{out}: {made.rows:,} rows for {len(made.npis):,} NPIs, "
            f"{len(made.planted):,} planted bad rows."
        )
