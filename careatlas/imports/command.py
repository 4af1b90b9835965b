"""What every import command shares: its options, declared once, running and ending a run."""

import resource

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from careatlas.imports.files import SourceFileError, WorkerStopped
from careatlas.imports.models import ImportRun
from careatlas.imports.pipeline import run_import
from careatlas.imports.runs import DEFAULT_MAX_BAD_SHARE, bad_share, write_quarantine_csv
from careatlas.imports.source import BadFile, Source, Stopped


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
        timings and peak memory), and exit non-zero when too many rows were bad."""
        report = options["quarantine_report"]
        written = write_quarantine_csv(run, report) if report else 0
        if options["verbosity"] > 0:
            self.stdout.write(summary_line)
            if options["verbosity"] > 1:
                memory = f"peak memory {peak_memory_mb():,.0f} MB"
                self.stdout.write(f"{timings}; {memory}." if timings else f"Peak {memory}.")
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


class ImportCommand(ImportOptions, BaseCommand):
    """`manage.py import_<source> FILE`: the source's file through the one import loop."""

    source_class: type[Source] = Source
    batch_rows: int | None = None  # rows per batch when the source reads rows one by one

    def source(self, options: dict) -> Source:
        """The source this command's options describe."""
        batch_rows = options.get("batch_rows") or self.batch_rows
        return self.source_class(options["file"], {**options, "batch_rows": batch_rows})

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            source = self.source(options)
            run = run_import(
                source,
                dry_run=options["dry_run"],
                restart=options["restart"],
                progress_stream=self.stderr,
            )
        except (SourceFileError, BadFile, Stopped) as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            raise CommandError(
                f"{path}: interrupted. Everything up to the last checkpoint is imported; "
                "run the same command again to resume."
            ) from None
        except (DatabaseError, WorkerStopped) as error:
            raise CommandError(
                f"{path}: the import stopped ({type(error).__name__}: {error}). Everything up "
                "to the last checkpoint is imported; run the same command again to resume."
            ) from error
        # Notes also on stderr: a cron job that keeps only errors still shows them.
        for note in source.notes(run):
            self.stderr.write(note)
        self.end_run(run, options, run.message, source.timings(run))


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
