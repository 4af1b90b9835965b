"""An import run's life: start or resume, checkpoint with its counts, quarantine, finish.

Every importer goes through these functions, so the admin's import history and the
resume-after-a-crash rule are the same for NPPES, NUCC and the CMS files.
"""

import csv
import datetime
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportRun, QuarantinedRow, RunStatus

COUNTERS = (
    "rows_read",
    "created",
    "updated",
    "unchanged",
    "deactivated",
    "reactivated",
    "quarantined",
)
DEFAULT_MAX_BAD_SHARE = 0.01  # exit non-zero when more than 1% of rows are bad


def start_run(
    kind: str,
    source: SourceFile,
    *,
    options: dict | None = None,
    dry_run: bool = False,
    data_date: datetime.date | None = None,
) -> ImportRun:
    """The unfinished run of the same kind, file and options, resumed; or a new run.

    A dry run never resumes and is never resumed: it writes nothing but its own record.
    """
    options = dict(sorted((options or {}).items()))
    if not dry_run:
        unfinished = ImportRun.objects.filter(
            kind=kind, file_sha256=source.sha256, status=RunStatus.RUNNING, dry_run=False
        ).order_by("-started_at", "-id")
        for run in unfinished:
            if run.options == options:
                ImportRun.objects.filter(pk=run.pk).update(resumed=F("resumed") + 1)
                run.refresh_from_db()
                return run
    return ImportRun.objects.create(
        kind=kind,
        file_name=str(source.path),
        file_sha256=source.sha256,
        file_size=source.size,
        data_date=data_date,
        options=options,
        dry_run=dry_run,
    )


def save_checkpoint(
    run: ImportRun, checkpoint: dict, *, phase: str | None = None, **counts
) -> None:
    """Record progress. Call inside the transaction that wrote the rows it covers, so a
    crash leaves the checkpoint and the data agreeing."""
    run.checkpoint = checkpoint
    if phase is not None:
        run.phase = phase
    for name, value in counts.items():
        if name not in COUNTERS:
            raise ValueError(f"unknown counter {name}")
        setattr(run, name, value)
    run.save(update_fields=["checkpoint", "phase", *counts])


class Quarantine:
    """Bad rows of a run, kept until the next checkpoint writes them with the good ones."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.pending: list[QuarantinedRow] = []

    def add(self, line: int, reason: str, identifier: str = "") -> None:
        self.pending.append(
            QuarantinedRow(run=self.run, line=line, identifier=identifier[:40], reason=reason[:300])
        )

    def flush(self) -> int:
        """Write pending rows (inside the checkpoint's transaction); returns how many."""
        count = len(self.pending)
        if self.pending:
            QuarantinedRow.objects.bulk_create(self.pending, ignore_conflicts=True)
            self.pending = []
        return count


def finish_run(
    run: ImportRun, status: str, message: str | None = None, *, notes: Iterable[str] = ()
) -> ImportRun:
    """Close a run. Without a message it keeps the one-line summary (with its duration)
    followed by any notes."""
    run.status = status
    run.finished_at = timezone.now()
    run.message = message if message is not None else " ".join([summary(run), *notes])
    run.save(update_fields=["status", "message", "finished_at"])
    return run


def bad_share(run: ImportRun) -> float:
    return run.quarantined / run.rows_read if run.rows_read else 0.0


def quarantine_rows(run: ImportRun) -> Iterable[tuple[int, str, str]]:
    return run.quarantine.order_by("line", "id").values_list("line", "identifier", "reason")


def write_quarantine_csv(run: ImportRun, path: str | Path) -> int:
    """The quarantine report as CSV (line, NPI or key, reason); returns the row count."""
    count = 0
    with Path(path).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "npi", "reason"])
        for row in quarantine_rows(run).iterator(chunk_size=5000):
            writer.writerow(row)
            count += 1
    return count


def summary(run: ImportRun) -> str:
    """The one line a command prints at the end."""
    seconds = run.duration_seconds
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    rate = f" ({run.rows_read / seconds:,.0f} rows/s)" if seconds else ""
    verb = "validated" if run.dry_run else "imported"
    return (
        f"{run.file_name}: {run.rows_read:,} rows {verb}{took}{rate}: {run.created:,} new, "
        f"{run.updated:,} updated, {run.unchanged:,} unchanged, {run.deactivated:,} deactivated, "
        f"{run.reactivated:,} reactivated, {run.quarantined:,} quarantined."
    )


@transaction.atomic
def restart_run(run: ImportRun) -> None:
    """Forget a run's progress (used by --restart): its quarantine and checkpoint go."""
    run.quarantine.all().delete()
    run.checkpoint = {}
    run.phase = ""
    for name in COUNTERS:
        setattr(run, name, 0)
    run.save()
