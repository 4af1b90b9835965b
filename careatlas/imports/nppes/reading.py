"""Reading an NPPES file into batches of validated records, in a process of its own if big.

Each row first gets a cheap look (columns, NPI, content hash); the importer's record of
the hashes it holds is read for the whole batch, and only rows whose hash is new are parsed
in full. An unchanged row costs a split and a hash, so importing the same file again is
several times faster than the first time. Nothing here uses Django: in the worker process
(`careatlas.imports.files.items_from_worker`) the hashes are read over a connection of its
own, and the importer checks every row again against what is committed (see `_classify`),
so a hash read a little early can never make it skip a change.
"""

import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from careatlas.imports.files import CsvSource, fewer_collections
from careatlas.imports.nppes.layout import ENTITY_INDIVIDUAL
from careatlas.imports.nppes.rows import BadRow, Record, RowParser

ZIP_MEMBER = "npidata_pfile"  # the data file inside the ZIP NPPES publishes

# NPI -> (row hash, ISO date it was last verified on, or "") for the NPIs asked about.
Lookup = Callable[[list[str]], dict[str, tuple[int, str]]]


@dataclass
class Batch:
    records: list[Record]
    bad: list[tuple[int, str, str]]  # line, NPI (or what stood in its place), reason
    rows: int  # rows read, good and bad
    offset: int  # where the next batch starts: the checkpoint once this one is written
    line: int
    unchanged: int = 0  # rows the reader found unchanged and left out


@dataclass(frozen=True)
class ReadPlan:
    """Everything the reading process needs (it must pickle)."""

    path: Path
    offset: int
    line: int
    batch_rows: int
    taxonomy_codes: Collection[str] | None
    specialty_for_code: dict[str, int]
    day: str = ""  # the data date (ISO): unchanged rows verified before it are re-confirmed
    skip_unchanged: bool = True
    # How the worker process reads hashes: {"vendor", "table", "connect"}; None: it does not.
    database: dict | None = field(default=None, compare=False)


def read_batches(plan: ReadPlan, lookup: Lookup | None = None) -> Iterator[Batch]:
    """The file's rows from the plan's position, checked and parsed, in batches."""
    with CsvSource(plan.path, zip_member=ZIP_MEMBER) as source:
        parser = RowParser(
            source.header,
            taxonomy_codes=plan.taxonomy_codes,
            specialty_for_code=plan.specialty_for_code,
        )
        if plan.offset:
            source.seek(plan.offset, plan.line)
        heads: list[tuple[int, tuple, str, int]] = []
        bad: list[tuple[int, str, str]] = []
        head = parser.head
        size = max(1, plan.batch_rows)
        for line, fields in source.rows():
            try:
                heads.append((line, *head(fields)))
            except BadRow as error:
                bad.append((line, fields[0] if fields else "", str(error)))
            if len(heads) + len(bad) >= size:
                yield _batch(parser, plan, lookup, heads, bad, source)
                heads, bad = [], []
        if heads or bad:
            yield _batch(parser, plan, lookup, heads, bad, source)


def _batch(parser: RowParser, plan: ReadPlan, lookup, heads, bad, source) -> Batch:
    rows = len(heads) + len(bad)
    known = lookup([npi for _line, _v, npi, _hash in heads]) if lookup else {}
    records: list[Record] = []
    unchanged = 0
    day = plan.day
    for line, v, npi, row_hash in heads:
        previous = known.get(npi)
        try:
            if previous is None or previous[0] != row_hash or not plan.skip_unchanged:
                records.append(parser.record(line, v, npi, row_hash))
            elif v[1] == ENTITY_INDIVIDUAL and previous[1] < day:
                records.append(parser.stub(line, v, npi, row_hash))  # to confirm again
            else:
                unchanged += 1
        except BadRow as error:
            bad.append((line, npi, str(error)))
    return Batch(records, bad, rows, source.offset, source.line, unchanged)


def worker_lookup(database: dict) -> Lookup:
    """Hashes read over a connection of the worker's own (SQLite read-only, or PostgreSQL)."""
    table = database["table"]
    columns = "npi, row_hash, verified_on"
    # As staging.known_records: a batch whose NPI range holds no record needs no lookup.
    if database["vendor"] == "sqlite":
        import sqlite3

        db = sqlite3.connect(f"file:{database['connect']}?mode=ro", uri=True, timeout=60)
        probe = f"SELECT 1 FROM {table} WHERE npi >= ? AND npi <= ? LIMIT 1"  # noqa: S608
        sql = f"SELECT {columns} FROM {table} WHERE npi IN (SELECT value FROM json_each(?))"  # noqa: S608

        def lookup(npis: list[str]) -> dict[str, tuple[int, str]]:
            if not npis or db.execute(probe, [min(npis), max(npis)]).fetchone() is None:
                return {}
            rows = db.execute(sql, [json.dumps(npis)]).fetchall()
            return {npi: (row_hash, day or "") for npi, row_hash, day in rows}

        return lookup
    import psycopg

    db = psycopg.connect(**database["connect"], autocommit=True)
    probe = f"SELECT 1 FROM {table} WHERE npi >= %s AND npi <= %s LIMIT 1"  # noqa: S608
    sql = f"SELECT {columns} FROM {table} WHERE npi = ANY(%s)"  # noqa: S608

    def lookup(npis: list[str]) -> dict[str, tuple[int, str]]:
        if not npis or db.execute(probe, [min(npis), max(npis)]).fetchone() is None:
            return {}
        rows = db.execute(sql, [npis]).fetchall()
        return {npi: (row_hash, day.isoformat() if day else "") for npi, row_hash, day in rows}

    return lookup


def read_batches_in_worker(plan: ReadPlan) -> Iterator[Batch]:
    """read_batches for the worker process: it reads hashes itself when it can."""
    lookup = worker_lookup(plan.database) if plan.database and plan.skip_unchanged else None
    with fewer_collections():
        yield from read_batches(plan, lookup)
