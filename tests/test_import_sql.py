"""The importers' per-database SQL (careatlas.imports.sql) does the same thing on SQLite and
PostgreSQL: run this module with DATABASE_URL set to check the second."""

import datetime

import pytest
from django.db import connection, transaction

from careatlas.imports.models import ImportKind, ImportRun
from careatlas.imports.pipeline import Step, commit_batches
from careatlas.imports.progress import Progress
from careatlas.imports.runs import Quarantine
from careatlas.imports.sql import database, insert_rows, table_name
from careatlas.providers.models import Organization, Practitioner
from tests.provider_factories import PractitionerFactory, valid_npi

pytestmark = pytest.mark.django_db


def test_bulk_insert_writes_what_the_orm_would():
    now = datetime.datetime(2025, 6, 8, 12, tzinfo=datetime.UTC)
    people = [
        Practitioner(npi=valid_npi(9001), first_name="Ada", last_name="Quill", credentials=["MD"]),
        Practitioner(npi=valid_npi(9002), first_name="Bo", last_name="Reed", credentials=[]),
    ]
    people[0].enumerated_on = datetime.date(2001, 2, 3)
    fields = [f for f in Practitioner._meta.concrete_fields if not f.primary_key]
    for person in people:
        person.created_at = person.updated_at = now
    rows = [tuple(getattr(person, f.attname) for f in fields) for person in people]
    insert_rows(Practitioner, [f.name for f in fields], rows)
    ada, bo = Practitioner.objects.order_by("first_name")
    assert (ada.npi, ada.credentials, ada.enumerated_on) == (
        people[0].npi,
        ["MD"],
        datetime.date(2001, 2, 3),
    )
    assert (bo.last_name, bo.credentials, bo.enumerated_on) == ("Reed", [], None)
    assert bo.created_at == now


def test_key_lists_find_exactly_the_keys_given():
    kept = [PractitionerFactory().npi for _ in range(3)]
    condition, param = database().key_in("npi", [kept[0], kept[2], valid_npi(9003)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT npi FROM {table_name(Practitioner)} WHERE {condition}",  # noqa: S608
            [param],
        )
        assert sorted(npi for (npi,) in cursor.fetchall()) == sorted([kept[0], kept[2]])


def test_allocated_ids_are_new_and_increasing():
    existing = PractitionerFactory().pk
    ids = database().allocate_ids(Practitioner, 5)
    assert ids == sorted(set(ids)) and len(ids) == 5 and ids[0] > existing


def test_statistics_relaxed_commits_and_lean_connections_run_on_both():
    sql = database()
    with sql.lean_connection(), transaction.atomic():
        sql.relaxed_commit()
        sql.analyze(table_name(Practitioner), table_name(Organization))
        assert Practitioner.objects.count() == 0
    assert sql.batch_rows >= 1_000


def test_a_killed_batch_leaves_the_checkpoint_of_the_one_before(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("a\n1\n2\n", encoding="utf-8")
    run = ImportRun.objects.create(
        kind=ImportKind.NUCC, file_name=str(path), file_sha256="0", file_size=8
    )

    def write(number: int) -> Step:
        if number == 2:
            raise RuntimeError("killed")
        PractitionerFactory()
        return Step({"written": number}, {"rows_read": number}, (number, number))

    with pytest.raises(RuntimeError):
        commit_batches(
            run,
            [1, 2],
            write,
            quarantine=Quarantine(run),
            progress=Progress("test", 2),
            phase="rows",
        )
    run.refresh_from_db()
    assert (run.checkpoint, run.rows_read, run.phase) == ({"written": 1}, 1, "rows")
    assert Practitioner.objects.count() == 1
