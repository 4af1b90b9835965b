"""Which directory rows a batch's NPIs already have, and ids for the rows it will create.

An NPI new to the directory (no practitioner or organization with that NPI, no location
from an earlier NPPES import) is written by plain INSERT ... SELECT with ids given here,
so nothing has to be looked up again after the insert; every other row goes through the
general merge. Ids come from the table's own sequence on PostgreSQL and from past the
table's highest id on SQLite, where the batch's write lock keeps other writers out.
"""

from django.db import connection, models

from careatlas.imports.nppes.rows import Record
from careatlas.imports.nppes.staging import any_between
from careatlas.imports.sql import database
from careatlas.providers.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    StateLicense,
)

INSERT, MERGE, CONFIRM = "insert", "merge", "confirm"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _existing(model: type[models.Model], column: str, keys: list[str]) -> set[str]:
    """Which of these keys the table already has in `column` (non-empty values only)."""
    qn = connection.ops.quote_name
    name = qn(column)
    if not keys or not any_between(_table(model), name, keys):
        return set()
    condition, param = database().key_in(name, keys)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {_table(model)}"  # noqa: S608 - names from metadata
            f" WHERE {condition} AND NOT ({qn(column)} = '')",
            [param],
        )
        return {key for (key,) in cursor.fetchall()}


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` unused primary keys of the model's table, in increasing order."""
    return database().allocate_ids(model, count) if count > 0 else []


def link(staged: list[tuple[Record, str]]) -> None:
    """Set each staged record's mode and, for the ones to insert, the ids of its rows.

    Only an NPI the importer has no record of can be new to the directory (its location
    and role are written with that record, in one transaction); it still may be known
    from another source (CMS Care Compare creates practitioners), which is checked here.
    """
    new = [r for r, change in staged if change == "new"]
    known_people = _existing(Practitioner, "npi", [r.npi for r in new if r.entity == 1])
    known_groups = _existing(Organization, "npi", [r.npi for r in new if r.entity == 2])
    fresh: list[Record] = []
    for record, change in staged:
        _forget(record)
        if change == "confirmed":
            record.mode = CONFIRM
        elif change != "new" or record.npi in (
            known_people if record.entity == 1 else known_groups
        ):
            record.mode = MERGE
        else:
            record.mode = INSERT
            fresh.append(record)
    individuals = [r for r in fresh if r.entity == 1]
    addressed = [r for r in fresh if r.has_address]
    working = [r for r in individuals if r.has_address]
    for record, pk in zip(individuals, allocate_ids(Practitioner, len(individuals)), strict=True):
        record.practitioner_id = pk
    organizations = [r for r in fresh if r.entity == 2]
    for record, pk in zip(
        organizations, allocate_ids(Organization, len(organizations)), strict=True
    ):
        record.organization_id = pk
    for record, pk in zip(addressed, allocate_ids(Location, len(addressed)), strict=True):
        record.location_id = pk
    for record, pk in zip(working, allocate_ids(PractitionerRole, len(working)), strict=True):
        record.role_id = pk
    license_ids = iter(allocate_ids(StateLicense, sum(len(r.licenses) for r in individuals)))
    for record in individuals:
        record.license_ids = [next(license_ids) for _license in record.licenses]


def link_all_for_merge(staged: list[tuple[Record, str]]) -> None:
    """Every record through the general merge, which looks up what exists: for a batch
    whose inserts collided with rows the importer did not know about."""
    for record, change in staged:
        _forget(record)
        record.mode = CONFIRM if change == "confirmed" else MERGE


def _forget(record: Record) -> None:
    record.practitioner_id = record.organization_id = None
    record.location_id = record.role_id = None
    record.license_ids = None
