"""A CSV file mapped row by row through the ORM: the NUCC, Care Compare and hospital sources.

Each subclass names its columns and maps one row (`row`); this reads the file in batches
from the run's checkpoint and counts every row's outcome. A dry run imports inside a
transaction that is rolled back, so it reports exactly what a real run would create,
update and quarantine.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from careatlas.imports.files import CsvSource
from careatlas.imports.models import ImportRun
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine, save_checkpoint
from careatlas.imports.source import BadRow, Source, Step, column_indexes
from careatlas.providers.services import directory_changed

COUNTERS = ("rows_read", "created", "updated", "unchanged", "quarantined")
Rows = list[tuple[int, list[str]]]


class RowSource(Source[Rows]):
    """Subclasses set `kind`, `label` and `columns` and implement `row`; they may add
    `prepare_batch` and `finish_rows`."""

    label = ""
    columns: tuple[str, ...] = ()  # required; a file without one of them fails the run
    roll_back_dry_run = True

    def __init__(self, path, options: dict) -> None:
        super().__init__(path, options)
        self.batch_rows = options.get("batch_rows") or 1000
        self.noted: list[str] = []  # what `notes` reports after the summary

    @contextmanager
    def reading(
        self, run: ImportRun, quarantine: Quarantine, stream: TextIO | None
    ) -> Iterator[tuple[Iterator[Rows], Progress]]:
        self.run, self.quarantine = run, quarantine
        self.counts = {name: getattr(run, name) for name in COUNTERS}  # as resumed
        with CsvSource(self.path) as source:
            self.csv = source
            self.at = column_indexes(self.path, source.header, self.columns)
            if run.checkpoint:
                source.seek(run.checkpoint["offset"], run.checkpoint["line"])
            yield self._batches(), Progress(self.label or self.kind, source.data_size, stream)

    def _batches(self) -> Iterator[Rows]:
        """The file's rows in lists; the source's offset is just past each list when it is
        handed over."""
        batch = []
        for line, fields in self.csv.rows():
            batch.append((line, fields))
            if len(batch) >= self.batch_rows:
                yield batch
                batch = []
        if batch:
            yield batch

    def prepare_batch(self, rows: list[list[str]]) -> None:
        """Before a batch: load what its rows will look up, in a few queries."""

    def row(self, line: int, fields: list[str]) -> str:
        """Import one row; return "created", "updated" or "unchanged", or raise BadRow."""
        raise NotImplementedError

    def finish_rows(self) -> None:
        """After the last row (inside its own transaction): mapping, links, indexes."""

    def write(self, batch: Rows) -> Step:
        counts, width = self.counts, len(self.csv.header)
        self.prepare_batch([fields for _line, fields in batch if len(fields) == width])
        for line, fields in batch:
            counts["rows_read"] += 1
            try:
                if len(fields) != width:
                    raise BadRow(f"expected {width} fields, found {len(fields)}")
                counts[self.row(line, fields)] += 1
            except BadRow as bad:
                self.quarantine.add(line, bad.reason, bad.identifier)
                counts["quarantined"] += 1
        checkpoint = {"offset": self.csv.offset, "line": self.csv.line}
        return Step(checkpoint, counts, (counts["rows_read"], self.csv.offset))

    def finish(self) -> None:
        self.finish_rows()
        if not self.run.dry_run:
            save_checkpoint(self.run, self.run.checkpoint, phase="finished", **self.counts)

    def after_rows(self, run: ImportRun) -> None:
        if (self.counts["created"] or self.counts["updated"]) and not run.dry_run:
            directory_changed()

    def notes(self, run: ImportRun) -> list[str]:
        return self.noted
