"""The utilization source: read and check the whole file, write per batch with checkpoints,
then offer the national figures to editors and bring search and cached pages up to date.

Phases: "read" (nothing but the quarantine is written; an interrupted read starts over),
"write" (batches of NPI/procedure pairs in NPI order, each committed with its checkpoint,
so a resumed run skips what is done), then figures and the search index, both idempotent.
"""

import datetime
import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from careatlas.imports.files import CsvSource, SourceFile
from careatlas.imports.models import ImportKind, ImportRun
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine, save_checkpoint
from careatlas.imports.source import BadFile, Source, Step, refresh_search
from careatlas.imports.utilization.figures import offer_figures
from careatlas.imports.utilization.layout import FIRST_YEAR
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

BATCH = 5_000  # pairs per transaction and checkpoint
_LOOKUP_CHUNK = 2_000  # NPIs per query when matching the directory
# Reindex practitioner by practitioner up to this many (or a tenth of the directory);
# beyond, one full rebuild is faster than many partial ones.
REINDEX_LIMIT = 5_000


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


class UtilizationImporter(Source[tuple[int, list[Pair]]]):
    """One data year of "Medicare Physician & Other Practitioners - by Provider and
    Service": volumes per practitioner and procedure, procedures offered, claims evidence."""

    kind = ImportKind.UTILIZATION
    phase = "write"

    def __init__(self, path, options: dict) -> None:
        super().__init__(path, options)
        self.year: int = options["year"]
        self.today = timezone.localdate()
        self.unknown_npis = self.unknown_rows = self.other_codes = 0
        self.offered = self.verified = self.figures = self.reindexed = 0
        self.seconds: dict[str, float] = {}  # per phase, for operators

    def identity(self, file: SourceFile) -> dict:
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= self.year <= this_year:
            raise BadFile(
                f"--year {self.year}: CMS publishes this file for data years {FIRST_YEAR} to "
                f"{this_year - 1}; give the year the file covers."
            )
        self.file, self.data_date = file, datetime.date(self.year, 12, 31)
        return {"year": self.year}

    def _lap(self, phase: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - started
        return now

    @contextmanager
    def reading(
        self, run: ImportRun, quarantine: Quarantine, stream: TextIO | None
    ) -> Iterator[tuple[Iterable[tuple[int, list[Pair]]], Progress]]:
        started = time.perf_counter()
        self.run = run
        with CsvSource(self.path) as source:
            progress = Progress(f"{self.path.name} (reading)", source.data_size, stream)
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
        self.unknown_npis = len(unknown)
        self.unknown_rows = sum(tally.rows_by_npi[npi] for npi in unknown)
        self.other_codes = tally.other_codes
        self.national = tally.national
        pairs = _pairs(tally, ids)
        tally.pairs.clear()  # the pairs list holds what is still needed
        self.fingerprint = _fingerprint(pairs)
        resumed = checkpoint.get("fingerprint") == self.fingerprint and not run.dry_run
        done = checkpoint.get("written", 0) if resumed else 0
        self.counts = {
            "created": run.created if resumed else 0,
            "updated": run.updated if resumed else 0,
            "unchanged": run.unchanged if resumed else 0,
        }
        self.offered = checkpoint.get("offered", 0) if resumed else 0
        self.verified = checkpoint.get("verified", 0) if resumed else 0
        # Batches written before an interruption may have changed anyone in them.
        self.changed = {pair.practitioner_id for pair in pairs[:done]}
        self.started = self._lap("read", started)
        yield (
            batches(pairs, BATCH, start=done),
            Progress(f"{self.path.name} (writing)", len(pairs), stream),
        )

    def write(self, numbered: tuple[int, list[Pair]]) -> Step:
        end, batch = numbered
        result = write_batch(batch, self.year, self.today, dry_run=self.run.dry_run)
        counts = self.counts
        counts["created"] += result.created
        counts["updated"] += result.updated
        counts["unchanged"] += result.unchanged
        self.offered += result.offered
        self.verified += result.verified
        self.changed.update(result.changed_practitioners)
        state = {
            "fingerprint": self.fingerprint,
            "written": end,
            "offered": self.offered,
            "verified": self.verified,
        }
        return Step(state, counts, (end, end))

    def after_rows(self, run: ImportRun) -> None:
        started = self._lap("write", self.started)
        if run.dry_run:
            save_checkpoint(run, {}, phase="validated", **self.counts)
            return
        self.figures = offer_figures(self.national, self.year, self.file, run.pk)
        started = self._lap("figures", started)
        save_checkpoint(run, run.checkpoint, phase="index")
        if self.changed:
            limit = max(REINDEX_LIMIT, Practitioner.objects.count() // 10)
            self.reindexed = refresh_search(
                self.changed,
                full_above=limit,
                analyze=(ProcedureVolume, OfferedProcedure, Verification),
            )
        if self.changed or self.verified:
            directory_changed()
        save_checkpoint(run, run.checkpoint, phase="done")
        self._lap("search index", started)

    def notes(self, run: ImportRun) -> list[str]:
        if run.dry_run:
            return [
                f"Would skip {self.unknown_rows:,} rows for {self.unknown_npis:,} NPIs not in "
                f"the directory and {self.other_codes:,} rows for codes no procedure uses."
            ]
        return [
            f"Skipped {self.unknown_rows:,} rows for {self.unknown_npis:,} NPIs not in the "
            f"directory and {self.other_codes:,} rows for codes no procedure uses; "
            f"{self.offered:,} procedures offered added, {self.verified:,} claims "
            f"verifications written, {self.figures:,} new figures for editors, "
            f"{self.reindexed:,} practitioners reindexed."
        ]

    def timings(self, run: ImportRun) -> str:
        phases = ", ".join(f"{phase} {s:.1f} s" for phase, s in self.seconds.items())
        return f"Time by phase: {phases}"
