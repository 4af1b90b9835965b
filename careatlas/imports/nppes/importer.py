"""import_nppes: stream an NPPES file into the directory in batches, resumably.

One transaction per batch holds everything the batch changed: the directory rows, the
importer's record of each NPI's row hash, the quarantined rows and the run's checkpoint
(the byte offset after the batch and its counts). A process killed at any point leaves the
database at the end of its last committed batch, and the same command resumes from there.
The search index is refreshed once at the end: in full after a large change, otherwise for
the practitioners this run touched.
"""

import datetime
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from careatlas.imports import bulk_load
from careatlas.imports.files import CsvSource, SourceFile, items_from_worker
from careatlas.imports.models import ImportKind, ImportRun, NppesRecord
from careatlas.imports.nppes.layout import FILE_NAME_DATES
from careatlas.imports.nppes.linking import link, link_all_for_merge
from careatlas.imports.nppes.merge import Merger
from careatlas.imports.nppes.reading import (
    ZIP_MEMBER,
    Batch,
    ReadPlan,
    read_batches,
    read_batches_in_worker,
)
from careatlas.imports.nppes.rows import Record, check_header
from careatlas.imports.nppes.staging import BatchTables, Known, known_records
from careatlas.imports.pipeline import run_import
from careatlas.imports.progress import Progress
from careatlas.imports.runs import COUNTERS, Quarantine, save_checkpoint
from careatlas.imports.source import FULL_REINDEX_ABOVE, BadFile, Source, Step, refresh_search
from careatlas.imports.sql import DATABASES, database, table_name
from careatlas.providers.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    TaxonomyCode,
    Verification,
)
from careatlas.providers.models.roles import specialty_ids_by_nucc_code
from careatlas.providers.services import directory_changed
from careatlas.search.interface import BuildStats, rebuild_provider_index

# Rows per transaction and checkpoint, per database (why: careatlas.imports.sql).
BATCH_ROWS = {vendor: sql.batch_rows for vendor, sql in DATABASES.items()}
READ_IN_WORKER_ABOVE = 50 * 1024 * 1024
# Every table the merge writes (what a bulk load sets aside is theirs).
WRITTEN_TABLES = [
    Practitioner,
    Organization,
    Location,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    Verification,
    NppesRecord,
]


@dataclass(frozen=True)
class NppesOptions:
    dry_run: bool = False
    data_date: datetime.date | None = None
    skip_taxonomy_check: bool = False
    refresh: bool = False  # rewrite unchanged rows too (repairs hand edits of NPPES facts)
    restart: bool = False
    batch_rows: int | None = None  # None: BATCH_ROWS for the database
    read_in_worker: bool | None = None  # None: for files over READ_IN_WORKER_ABOVE bytes
    # Set foreign keys and indexes aside (careatlas.imports.bulk_load)? None:
    # for a first load (no NPI imported yet) of a file over READ_IN_WORKER_ABOVE bytes.
    bulk_load: bool | None = None

    def identity(self) -> dict:
        """The options that change what a run writes: a resumed run must have the same."""
        return {
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "refresh": self.refresh,
            "skip_taxonomy_check": self.skip_taxonomy_check,
        }


@dataclass
class Tally:
    counts: dict[str, int]
    older: int = 0  # rows older than what an earlier file already gave
    staged: list[tuple[Record, str]] = field(default_factory=list)


def date_from_file_name(name: str) -> datetime.date | None:
    """npidata_pfile_20050523-20250608.csv -> 2025-06-08 (the end of the period covered)."""
    match = FILE_NAME_DATES.search(name)
    if not match:
        return None
    try:
        return datetime.datetime.strptime(match.group(2), "%Y%m%d").date()
    except ValueError:
        return None


def latest_update_date(path: Path) -> datetime.date | None:
    """The latest Last Update Date in the file (a pass over it; only when nothing else
    says what day the data is from)."""
    latest = ""
    with CsvSource(path, zip_member=ZIP_MEMBER) as source:
        index = source.header.index("Last Update Date")
        for _line, fields in source.rows():
            if len(fields) > index:
                value = fields[index]
                if len(value) == 10:
                    key = value[6:] + value[:2] + value[3:5]
                    latest = max(latest, key)
    return datetime.datetime.strptime(latest, "%Y%m%d").date() if latest else None


def _classify(batch: Batch, tally: Tally, day: str, refresh: bool, quarantine) -> None:
    """Sort a batch's records into what to write, against what is committed; count each
    row once."""
    counts = tally.counts
    counts["unchanged"] += batch.unchanged
    by_npi: dict[str, Record] = {}
    for record in batch.records:
        earlier = by_npi.get(record.npi)
        if earlier is not None:
            quarantine.add(
                earlier.line,
                f"NPI repeated on line {record.line}; that later row is imported",
                record.npi,
            )
        by_npi[record.npi] = record
    known: dict[str, Known] = known_records(list(by_npi))
    staged = tally.staged = []
    for npi, record in by_npi.items():
        previous = known.get(npi)
        if record.stub and (previous is None or previous.row_hash != record.row_hash):
            # The reader saw this NPI's hash before an earlier row of the same file changed
            # it (the NPI is listed twice); that earlier row stands.
            quarantine.add(
                record.line, "NPI listed again in this file; its earlier row is imported", npi
            )
            continue
        if previous is None:
            change = "new" if record.active else "deactivated"
        elif previous.row_hash == record.row_hash and not refresh:
            counts["unchanged"] += 1
            if record.entity == 1 and record.active and previous.verified_on < day:
                staged.append((record, "confirmed"))
            continue
        elif record.as_of and previous.as_of and record.as_of < previous.as_of:
            counts["unchanged"] += 1
            tally.older += 1
            continue
        elif previous.deactivated and record.active:
            change = "reactivated"
        elif record.active or previous.deactivated:
            change = "updated"
        else:
            change = "deactivated"
        counts["created" if change == "new" else change] += 1
        staged.append((record, change))


def _lookup(npis: list[str]) -> dict[str, tuple[int, str]]:
    return {npi: (known.row_hash, known.verified_on) for npi, known in known_records(npis).items()}


def _worker_database() -> dict | None:
    """How the reading process connects to read hashes, or None if it cannot."""
    connect = database().connection_for_another_process()
    if connect is None:
        return None
    table = table_name(NppesRecord)
    return {"vendor": connection.vendor, "table": table, "connect": connect}


def _specialty_map() -> dict[str, int]:
    """NUCC code -> our Specialty: the code set's mapping, else the content pack's list."""
    mapping = specialty_ids_by_nucc_code()
    mapping.update(TaxonomyCode.objects.exclude(specialty=None).values_list("code", "specialty_id"))
    return mapping


def _taxonomy_codes(options: NppesOptions) -> frozenset[str] | None:
    if options.skip_taxonomy_check:
        return None
    codes = frozenset(TaxonomyCode.objects.values_list("code", flat=True))
    if not codes:
        raise BadFile(
            "The NUCC taxonomy code set is not loaded, so taxonomy codes cannot be checked:"
            " run `manage.py import_nucc FILE` first (or pass --skip-taxonomy-check)."
        )
    return codes


def import_nppes(
    path: str | Path, options: NppesOptions, *, progress_stream: TextIO | None = None
) -> ImportRun:
    """Import (or, dry, validate) one NPPES file; resumes an interrupted run of it."""
    return run_import(
        NppesImporter(path, options),
        dry_run=options.dry_run,
        restart=options.restart,
        progress_stream=progress_stream,
    )


class NppesImporter(Source[Batch]):
    """NPPES rows, checked and hashed in batches (by a second process for a big file) and
    merged set-wise; then the search index for what changed."""

    kind = ImportKind.NPPES

    def __init__(self, path: str | Path, options: NppesOptions) -> None:
        super().__init__(path, {})
        self.settings = options

    def identity(self, file: SourceFile) -> dict:
        with CsvSource(self.path, zip_member=ZIP_MEMBER) as source:
            header, self.label, self.size = source.header, source.member_name, source.data_size
        try:
            check_header(header)
        except ValueError as error:
            raise BadFile(f"{self.path}: {error}") from None
        self.codes = _taxonomy_codes(self.settings)
        self.data_date = self.settings.data_date or date_from_file_name(self.label)
        return self.settings.identity()

    def forget(self, run: ImportRun) -> None:
        bulk_load.put_back(run)

    @contextmanager
    def reading(
        self, run: ImportRun, quarantine: Quarantine, stream: TextIO | None
    ) -> Iterator[tuple[Iterable[Batch], Progress]]:
        if not run.dry_run:
            bulk_load.put_back_others(run)
        if run.data_date is None:
            run.data_date = latest_update_date(self.path) or timezone.localdate()
            run.save(update_fields=["data_date"])
        progress = Progress(f"NPPES {self.label}", self.size, stream=stream)
        if run.phase in ("index", "done"):
            yield (), progress
            return
        started = time.monotonic()
        self.run, self.quarantine = run, quarantine
        self.tally = Tally(counts={name: getattr(run, name) for name in COUNTERS})
        self.tally.older = run.checkpoint.get("older", 0)
        self.tables = None if run.dry_run else BatchTables()
        self.merger = None if run.dry_run else Merger(run.data_date, run.pk, timezone.now())
        batches = self._batches(run)
        if loads_in_bulk(run, self.size, self.settings):
            bulk_load.set_aside(run, WRITTEN_TABLES)
        # On SQLite a bulk load's keys go unchecked row by row (bulk_load.put_back checks them).
        with bulk_load.unchecked_keys(run):
            yield batches, progress
        bulk_load.put_back(run)
        seconds = {**run.checkpoint.get("seconds", {})}
        seconds["rows"] = round(seconds.get("rows", 0) + time.monotonic() - started, 1)
        save_checkpoint(
            run, {**run.checkpoint, "seconds": seconds}, phase="rows" if run.dry_run else "index"
        )

    def _batches(self, run: ImportRun) -> Iterable[Batch]:
        options, checkpoint = self.settings, run.checkpoint
        at = (checkpoint["offset"], checkpoint["line"]) if checkpoint.get("offset") else (0, 0)
        plan = ReadPlan(
            path=self.path,
            offset=at[0],
            line=at[1],
            batch_rows=options.batch_rows or database().batch_rows,
            taxonomy_codes=self.codes,
            specialty_for_code=_specialty_map(),
            day=run.data_date.isoformat(),
            skip_unchanged=not options.refresh,
        )
        # A big file is read and parsed in a second process, in parallel with the writing.
        in_worker = options.read_in_worker
        if in_worker is None:
            in_worker = self.size > READ_IN_WORKER_ABOVE
        if in_worker:
            return items_from_worker(
                read_batches_in_worker, replace(plan, database=_worker_database())
            )
        return read_batches(plan, _lookup if plan.skip_unchanged else None)

    def write(self, batch: Batch) -> Step:
        tally, quarantine, run = self.tally, self.quarantine, self.run
        for line, npi, reason in batch.bad:
            quarantine.add(line, reason, npi)
        _classify(batch, tally, run.data_date.isoformat(), self.settings.refresh, quarantine)
        if self.merger is not None and tally.staged:
            _write(tally.staged, self.tables, self.merger)
        tally.counts["quarantined"] += quarantine.flush()
        tally.counts["rows_read"] += batch.rows
        checkpoint = {
            **run.checkpoint,
            "offset": batch.offset,
            "line": batch.line,
            "older": tally.older,
        }
        return Step(checkpoint, tally.counts, (tally.counts["rows_read"], batch.offset))

    def after_rows(self, run: ImportRun) -> None:
        if not run.dry_run and run.phase != "done":
            _index_phase(run)

    def notes(self, run: ImportRun) -> list[str]:
        older = run.checkpoint.get("older", 0)
        if not older:
            return []
        return [f"{older:,} rows were older than what an earlier file gave and were skipped."]

    def timings(self, run: ImportRun) -> str:
        seconds = run.checkpoint.get("seconds", {})
        steps = ", ".join(f"{k} {v}" for k, v in seconds.get("index_steps", {}).items())
        timings = f"Rows: {seconds.get('rows', 0)} s; search index: {seconds.get('index', 0)} s"
        return timings + (f" ({steps})" if steps else "")


def loads_in_bulk(run: ImportRun, size: int, options: NppesOptions) -> bool:
    """Whether this run sets foreign keys and indexes aside (careatlas.imports.bulk_load)."""
    if run.dry_run or not bulk_load.supported() or run.checkpoint.get("offset"):
        return False
    if bulk_load.CHECKPOINT_KEY in run.checkpoint:
        return False
    if options.bulk_load is not None:
        return options.bulk_load
    return size > READ_IN_WORKER_ABOVE and not NppesRecord.objects.exists()


def _write(staged: list[tuple[Record, str]], tables: BatchTables, merger: Merger) -> None:
    link(staged)
    try:
        with transaction.atomic():
            tables.write(staged)
            result = merger.merge()
    except IntegrityError:
        # A location keyed "nppes:<NPI>" outlived the importer's record of that NPI (both
        # deleted by hand, say): this batch goes through the merge that looks everything up.
        link_all_for_merge(staged)
        tables.write(staged)
        result = merger.merge()
    if result.delisted_licenses:
        StateLicense.objects.filter(pk__in=result.delisted_licenses).delete()


def touched_practitioners(run: ImportRun, limit: int) -> list[int]:
    """Practitioners whose NPPES row this run wrote or re-confirmed, and those working at
    the locations of organizations it wrote (at most limit + 1 ids)."""
    qn = connection.ops.quote_name
    record, practitioner, role, location, organization = (
        qn(model._meta.db_table)
        for model in (NppesRecord, Practitioner, PractitionerRole, Location, Organization)
    )
    sql = (
        f"SELECT p.id FROM {record} n JOIN {practitioner} p ON p.npi = n.npi"  # noqa: S608
        " WHERE n.run_id = %s AND (n.entity IS NULL OR n.entity = 1)"
        f" UNION SELECT r.practitioner_id FROM {record} n"
        f" JOIN {organization} o ON o.npi = n.npi AND NOT (o.npi = '')"
        f" JOIN {location} l ON l.organization_id = o.id"
        f" JOIN {role} r ON r.location_id = l.id"
        " WHERE n.run_id = %s AND (n.entity IS NULL OR n.entity = 2) LIMIT %s"
    )  # table names from model metadata, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, run.pk, limit + 1])
        return [pk for (pk,) in cursor.fetchall()]


def _index_phase(run: ImportRun) -> None:
    started = time.monotonic()
    changed = run.created + run.updated + run.deactivated + run.reactivated
    # Past the threshold already: no need to list who was touched (seconds at a million).
    full = changed > FULL_REINDEX_ABOVE
    touched = [] if full else touched_practitioners(run, FULL_REINDEX_ABOVE)
    steps: dict[str, float] = {}
    if full or len(touched) > FULL_REINDEX_ABOVE:
        # Fresh statistics after a bulk load: the index build plans its joins on them.
        database().analyze(*(table_name(model) for model in WRITTEN_TABLES))
        stats = BuildStats()
        rebuild_provider_index(stats)
        steps = {step: round(value, 1) for step, value in stats.seconds.items()}
    else:
        refresh_search(touched)
    if changed or touched:
        directory_changed()
    seconds = {
        **run.checkpoint.get("seconds", {}),
        "index": round(time.monotonic() - started, 1),
        "index_steps": steps,
    }
    save_checkpoint(run, {**run.checkpoint, "seconds": seconds}, phase="done")
