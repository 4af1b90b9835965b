"""What every import command shares: its options, declared once, and how a run ends."""

from django.core.management.base import CommandError, CommandParser

from careatlas.imports.models import ImportRun
from careatlas.imports.runs import DEFAULT_MAX_BAD_SHARE, bad_share, write_quarantine_csv


def share(text: str) -> float:
    """A --max-bad-share value: a share of the rows, from 0 to 1."""
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


class ImportOptions:
    """Mixed into a BaseCommand: the file, --dry-run, --max-bad-share, --quarantine-report
    and --restart, then the command's own options from `add_import_arguments`."""

    file_help = "The CSV file as downloaded."
    dry_run_help = "Validate and count what would change, without writing to the directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument(
            "--max-bad-share",
            type=share,
            default=DEFAULT_MAX_BAD_SHARE,
            help="Exit non-zero when more than this share of rows is quarantined "
            "(default %(default)s); the good rows are imported either way.",
        )
        parser.add_argument(
            "--quarantine-report", metavar="PATH", help="Also write the bad rows to this CSV."
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Forget an interrupted run of this file and start again from the top.",
        )
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser: CommandParser) -> None:
        """Options of one command."""

    def end_run(self, run: ImportRun, options: dict, summary_line: str, timings: str = "") -> None:
        """Write the quarantine report if asked, print the summary (and with -v 2 the
        timings), and exit non-zero when too many rows were bad."""
        report = options["quarantine_report"]
        written = write_quarantine_csv(run, report) if report else 0
        if options["verbosity"] > 0:
            self.stdout.write(summary_line)
            if timings and options["verbosity"] > 1:
                self.stdout.write(timings)
            if report and written:
                self.stdout.write(f"Quarantine report: {report} ({written} rows).")
        limit = options["max_bad_share"]
        if bad_share(run) > limit:
            raise CommandError(
                f"{run.file_name}: {run.quarantined:,} of {run.rows_read:,} rows "
                f"({bad_share(run):.2%}) were quarantined, more than the {limit:.2%} allowed; "
                f"the good rows were {'checked' if run.dry_run else 'imported'}. See the "
                f"quarantine report of import run {run.pk} (--max-bad-share allows more)."
            )
