"""A later registry file: what changed is updated and re-verified, nothing else moves, a
deactivated NPI is hidden and a reactivated one returns, and the directory's own edits hold."""

import datetime
import sqlite3
from dataclasses import replace

import pytest

from careatlas.imports.models import ImportRun, NppesRecord
from careatlas.imports.nppes.importer import Tally, _classify, _worker_database
from careatlas.imports.nppes.reading import ReadPlan, read_batches, read_batches_in_worker
from careatlas.imports.runs import COUNTERS, Quarantine
from careatlas.providers.models import (
    Location,
    Practitioner,
    StateLicense,
    Verification,
)
from tests.nppes_files import (
    deactivation,
    found,
    individual,
    load_taxonomy,
    npi,
    organization,
    run_import,
    snapshot,
    write_nppes,
)
from tests.provider_factories import PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nucc(real_data):
    load_taxonomy(real_data)


def test_importing_the_same_file_twice_changes_nothing(tmp_path, nucc):
    rows = [individual(npi(n)) for n in range(10, 20)] + [organization(npi(20))]
    rows.append(deactivation(npi(21), "2019-01-01"))
    path = write_nppes(tmp_path, rows)
    run_import(path)
    before = snapshot()

    summary = run_import(path)

    assert "0 new, 0 updated, 12 unchanged, 0 deactivated" in summary
    assert snapshot() == before  # not even a timestamp moved
    first, second = ImportRun.objects.filter(kind="nppes").order_by("id")
    assert first.file_sha256 == second.file_sha256 and second.unchanged == 12


def test_a_later_file_updates_changed_facts_and_reverifies_the_rest(tmp_path, nucc):
    moved, stayed = npi(30), npi(31)
    june = write_nppes(tmp_path, [individual(moved), individual(stayed)], data_date="2025-06-08")
    run_import(june)
    (tmp_path / "july").mkdir()
    july = write_nppes(
        tmp_path / "july",
        [
            individual(
                moved,
                street="1 MAIN ST",
                city="BOSTON",
                state="MA",
                zip_code="02108",
                updated="2025-07-01",
                taxonomies=(("204D00000X", "MA777", "MA", "Y"),),
            ),
            individual(stayed),
        ],
        data_date="2025-07-06",
    )

    summary = run_import(july)

    assert "0 new, 1 updated, 1 unchanged" in summary
    location = Location.objects.get(source_key=f"nppes:{moved}")
    assert (location.city, location.state, location.zip_code) == ("Boston", "MA", "02108")
    assert location.latitude == pytest.approx(42.36, abs=0.05)
    assert Location.objects.filter(source_key__startswith="nppes:").count() == 2
    # The license NPPES no longer lists is gone; the new one is verified on the new date.
    licenses = StateLicense.objects.filter(practitioner__npi=moved)
    assert list(licenses.values_list("state", "number")) == [("MA", "MA777")]
    july_6 = datetime.date(2025, 7, 6)
    assert Verification.objects.get(license__in=licenses).verified_on == july_6
    # Unchanged facts were confirmed again by the newer file.
    for number in (moved, stayed):
        identity = Verification.objects.get(fact="identity", practitioner__npi=number)
        assert identity.verified_on == july_6
    assert NppesRecord.objects.get(npi=stayed).verified_on == july_6


def test_an_older_file_never_overwrites_newer_registry_data(tmp_path, nucc):
    number = npi(35)
    (tmp_path / "new").mkdir()
    newer = write_nppes(
        tmp_path / "new",
        [individual(number, city="BOSTON", state="MA", zip_code="02108", updated="2025-07-01")],
        data_date="2025-07-06",
    )
    older = write_nppes(tmp_path, [individual(number, updated="2025-01-01")])
    run_import(newer)

    summary = run_import(older)

    assert "1 unchanged" in summary and "older than what an earlier file gave" in summary
    assert Location.objects.get(source_key=f"nppes:{number}").city == "Boston"


def test_deactivation_hides_a_practitioner_and_reactivation_brings_them_back(
    tmp_path, nucc, patient
):
    number = npi(40)
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
    run_import(
        write_nppes(tmp_path / "a", [individual(number, last="HIDEME")], data_date="2025-01-05")
    )
    assert found("hideme") == [number]
    profile = Practitioner.objects.get(npi=number).get_absolute_url()

    off = run_import(
        write_nppes(tmp_path / "b", [deactivation(number, "2025-02-01")], data_date="2025-02-09")
    )

    practitioner = Practitioner.objects.get(npi=number)  # hidden, not deleted
    assert "1 deactivated" in off
    assert not practitioner.active and practitioner.deactivated_on == datetime.date(2025, 2, 1)
    assert practitioner.last_name == "Hideme"  # the deactivation row carries no name
    assert found("hideme") == []
    assert patient.get(profile).status_code == 404

    back = run_import(
        write_nppes(
            tmp_path / "c",
            [
                individual(
                    number,
                    last="HIDEME",
                    deactivated="2025-02-01",
                    reactivated="2025-03-01",
                    updated="2025-03-01",
                )
            ],
            data_date="2025-03-09",
        )
    )

    practitioner.refresh_from_db()
    assert "1 reactivated" in back
    assert practitioner.active and practitioner.reactivated_on == datetime.date(2025, 3, 1)
    assert found("hideme") == [number]
    assert patient.get(profile).status_code == 200


def test_an_editor_hiding_a_practitioner_outlasts_registry_updates(tmp_path, nucc):
    number = npi(45)
    run_import(write_nppes(tmp_path, [individual(number)]))
    Practitioner.objects.filter(npi=number).update(active=False)
    (tmp_path / "later").mkdir()
    run_import(
        write_nppes(
            tmp_path / "later",
            [individual(number, phone="2125559999", updated="2025-07-01")],
            data_date="2025-07-06",
        )
    )
    assert not Practitioner.objects.get(npi=number).active


def test_a_practitioner_known_from_elsewhere_is_completed_not_duplicated(tmp_path, nucc):
    number = npi(50)
    PractitionerFactory(npi=number, first_name="Dana", last_name="Reyes", bio="Kept.")
    run_import(write_nppes(tmp_path, [individual(number, first="DANA", last="REYES")]))

    practitioner = Practitioner.objects.get(npi=number)
    assert practitioner.bio == "Kept."
    assert practitioner.roles.get().location.source_key == f"nppes:{number}"
    assert practitioner.verifications.get(fact="identity").verified_by == "NPPES registry"


def test_registry_rows_left_behind_by_hand_are_taken_up_again(tmp_path, nucc):
    """A practitioner deleted in the admin leaves the NPPES location; deleting the importer's
    records too makes the NPI look new, and the import must still find that location."""
    number = npi(96)
    path = write_nppes(tmp_path, [individual(number)])
    run_import(path)
    location = Location.objects.get(source_key=f"nppes:{number}")
    Practitioner.objects.filter(npi=number).delete()
    NppesRecord.objects.all().delete()

    assert "1 new" in run_import(path, "--restart")

    practitioner = Practitioner.objects.get(npi=number)
    assert practitioner.roles.get().location == location
    assert Location.objects.filter(source_key__startswith="nppes:").count() == 1


def test_refresh_rewrites_what_was_edited_by_hand(tmp_path, nucc):
    number = npi(97)
    path = write_nppes(tmp_path, [individual(number, first="DANA")])
    run_import(path)
    Practitioner.objects.filter(npi=number).update(first_name="Typo")

    assert "1 unchanged" in run_import(path)
    assert Practitioner.objects.get(npi=number).first_name == "Typo"
    assert "1 updated" in run_import(path, "--refresh")
    assert Practitioner.objects.get(npi=number).first_name == "Dana"


def test_a_hash_read_before_an_earlier_row_changed_it_never_wins(tmp_path, nucc):
    """The reading process may read a hash before the batch that changes it is committed
    (an NPI listed twice): the importer checks again and keeps the earlier row."""
    number = npi(98)
    old = individual(number, last="OLDNAME")
    run_import(write_nppes(tmp_path, [old]))
    stale = {number: (NppesRecord.objects.get(npi=number).row_hash, "2000-01-01")}
    (tmp_path / "new").mkdir()
    path = write_nppes(tmp_path / "new", [individual(number, last="NEWNAME"), old])
    plan = ReadPlan(path, 0, 0, 1, None, {}, day="2025-06-08")
    first, second = read_batches(plan, lambda npis: stale)
    assert not first.records[0].stub and second.records[0].stub
    run = ImportRun.objects.create(kind="nppes", file_name="x", file_sha256="0", file_size=1)
    quarantine = Quarantine(run)

    tally = Tally(counts=dict.fromkeys(COUNTERS, 0))
    NppesRecord.objects.filter(npi=number).update(row_hash=first.records[0].row_hash)
    _classify(second, tally, "2025-06-08", False, quarantine)

    assert tally.staged == [] and tally.counts["unchanged"] == 0
    assert quarantine.pending[0].reason == (
        "NPI listed again in this file; its earlier row is imported"
    )


@pytest.mark.django_db(transaction=True)
def test_the_reading_process_leaves_unchanged_rows_out(tmp_path, real_data):
    """What makes a re-import cheap: the reading process reads the importer's hashes over
    its own connection and ships only a count for rows it already holds."""
    load_taxonomy(real_data)
    same, moved = npi(110), npi(111)
    path = write_nppes(tmp_path, [individual(same), individual(moved)])
    run_import(path)
    (tmp_path / "later").mkdir()
    later = write_nppes(
        tmp_path / "later",
        [individual(same), individual(moved, city="BOSTON", state="MA", zip_code="02108")],
    )
    database = _worker_database()
    if database is None:  # an in-memory SQLite test database: give the worker a file copy
        copy = tmp_path / "records.sqlite3"
        with sqlite3.connect(copy) as db:
            db.execute(
                'CREATE TABLE "imports_nppesrecord" (npi TEXT PRIMARY KEY, row_hash INTEGER,'
                " verified_on TEXT)"
            )
            records = NppesRecord.objects.values_list("npi", "row_hash", "verified_on")
            db.executemany(
                'INSERT INTO "imports_nppesrecord" VALUES (?, ?, ?)',
                [(n, h, day.isoformat()) for n, h, day in records],
            )
        database = {"vendor": "sqlite", "table": '"imports_nppesrecord"', "connect": str(copy)}
    plan = ReadPlan(later, 0, 0, 10, None, {}, day="2025-06-08", database=database)

    (batch,) = read_batches_in_worker(plan)

    assert batch.unchanged == 1 and [r.npi for r in batch.records] == [moved]
    assert not batch.records[0].stub and batch.records[0].values[10] == "Boston"
    # A later data date: the unchanged individual comes as a stub, to be confirmed again.
    (batch,) = read_batches_in_worker(replace(plan, day="2025-07-06"))
    assert batch.unchanged == 0 and [r.stub for r in batch.records] == [True, False]
