"""The one import loop: each batch committed with its quarantine and its run's checkpoint.

Every source (NUCC, Care Compare, hospitals, NPPES, utilization) hands this loop its
batches and a function that writes one and says where the run then stands, so a killed
import resumes after its last committed batch, whichever file it was reading.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction

from careatlas.imports.models import ImportRun
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine, save_checkpoint
from careatlas.imports.sql import database

T = TypeVar("T")


@dataclass
class Step:
    """Where a written batch leaves the run: what a resumed run starts from, the counts so
    far, and the rows and bytes (or items) done, for the progress bar."""

    checkpoint: dict
    counts: dict[str, int]
    done: tuple[int, int]


class _Rollback(Exception):
    pass


def commit_batches(
    run: ImportRun,
    batches: Iterable[T],
    write: Callable[[T], Step],
    *,
    quarantine: Quarantine,
    progress: Progress,
    phase: str,
    finish: Callable[[], None] | None = None,
    roll_back_dry_run: bool = False,
) -> None:
    """Write each batch in a transaction of its own with the quarantined rows and the
    checkpoint it reached; then `finish` (mapping, links) in one more transaction.

    A source whose dry run goes through the same writes (`roll_back_dry_run`) runs them
    all in one transaction that is rolled back, so it reports exactly what a real run would
    create, update and quarantine, and keeps only its run record and quarantine.
    """
    if run.dry_run and roll_back_dry_run:
        step = None
        try:
            with transaction.atomic():
                for batch in batches:
                    step = write(batch)
                    progress.update(*step.done)
                if finish is not None:
                    finish()
                raise _Rollback
        except _Rollback:
            pass
        progress.close()
        quarantine.flush()
        save_checkpoint(run, {}, phase="validated", **(step.counts if step else {}))
        return
    sql = database()
    for batch in batches:
        with transaction.atomic():
            # Safe to commit without waiting for the disk: each batch carries its own
            # checkpoint, so a crash that loses it resumes before it (see relaxed_commit).
            sql.relaxed_commit()
            step = write(batch)
            quarantine.flush()
            save_checkpoint(run, step.checkpoint, phase=phase, **step.counts)
        progress.update(*step.done)
    progress.close()
    if finish is not None and not run.dry_run:
        with transaction.atomic():
            finish()
