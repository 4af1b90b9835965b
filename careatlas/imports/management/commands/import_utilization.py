"""manage.py import_utilization FILE --year YYYY: CMS Medicare claims volumes per procedure."""

import resource

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careatlas.imports.files import SourceFileError
from careatlas.imports.runs import DEFAULT_MAX_BAD_SHARE, bad_share, summary, write_quarantine_csv
from careatlas.imports.utilization import import_utilization
from careatlas.imports.utilization.layout import FIRST_YEAR


def peak_memory_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, since getrusage's maxrss keeps
    the parent's high-water mark across fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        'Import the CMS "Medicare Physician & Other Practitioners - by Provider and Service" '
        "file for one data year: services per practitioner and procedure, the procedures they "
        "offer (verified by claims data) and national figures for guide editors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (or the ZIP as downloaded).")
        parser.add_argument(
            "--year", type=int, required=True, help="The data year the file covers, e.g. 2023."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would change, without writing anything.",
        )
        parser.add_argument(
            "--max-bad-share",
            type=_share,
            default=DEFAULT_MAX_BAD_SHARE,
            help="Exit with an error when more than this share of rows is bad (default 0.01).",
        )
        parser.add_argument(
            "--quarantine-report", metavar="PATH", help="Also write the bad rows to this CSV."
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start an interrupted import of this file again instead of resuming it.",
        )

    def handle(self, *args, **options) -> None:
        year = options["year"]
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise CommandError(
                f"--year {year}: CMS publishes this file for data years {FIRST_YEAR} to "
                f"{this_year - 1}; give the year the file covers."
            )
        try:
            outcome = import_utilization(
                options["file"], year, dry_run=options["dry_run"], restart=options["restart"]
            )
        except SourceFileError as error:
            raise CommandError(str(error)) from error
        run = outcome.run
        self.stdout.write(f"{summary(run)} {outcome.details()}")
        if options["verbosity"] >= 2:
            peak = f"{peak_memory_mb():,.0f} MB"
            self.stdout.write(f"Time by phase: {outcome.timings()}; peak memory {peak}.")
        if options["quarantine_report"] and run.quarantined:
            written = write_quarantine_csv(run, options["quarantine_report"])
            self.stdout.write(
                f"Quarantine report: {options['quarantine_report']} ({written} rows)."
            )
        share = bad_share(run)
        if share > options["max_bad_share"]:
            raise CommandError(
                f"{run.file_name}: {share:.2%} of rows are bad, more than the "
                f"{options['max_bad_share']:.2%} allowed; the good rows were "
                f"{'checked' if run.dry_run else 'imported'}. See the quarantine report of "
                f"import run {run.pk}."
            )
