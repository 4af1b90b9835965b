"""The one import loop: start or resume a run, commit each batch with its checkpoint, finish.

Every source (NUCC, Care Compare, hospitals, NPPES, utilization; see `source.Source`) hands
this loop its batches and writes one at a time, saying where the run then stands, so a
killed import resumes after its last committed batch, whichever file it was reading.
"""

from collections.abc import Callable, Iterable
from typing import TextIO, TypeVar

from django.db import transaction

from careatlas.imports.files import SourceFileError, describe_file, fewer_collections
from careatlas.imports.models import ImportRun, RunStatus
from careatlas.imports.progress import Progress
from careatlas.imports.runs import (
    Quarantine,
    finish_run,
    restart_run,
    save_checkpoint,
    start_run,
)
from careatlas.imports.source import BadFile, Source, Step
from careatlas.imports.sql import database

T = TypeVar("T")


def run_import(
    source: Source,
    *,
    dry_run: bool = False,
    restart: bool = False,
    progress_stream: TextIO | None = None,
) -> ImportRun:
    """Import (or, dry, validate) the source's file: the unfinished run of the same file and
    options is resumed from its checkpoint, or forgotten first with `restart`.

    A file the source refuses before the run starts leaves no run; one it refuses during
    the run (BadFile, SourceFileError) fails the run. Anything else (a crash, kill -9,
    Stopped) leaves it running, to be resumed by the same command.
    """
    file = describe_file(source.path)
    identity = source.identity(file)
    run = start_run(
        source.kind, file, options=identity, dry_run=dry_run, data_date=source.data_date
    )
    if restart and (run.resumed or run.checkpoint or run.rows_read):
        source.forget(run)
        restart_run(run)
    quarantine = Quarantine(run)
    try:
        with database().lean_connection(), fewer_collections():
            with source.reading(run, quarantine, progress_stream) as (batches, progress):
                commit_batches(
                    run,
                    batches,
                    source.write,
                    quarantine=quarantine,
                    progress=progress,
                    phase=source.phase,
                    finish=source.finish,
                    roll_back_dry_run=source.roll_back_dry_run,
                )
            source.after_rows(run)
    except (BadFile, SourceFileError) as error:
        finish_run(run, RunStatus.FAILED, str(error))
        raise
    status = RunStatus.VALIDATED if run.dry_run else RunStatus.COMPLETED
    return finish_run(run, status, notes=source.notes(run))


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
