"""manage.py import_utilization FILE --year YYYY: CMS Medicare claims volumes per procedure."""

import resource

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careatlas.imports.command import ImportOptions
from careatlas.imports.files import SourceFileError
from careatlas.imports.runs import summary
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


class Command(ImportOptions, BaseCommand):
    help = (
        'Import the CMS "Medicare Physician & Other Practitioners - by Provider and Service" '
        "file for one data year: services per practitioner and procedure, the procedures they "
        "offer (verified by claims data) and national figures for guide editors."
    )

    file_help = "The CSV file (or the ZIP as downloaded)."
    dry_run_help = "Check every row and report what would change, without writing anything."

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="The data year the file covers, e.g. 2023."
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
        peak = f"peak memory {peak_memory_mb():,.0f} MB"
        timings = f"Time by phase: {outcome.timings()}; {peak}."
        self.end_run(outcome.run, options, f"{summary(outcome.run)} {outcome.details()}", timings)
