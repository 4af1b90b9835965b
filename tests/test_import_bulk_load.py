"""A first bulk load sets the directory's foreign keys and secondary indexes aside and puts
every one back, keys checked, whatever happens in between (see careatlas.imports.bulk_load).
PostgreSQL drops its foreign keys; SQLite, which cannot, checks them all afterwards."""

import pytest
from django.db import IntegrityError, connection, transaction

from careatlas.demo.nppes import nucc_codes_from_csv, write_synthetic_nppes
from careatlas.imports import bulk_load
from careatlas.imports.models import ImportKind, ImportRun
from careatlas.imports.nppes.importer import (
    READ_IN_WORKER_ABOVE,
    WRITTEN_TABLES,
    NppesOptions,
    import_nppes,
    loads_in_bulk,
)
from careatlas.providers.models import Location, Practitioner, PractitionerRole, RoleSpecialty
from tests.nppes_bad_rows import plant, short_row, unknown_taxonomy
from tests.nppes_files import load_taxonomy, snapshot

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not POSTGRESQL, reason="SQLite cannot drop a foreign key; it checks them afterwards"
)


def catalog() -> list[tuple]:
    """Every foreign key and index of the schema, with its definition (and, for a key,
    whether it is validated)."""
    with connection.cursor() as cursor:
        if not POSTGRESQL:
            cursor.execute(
                "SELECT tbl_name, name, sql, NULL FROM sqlite_master WHERE type = 'index'"
                " ORDER BY 1, 2"
            )
            return cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
            " FROM pg_constraint WHERE contype = 'f'"
            " AND connamespace = current_schema()::regnamespace"
            " UNION ALL SELECT tablename, indexname, indexdef, NULL FROM pg_indexes"
            " WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        return cursor.fetchall()


def written_keys() -> list[tuple]:
    tables = {model._meta.db_table for model in WRITTEN_TABLES}
    return [item for item in catalog() if item[0] in tables and item[3] is not None]


def written_indexes() -> list[tuple]:
    tables = {model._meta.db_table for model in WRITTEN_TABLES}
    return [item for item in catalog() if item[0] in tables and item[3] is None]


@pytest.fixture
def registry_file(tmp_path, real_data):
    load_taxonomy(real_data)
    codes = nucc_codes_from_csv(real_data / "nucc" / "nucc_taxonomy_251.csv")
    path = write_synthetic_nppes(
        tmp_path / "npidata_pfile_20050523-20250608.csv", 398, 5, codes
    ).path
    plant(path, {77: short_row(1), 301: unknown_taxonomy(2)})
    return path


def _run(kind=ImportKind.NPPES) -> ImportRun:
    return ImportRun.objects.create(kind=kind, file_name="f.csv", file_sha256="0" * 64, file_size=1)


def test_a_bulk_load_ends_with_every_key_and_index_back_as_it_was(registry_file):
    before = catalog()
    if POSTGRESQL:
        assert len(written_keys()) >= 8  # roles, specialties, licenses, verifications...
    assert len(written_indexes()) >= 20

    run = import_nppes(registry_file, NppesOptions(bulk_load=True, batch_rows=100))

    assert run.status == "completed" and run.created > 300
    assert bulk_load.CHECKPOINT_KEY not in run.checkpoint
    assert catalog() == before
    bulk = snapshot()
    # The same file again, keys kept: nothing to change, so the bulk load wrote what the
    # checked path would have.
    import_nppes(registry_file, NppesOptions(bulk_load=False))
    assert snapshot() == bulk


@postgresql_only
def test_keys_and_plain_indexes_are_gone_while_rows_load_and_guard_again_after(registry_file):
    before, keys = catalog(), written_keys()
    unique = [item for item in written_indexes() if "UNIQUE" in item[2]]
    plain = len(written_indexes()) - len(unique)
    run = _run()

    assert bulk_load.set_aside(run, WRITTEN_TABLES) == len(keys) + plain
    assert written_keys() == []
    assert written_indexes() == unique  # the merge relies on these
    run.refresh_from_db()
    assert len(run.checkpoint[bulk_load.CHECKPOINT_KEY]) == len(keys) + plain

    bulk_load.put_back(run)

    assert catalog() == before
    bulk_load.put_back(run)  # again: nothing left to do
    assert catalog() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        RoleSpecialty.objects.create(role_id=987_654_321, code="207Q00000X")


@postgresql_only
def test_a_row_written_by_hand_meanwhile_fails_validation_by_name(registry_file):
    place = Location.objects.create(name="Clinic", city="Omaha", state="NE", zip_code="68102")
    run = _run()
    bulk_load.set_aside(run, WRITTEN_TABLES)
    PractitionerRole.objects.create(practitioner_id=987_654_321, location=place)

    with pytest.raises(bulk_load.PutBackError) as failure:
        bulk_load.put_back(run)

    message = str(failure.value)
    assert "providers_practitionerrole" in message and "practitioner_id" in message
    assert "run the same import again" in message
    # Back, not validated, guarding new rows; the run still knows to validate it.
    unvalidated = [key for key in written_keys() if not key[3]]
    assert [key[0] for key in unvalidated] == ["providers_practitionerrole"]
    assert "practitioner_id" in unvalidated[0][2]
    assert bulk_load.CHECKPOINT_KEY in run.checkpoint
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        PractitionerRole.objects.create(practitioner_id=987_654_322, location=place)


@pytest.mark.skipif(POSTGRESQL, reason="SQLite's way; PostgreSQL's is tested above")
def test_sqlite_drops_plain_indexes_and_checks_every_key_afterwards(registry_file):
    before = catalog()
    unique = [item for item in written_indexes() if "UNIQUE" in (item[2] or "").upper()]
    run = _run()
    saved = bulk_load.set_aside(run, WRITTEN_TABLES)
    checks = [i for i in run.checkpoint[bulk_load.CHECKPOINT_KEY] if i["kind"] != "index"]
    assert {i["table"] for i in checks} >= {"providers_practitionerrole", "providers_rolespecialty"}
    kept = [item for item in written_indexes() if item[2] is not None]
    assert kept == [item for item in unique if item[2] is not None]
    assert saved == len(checks) + len(before) - len(catalog())

    place = Location.objects.create(name="Clinic", city="Omaha", state="NE", zip_code="68102")
    orphan = PractitionerRole.objects.create(practitioner_id=987_654_321, location=place)
    with pytest.raises(bulk_load.PutBackError) as failure:
        bulk_load.put_back(run)

    assert "providers_practitionerrole" in str(failure.value)
    assert "987654321" in str(failure.value)
    assert catalog() == before  # the indexes are back all the same
    assert bulk_load.CHECKPOINT_KEY in run.checkpoint
    orphan.delete()
    bulk_load.put_back(run)  # repaired: checked again, and done
    assert bulk_load.CHECKPOINT_KEY not in run.checkpoint


def test_an_import_first_puts_back_what_an_abandoned_run_set_aside(registry_file):
    before = catalog()
    abandoned = _run()
    bulk_load.set_aside(abandoned, WRITTEN_TABLES)
    assert catalog() != before

    import_nppes(registry_file, NppesOptions(bulk_load=False))

    assert catalog() == before
    abandoned.refresh_from_db()
    assert bulk_load.CHECKPOINT_KEY not in abandoned.checkpoint
    assert Practitioner.objects.count() > 250


def test_only_a_big_first_load_is_a_bulk_load_unless_told(registry_file):
    big, small, run = 2 * READ_IN_WORKER_ABOVE, READ_IN_WORKER_ABOVE // 2, _run()
    assert loads_in_bulk(run, big, NppesOptions())
    assert not loads_in_bulk(run, small, NppesOptions())
    assert loads_in_bulk(run, small, NppesOptions(bulk_load=True))
    assert not loads_in_bulk(run, big, NppesOptions(bulk_load=False))
    dry = ImportRun(kind=ImportKind.NPPES, dry_run=True)
    assert not loads_in_bulk(dry, big, NppesOptions(bulk_load=True))

    import_nppes(registry_file, NppesOptions())
    # The registry is no longer empty.
    assert not loads_in_bulk(_run(), big, NppesOptions())
    resumed = _run()
    resumed.checkpoint = {"offset": 1234, "line": 10}
    assert not loads_in_bulk(resumed, big, NppesOptions(bulk_load=True))


def test_an_unfinished_bulk_load_is_reported_by_healthz_and_the_admin(
    registry_file, patient, admin_client
):
    assert patient.get("/healthz").json()["status"] == "ok"
    abandoned = _run()
    bulk_load.set_aside(abandoned, WRITTEN_TABLES)

    health = patient.get("/healthz")
    assert health.status_code == 200  # still serving, but loudly degraded
    assert health.json()["status"] == "degraded"
    (warning,) = health.json()["warnings"]
    assert f"import run {abandoned.pk}" in warning and "Run the import again" in warning
    history = admin_client.get("/admin/imports/importrun/").content.decode()
    assert "A bulk load is unfinished" in history

    import_nppes(registry_file, NppesOptions(bulk_load=False))  # puts the set-aside back
    assert patient.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "vendor": connection.vendor,
        "warnings": [],
    }
