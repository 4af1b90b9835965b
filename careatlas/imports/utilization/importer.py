"""One utilization import: read and check the file, write per batch with checkpoints, then
offer the national figures to editors and bring search and cached pages up to date.

Phases: "read" (nothing but the quarantine is written; an interrupted read starts over),
"write" (batches of NPI/procedure pairs in NPI order, each committed with its checkpoint,
so a resumed run skips what is done), then figures and the search index, both idempotent.
"""

import datetime
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from careatlas.imports.files import CsvSource, describe_file
from careatlas.imports.models import ImportKind, ImportRun, RunStatus
from careatlas.imports.pipeline import Step, commit_batches
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine, finish_run, restart_run, save_checkpoint, start_run
from careatlas.imports.sql import database, table_name
from careatlas.imports.utilization.figures import offer_figures
from careatlas.imports.utilization.reading import Tally, read_rows
from careatlas.imports.utilization.writing import Pair, batches, write_batch
from careatlas.procedures.models import ProcedureCode
from careatlas.providers.models import (
    OfferedProcedure,
    Practitioner,
    ProcedureVolume,
    Verification,
)
from careatlas.providers.services import directory_changed
from careatlas.search.interface import rebuild_provider_index, reindex_practitioners

BATCH = 5_000  # pairs per transaction and checkpoint
_LOOKUP_CHUNK = 2_000  # NPIs per query when matching the directory
# Reindex practitioner by practitioner up to this many (or a tenth of the directory);
# beyond, one full rebuild is faster than many partial ones.
REINDEX_LIMIT = 5_000


@dataclass
class Outcome:
    run: ImportRun
    unknown_npis: int = 0
    unknown_rows: int = 0
    other_codes: int = 0
    offered: int = 0
    verified: int = 0
    figures: int = 0
    reindexed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, for operators

    def lap(self, phase: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - started
        return now

    def timings(self) -> str:
        return ", ".join(f"{phase} {s:.1f} s" for phase, s in self.seconds.items())

    def details(self) -> str:
        """What the standard summary line does not say (kept as the run's message)."""
        if self.run.dry_run:
            return (
                f"Would skip {self.unknown_rows:,} rows for {self.unknown_npis:,} NPIs not in "
                f"the directory and {self.other_codes:,} rows for codes no procedure uses."
            )
        return (
            f"Skipped {self.unknown_rows:,} rows for {self.unknown_npis:,} NPIs not in the "
            f"directory and {self.other_codes:,} rows for codes no procedure uses; "
            f"{self.offered:,} procedures offered added, {self.verified:,} claims "
            f"verifications written, {self.figures:,} new figures for editors, "
            f"{self.reindexed:,} practitioners reindexed."
        )


def procedures_by_code() -> dict[str, tuple[int, ...]]:
    """Each HCPCS code the content pack uses -> the procedures that list it."""
    found: dict[str, list[int]] = {}
    for code, procedure_id in ProcedureCode.objects.values_list("code", "procedure_id"):
        found.setdefault(code, []).append(procedure_id)
    return {code: tuple(sorted(ids)) for code, ids in found.items()}


def practitioner_ids(npis: Iterable[str]) -> dict[str, int]:
    npis = sorted(npis)
    found: dict[str, int] = {}
    for start in range(0, len(npis), _LOOKUP_CHUNK):
        chunk = npis[start : start + _LOOKUP_CHUNK]
        found.update(Practitioner.objects.filter(npi__in=chunk).values_list("npi", "id"))
    return found


def _pairs(tally: Tally, ids: dict[str, int]) -> list[Pair]:
    pairs = [
        Pair(ids[npi], procedure_id, volume)
        for (npi, procedure_id), volume in tally.pairs.items()
        if npi in ids
    ]
    pairs.sort(key=lambda pair: (pair.practitioner_id, pair.procedure_id))
    return pairs


def _fingerprint(pairs: list[Pair]) -> str:
    """Which pairs, in which order: a resumed run skips done batches only if it is the same."""
    digest = hashlib.sha256()
    for pair in pairs:
        digest.update(f"{pair.practitioner_id}:{pair.procedure_id};".encode())
    return digest.hexdigest()


def refresh_search(ids: set[int]) -> int:
    """Bring the provider index up to date for these practitioners; returns how many."""
    if not ids:
        return 0
    database().analyze(*(table_name(m) for m in (ProcedureVolume, OfferedProcedure, Verification)))
    if len(ids) > max(REINDEX_LIMIT, Practitioner.objects.count() // 10):
        rebuild_provider_index()
    else:
        ordered = sorted(ids)
        for start in range(0, len(ordered), 1_000):
            reindex_practitioners(ordered[start : start + 1_000])
    return len(ids)


def import_utilization(
    path: str | Path,
    year: int,
    *,
    dry_run: bool = False,
    restart: bool = False,
    progress_stream: TextIO | None = None,
    today: datetime.date | None = None,
) -> Outcome:
    """Import one data year of the file; raises SourceFileError for a file it cannot read
    (the run is then recorded as failed)."""
    today = today or timezone.localdate()
    source_file = describe_file(path)
    run = start_run(
        ImportKind.UTILIZATION,
        source_file,
        options={"year": year},
        dry_run=dry_run,
        data_date=datetime.date(year, 12, 31),
    )
    if restart and (run.checkpoint or run.rows_read):
        restart_run(run)
    outcome = Outcome(run)
    try:
        _import(run, source_file, year, today, outcome, progress_stream)
    except Exception as error:
        finish_run(run, RunStatus.FAILED, str(error)[:2000])
        raise
    finish_run(run, RunStatus.VALIDATED if dry_run else RunStatus.COMPLETED, outcome.details())
    return outcome


def _import(run, source_file, year, today, outcome: Outcome, progress_stream) -> None:
    started = time.perf_counter()
    quarantine = Quarantine(run)
    with CsvSource(source_file.path) as source:
        progress = Progress(f"{source_file.name} (reading)", source.data_size, progress_stream)
        tally = read_rows(source, procedures_by_code(), quarantine, progress.update)
        progress.close()
    checkpoint = dict(run.checkpoint)
    with transaction.atomic():
        quarantine.flush()
        save_checkpoint(
            run,
            checkpoint,
            phase=checkpoint.get("phase") or "read",
            rows_read=tally.rows_read,
            quarantined=tally.quarantined,
        )
    ids = practitioner_ids(tally.rows_by_npi)
    unknown = [npi for npi in tally.rows_by_npi if npi not in ids]
    outcome.unknown_npis = len(unknown)
    outcome.unknown_rows = sum(tally.rows_by_npi[npi] for npi in unknown)
    outcome.other_codes = tally.other_codes
    pairs = _pairs(tally, ids)
    tally.pairs.clear()  # the pairs list holds what is still needed
    fingerprint = _fingerprint(pairs)
    started = outcome.lap("read", started)
    resumed = checkpoint.get("fingerprint") == fingerprint and not run.dry_run
    done = checkpoint.get("written", 0) if resumed else 0
    counts = {
        "created": run.created if resumed else 0,
        "updated": run.updated if resumed else 0,
        "unchanged": run.unchanged if resumed else 0,
    }
    outcome.offered = checkpoint.get("offered", 0) if resumed else 0
    outcome.verified = checkpoint.get("verified", 0) if resumed else 0
    # Batches written before an interruption may have changed anyone in them.
    changed = {pair.practitioner_id for pair in pairs[:done]}

    def write(numbered: tuple[int, list[Pair]]) -> Step:
        end, batch = numbered
        result = write_batch(batch, year, today, dry_run=run.dry_run)
        counts["created"] += result.created
        counts["updated"] += result.updated
        counts["unchanged"] += result.unchanged
        outcome.offered += result.offered
        outcome.verified += result.verified
        changed.update(result.changed_practitioners)
        state = {
            "fingerprint": fingerprint,
            "written": end,
            "offered": outcome.offered,
            "verified": outcome.verified,
        }
        return Step(state, counts, (end, end))

    commit_batches(
        run,
        batches(pairs, BATCH, start=done),
        write,
        quarantine=quarantine,
        progress=Progress(f"{source_file.name} (writing)", len(pairs), progress_stream),
        phase="write",
    )
    started = outcome.lap("write", started)
    if run.dry_run:
        save_checkpoint(run, {}, phase="validated", **counts)
        return
    outcome.figures = offer_figures(tally.national, year, source_file, run.pk)
    started = outcome.lap("figures", started)
    save_checkpoint(run, run.checkpoint, phase="index")
    outcome.reindexed = refresh_search(changed)
    if changed or outcome.verified:
        directory_changed()
    save_checkpoint(run, run.checkpoint, phase="done")
    outcome.lap("search index", started)
