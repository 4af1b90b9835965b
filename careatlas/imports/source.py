"""What one kind of public file tells the import loop: how to read it in batches, how to write one.

`pipeline.run_import` starts or resumes a run, commits each batch with its quarantine and
checkpoint, and finishes the run; a source (NUCC, hospitals, Care Compare, NPPES,
utilization) only says what identifies a run of its file, how its rows are read from a
checkpoint and mapped, and what follows the rows (search index, figures).
"""

import datetime
from collections.abc import Collection, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TextIO, TypeVar

from django.db import models

from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportRun
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine
from careatlas.imports.sql import database, table_name
from careatlas.search.interface import rebuild_provider_index, reindex_practitioners

B = TypeVar("B")
# Above this many practitioners a full index rebuild is cheaper than row by row refreshes.
FULL_REINDEX_ABOVE = 20_000
# A partial reindex places each new practitioner against the others of the same call, so
# its cost grows with the square of the call's size: 19,600 new NPPES practitioners took
# 132 to 687 s in one call on SQLite, 17 to 33 s in chunks of 1,000 (December 2026).
_REINDEX_CHUNK = 1_000


class BadFile(Exception):
    """The file cannot be imported at all (missing columns, wrong version); nothing is read.

    Raised before the run starts, no run is recorded; raised during it, the run fails."""


class BadRow(Exception):
    """One row is refused: it goes to the quarantine with this reason."""

    def __init__(self, reason: str, identifier: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.identifier = identifier


class Stopped(Exception):
    """The run stopped part way and stays resumable; the message says what to do."""


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
class Step:
    """Where a written batch leaves the run: what a resumed run starts from, the counts so
    far, and the rows and bytes (or items) done, for the progress bar."""

    checkpoint: dict
    counts: dict[str, int]
    done: tuple[int, int]


class Source(Generic[B]):
    """One file to import. Subclasses set `kind` and implement `reading` and `write`.

    Resuming is the source's promise: `reading` starts after `run.checkpoint`, and every
    write is an upsert on the rows' natural keys (NPI, code, CCN), so a batch written again
    after a crash ends in the same state.
    """

    kind: str = ""
    phase = "rows"  # the run's phase while its batches are written
    # A dry run goes through the writes in one transaction that is rolled back (exact counts
    # for sources that must write to count), rather than skipping them.
    roll_back_dry_run = False

    def __init__(self, path: str | Path, options: dict) -> None:
        self.path = Path(path)
        self.options = options
        self.data_date: datetime.date | None = None  # the run's; set by `identity` if known

    def identity(self, file: SourceFile) -> dict:
        """Check the options (and, if cheap, the file) before a run starts; return the
        options that make a different run. BadFile here records no run at all."""
        return {}

    def forget(self, run: ImportRun) -> None:
        """Undo what an interrupted run left half done, before --restart forgets it."""

    def reading(
        self, run: ImportRun, quarantine: Quarantine, stream: TextIO | None
    ) -> AbstractContextManager[tuple[Iterable[B], Progress]]:
        """The batches from the run's checkpoint on and the progress bar they move, while
        the file is open."""
        raise NotImplementedError

    def write(self, batch: B) -> Step:
        """Write one batch (its bad rows into the quarantine); where the run then stands."""
        raise NotImplementedError

    def finish(self) -> None:
        """In a transaction after the last batch; a dry run calls it only when rolled back."""

    def after_rows(self, run: ImportRun) -> None:
        """What follows the rows (search index, figures, caches); idempotent, since a run
        killed here does it again when resumed."""

    def notes(self, run: ImportRun) -> list[str]:
        """What the summary line does not say."""
        return []

    def timings(self, run: ImportRun) -> str:
        """Where the time went, for `-v 2`."""
        return ""


def refresh_search(
    practitioner_ids: Collection[int],
    *,
    full_above: int = FULL_REINDEX_ABOVE,
    analyze: Iterable[type[models.Model]] = (),
) -> int:
    """Bring the provider index up to date for practitioners written without signals: one
    by one, or past `full_above` in one rebuild, after fresh statistics for `analyze`;
    returns how many."""
    ids = sorted(set(practitioner_ids))
    if not ids:
        return 0
    tables = [table_name(model) for model in analyze]
    if tables:
        database().analyze(*tables)
    if len(ids) > full_above:
        rebuild_provider_index()
    else:
        for start in range(0, len(ids), _REINDEX_CHUNK):
            reindex_practitioners(ids[start : start + _REINDEX_CHUNK])
    return len(ids)
