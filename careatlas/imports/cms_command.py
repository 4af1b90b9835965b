"""What the NUCC, Care Compare and hospital import commands share: options, runs, batches.

Each command names its ImportKind and supplies a row importer; this module reads the file
in batches, one transaction and one checkpoint per batch, so a killed import resumes where
its last batch committed. A dry run imports inside a transaction that is rolled back, so it
reports exactly what a real run would create, update and quarantine, and writes only its
run record and quarantine.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError

from careatlas.imports.command import ImportOptions
from careatlas.imports.files import CsvSource, SourceFile, SourceFileError, describe_file
from careatlas.imports.models import ImportRun, RunStatus
from careatlas.imports.pipeline import Step, commit_batches
from careatlas.imports.progress import Progress
from careatlas.imports.runs import (
    Quarantine,
    finish_run,
    restart_run,
    save_checkpoint,
    start_run,
    summary,
)
from careatlas.providers.services import directory_changed
from careatlas.search.interface import rebuild_provider_index, reindex_practitioners

OUTCOMES = ("created", "updated", "unchanged")
# Above this many practitioners a full index rebuild is cheaper than row by row refreshes.
FULL_REINDEX_ABOVE = 20_000


class BadFile(Exception):
    """The file cannot be imported at all (missing columns, wrong version); nothing is read."""


class BadRow(Exception):
    """One row is refused: it goes to the quarantine with this reason."""

    def __init__(self, reason: str, identifier: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.identifier = identifier


def column_indexes(path, header: list[str], required: Iterable[str]) -> dict[str, int]:
    """Column name -> position; a BadFile naming the missing columns if any is absent."""
    positions = {name: i for i, name in enumerate(header)}
    missing = [name for name in required if name not in positions]
    if missing:
        raise BadFile(
            f"{path}: not the expected layout, missing column(s) {', '.join(missing)} "
            f"(found {', '.join(header[:12])}{', ...' if len(header) > 12 else ''})"
        )
    return positions


@dataclass
class Tally:
    """Counts of one run, carried over from its checkpoint when it resumes."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, run: ImportRun) -> "Tally":
        return cls(**{name: getattr(run, name) for name in cls.counters()})

    @staticmethod
    def counters() -> tuple[str, ...]:
        return ("rows_read", *OUTCOMES, "quarantined")

    def as_counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.counters()}

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class RowImporter:
    """One file's rows into the directory. Subclasses implement `row` and may add `finish`."""

    def __init__(self, run: ImportRun, source: CsvSource, options: dict):
        self.run = run
        self.source = source
        self.options = options

    def prepare_batch(self, rows: list[list[str]]) -> None:
        """Before a batch: load what its rows will look up, in a few queries."""

    def row(self, line: int, fields: list[str]) -> str:
        """Import one row; return "created", "updated" or "unchanged", or raise BadRow."""
        raise NotImplementedError

    def finish(self, tally: Tally) -> None:
        """After the last row (inside its own transaction): mapping, links, indexes."""


class ImportCommand(ImportOptions, BaseCommand):
    kind: str = ""
    label: str = ""
    importer_class: type[RowImporter] = RowImporter
    batch_rows = 1000

    def prepare(self, source: SourceFile, options: dict) -> dict:
        """Check options before the run starts; return the ones that identify a run."""
        return {}

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            source = describe_file(path)
            run_options = self.prepare(source, options)
        except (SourceFileError, BadFile) as error:
            raise CommandError(str(error)) from None
        run = start_run(
            self.kind,
            source,
            options=run_options,
            dry_run=options["dry_run"],
            data_date=options.get("data_date"),
        )
        if options["restart"] and (run.resumed or run.checkpoint):
            restart_run(run)
        try:
            tally = self._import(run, source, options)
        except (SourceFileError, BadFile) as error:
            finish_run(run, RunStatus.FAILED, str(error))
            raise CommandError(str(error)) from None
        status = RunStatus.VALIDATED if run.dry_run else RunStatus.COMPLETED
        finish_run(run, status, notes=tally.notes)  # the summary line, then the notes
        for note in tally.notes:
            self.stderr.write(note)
        self.end_run(run, options, summary(run))

    def _import(self, run: ImportRun, source: SourceFile, options: dict) -> Tally:
        tally = Tally.of(run)
        with CsvSource(source.path) as csv_source:
            importer = self.importer_class(run, csv_source, options)
            if run.checkpoint:
                csv_source.seek(run.checkpoint["offset"], run.checkpoint["line"])
            quarantine = Quarantine(run)

            def write(batch: list[tuple[int, list[str]]]) -> Step:
                self._rows(importer, batch, tally, quarantine)
                checkpoint = {"offset": csv_source.offset, "line": csv_source.line}
                return Step(checkpoint, tally.as_counts(), (tally.rows_read, csv_source.offset))

            def finish() -> None:
                importer.finish(tally)
                if not run.dry_run:
                    save_checkpoint(run, run.checkpoint, phase="finished", **tally.as_counts())

            commit_batches(
                run,
                _batches(csv_source, self.batch_rows),
                write,
                quarantine=quarantine,
                progress=Progress(self.label or self.kind, csv_source.data_size, self.stderr),
                phase="rows",
                finish=finish,
                roll_back_dry_run=True,
            )
        if tally.changed and not run.dry_run:
            directory_changed()
        return tally

    @staticmethod
    def _rows(importer: RowImporter, batch, tally: Tally, quarantine: Quarantine) -> None:
        width = len(importer.source.header)
        importer.prepare_batch([fields for _line, fields in batch if len(fields) == width])
        for line, fields in batch:
            tally.rows_read += 1
            try:
                if len(fields) != width:
                    raise BadRow(f"expected {width} fields, found {len(fields)}")
                outcome = importer.row(line, fields)
            except BadRow as bad:
                quarantine.add(line, bad.reason, bad.identifier)
                tally.quarantined += 1
            else:
                setattr(tally, outcome, getattr(tally, outcome) + 1)


def _batches(source: CsvSource, size: int) -> Iterator[list[tuple[int, list[str]]]]:
    """The file's rows in lists of `size`; the source's offset is just past each list when
    it is handed over."""
    batch = []
    for line, fields in source.rows():
        batch.append((line, fields))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh_search(practitioner_ids: Iterable[int]) -> None:
    """Bring the provider index up to date for practitioners written without signals."""
    ids = sorted(set(practitioner_ids))
    if len(ids) > FULL_REINDEX_ABOVE:
        rebuild_provider_index()
    elif ids:
        reindex_practitioners(ids)
