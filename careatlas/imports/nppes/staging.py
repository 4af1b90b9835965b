"""A batch of NPPES rows in temporary tables: what the set-based merge reads.

Each batch (20,000 rows by default) is written into three temporary tables with one
executemany (SQLite) or COPY (PostgreSQL), merged by `merge.py`, and emptied before the
next batch. The importer's memory of each NPI (NppesRecord: row hash, state, dates) is read
for a whole batch in one query, so unchanged rows never reach the tables at all.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

from careatlas.imports.models import NppesRecord
from careatlas.imports.nppes.rows import Record
from careatlas.imports.sql import database

BATCH = "nppes_batch"
BATCH_SPECIALTY = "nppes_batch_specialty"
BATCH_LICENSE = "nppes_batch_license"

# (column, SQLite type, PostgreSQL type). The data columns follow Record.values in order.
_COLUMNS = (
    ("npi", "TEXT PRIMARY KEY", "varchar(10)"),
    ("line", "INTEGER", "bigint"),
    ("change", "TEXT", "varchar(12)"),
    ("mode", "TEXT", "varchar(8)"),
    ("entity", "INTEGER", "smallint"),
    ("row_hash", "INTEGER", "bigint"),
    ("as_of", "TEXT", "date"),
    ("active", "INTEGER", "boolean"),
    ("prefix", "TEXT", "text"),
    ("first_name", "TEXT", "text"),
    ("middle_name", "TEXT", "text"),
    ("last_name", "TEXT", "text"),
    ("suffix", "TEXT", "text"),
    ("credentials", "TEXT", "text"),
    ("sex", "TEXT", "text"),
    ("org_name", "TEXT", "text"),
    ("line1", "TEXT", "text"),
    ("line2", "TEXT", "text"),
    ("city", "TEXT", "text"),
    ("state", "TEXT", "text"),
    ("zip_code", "TEXT", "text"),
    ("latitude", "REAL", "double precision"),
    ("longitude", "REAL", "double precision"),
    ("phone", "TEXT", "text"),
    ("enumerated_on", "TEXT", "date"),
    ("updated_on", "TEXT", "date"),
    ("deactivated_on", "TEXT", "date"),
    ("reactivated_on", "TEXT", "date"),
)
# The directory rows each NPI maps to: given by linking for new NPIs, found by the merge
# for the others.
_LINKS = (
    ("practitioner_id", "INTEGER", "bigint"),
    ("organization_id", "INTEGER", "bigint"),
    ("location_id", "INTEGER", "bigint"),
    ("role_id", "INTEGER", "bigint"),
)
BATCH_COLUMNS = tuple(name for name, _sqlite, _pg in (*_COLUMNS, *_LINKS))
_SPECIALTY_COLUMNS = (
    ("npi", "TEXT", "varchar(10)"),
    ("code", "TEXT", "varchar(10)"),
    ("is_primary", "INTEGER", "boolean"),
    ("specialty_id", "INTEGER", "bigint"),
    ("role_id", "INTEGER", "bigint"),  # set for new NPIs only
)
_LICENSE_COLUMNS = (
    ("npi", "TEXT", "varchar(10)"),
    ("state", "TEXT", "varchar(2)"),
    ("number", "TEXT", "varchar(40)"),
    ("id", "INTEGER", "bigint"),  # set for new NPIs only, with:
    ("practitioner_id", "INTEGER", "bigint"),
    ("vouched", "INTEGER", "boolean"),  # the practitioner is active: NPPES vouches for it
)


@dataclass(frozen=True, slots=True)
class Known:
    """An NPI as the importer last saw it."""

    row_hash: int
    deactivated: bool
    as_of: str  # ISO date or ""
    verified_on: str  # ISO date or ""


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def any_between(table: str, column: str, keys: list[str]) -> bool:
    """Whether the table has any key between the smallest and the largest of these.

    The registry file is sorted by NPI: while it fills an empty directory, a batch's range
    holds nothing yet, and one index probe replaces thousands of lookups.
    """
    # NOT (x = '') repeats the condition of the partial unique indexes, so SQLite uses them.
    sql = (
        f"SELECT 1 FROM {table} WHERE {column} >= %s AND {column} <= %s"  # noqa: S608
        f" AND NOT ({column} = '') LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [min(keys), max(keys)])
        return cursor.fetchone() is not None


def known_records(npis: list[str]) -> dict[str, Known]:
    """The importer's memory of these NPIs, in one query."""
    table = connection.ops.quote_name(NppesRecord._meta.db_table)
    if not npis or not any_between(table, "npi", npis):
        return {}
    condition, param = database().key_in("npi", npis)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT npi, row_hash, deactivated, as_of, verified_on FROM {table}"  # noqa: S608
            f" WHERE {condition}",
            [param],
        )
        return {
            npi: Known(row_hash, bool(deactivated), _iso(as_of), _iso(verified_on))
            for npi, row_hash, deactivated, as_of, verified_on in cursor.fetchall()
        }


# The indexes SQLite needs on the batch tables: the merge finds a batch row by the role or
# practitioner it was linked to, and a row's codes and licenses by NPI.
_INDEXES = {
    BATCH: [("nppes_batch_role", "role_id"), ("nppes_batch_practitioner", "practitioner_id")],
    BATCH_SPECIALTY: [("nppes_batch_specialty_npi", "npi, code")],
    BATCH_LICENSE: [("nppes_batch_license_npi", "npi, state, number")],
}


class BatchTables:
    """The three temporary tables of one connection, created on first use."""

    def __init__(self):
        self._created = False
        self._analyzed = False

    def _create(self) -> None:
        sql = database()
        for name, columns in (
            (BATCH, (*_COLUMNS, *_LINKS)),
            (BATCH_SPECIALTY, _SPECIALTY_COLUMNS),
            (BATCH_LICENSE, _LICENSE_COLUMNS),
        ):
            sql.temporary_table(name, columns, _INDEXES[name])
            sql.empty(name)
        self._created = True

    def write(self, records: list[tuple[Record, str]]) -> None:
        """Replace the tables' rows with these linked (record, change) pairs."""
        if not self._created:
            self._create()
        else:
            database().empty(BATCH, BATCH_SPECIALTY, BATCH_LICENSE)
        rows, specialties, licenses = [], [], []
        for record, change in records:
            npi = record.npi
            rows.append(
                (
                    npi,
                    record.line,
                    change,
                    record.mode,
                    record.entity,
                    record.row_hash,
                    record.as_of or None,
                    record.active,
                    *record.values,
                    record.practitioner_id,
                    record.organization_id,
                    record.location_id,
                    record.role_id,
                )
            )
            if change == "confirmed":
                continue
            role = record.role_id
            specialties.extend((npi, *specialty, role) for specialty in record.specialties)
            if record.license_ids is None:
                licenses.extend((npi, *license, None, None, None) for license in record.licenses)
            else:
                pk, active = record.practitioner_id, record.active
                licenses.extend(
                    (npi, state, number, license_id, pk, active)
                    for (state, number), license_id in zip(
                        record.licenses, record.license_ids, strict=True
                    )
                )
        self._insert(BATCH, BATCH_COLUMNS, rows)
        self._insert(BATCH_SPECIALTY, [c[0] for c in _SPECIALTY_COLUMNS], specialties)
        self._insert(BATCH_LICENSE, [c[0] for c in _LICENSE_COLUMNS], licenses)
        if not self._analyzed:
            # Temporary tables have no statistics until analysed, and the merge's joins need
            # them; batches look alike, so the first one's serve for the rest.
            database().analyze(BATCH, BATCH_SPECIALTY, BATCH_LICENSE)
            self._analyzed = True

    def _insert(self, table: str, columns, rows: list[tuple]) -> None:
        if rows:
            database().insert(table, list(columns), rows)
