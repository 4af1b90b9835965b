"""An operator loads the NPPES registry file: providers appear, stay current, and a bad file
never corrupts what is there."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from careatlas.imports.models import ImportRun, NppesRecord, QuarantinedRow, RunStatus
from careatlas.imports.nppes.importer import NppesOptions, Tally, _classify, import_nppes
from careatlas.imports.nppes.layout import POSITION
from careatlas.imports.nppes.reading import ReadPlan, read_batches
from careatlas.imports.nppes.synthetic import nucc_codes_from_csv, write_synthetic_nppes
from careatlas.imports.runs import COUNTERS, Quarantine
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
from careatlas.search.providers import ProviderQuery, find_providers
from tests.nppes_files import (
    deactivation,
    individual,
    load_taxonomy,
    npi,
    organization,
    write_nppes,
)
from tests.provider_factories import PractitionerFactory

pytestmark = pytest.mark.django_db
FILE_NAME = "npidata_pfile_20050523-20250608.csv"


@pytest.fixture
def nucc(shared_data):
    load_taxonomy(shared_data)


@pytest.fixture
def recent() -> datetime.date:
    """A data date young enough for verifications to count as current."""
    return timezone.localdate() - datetime.timedelta(days=10)


def run_import(path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_nppes", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def last_run() -> ImportRun:
    return ImportRun.objects.filter(kind="nppes").latest("started_at", "id")


def found(text: str) -> list[str]:
    return [hit.npi for hit in find_providers(ProviderQuery(text=text, page_size=50)).hits]


def snapshot() -> dict:
    """Every directory row the importer writes, with its last-modified time."""
    return {
        "practitioners": list(Practitioner.objects.order_by("npi").values()),
        "organizations": list(Organization.objects.order_by("npi").values()),
        "locations": list(Location.objects.order_by("source_key").values()),
        "roles": list(PractitionerRole.objects.order_by("id").values()),
        "specialties": list(RoleSpecialty.objects.order_by("id").values()),
        "licenses": list(StateLicense.objects.order_by("id").values()),
        "verifications": list(Verification.objects.order_by("id").values()),
    }


def test_an_individual_becomes_a_verified_practitioner_at_their_practice_address(
    tmp_path, nucc, content_pack, recent
):
    dana = npi(1)
    path = write_nppes(
        tmp_path,
        [
            individual(
                dana,
                first="DANA",
                last="O'REYES-MCDONALD",
                credential="D.O., MPH",
                taxonomies=(
                    ("207Q00000X", "", "", "N"),
                    ("204D00000X", "OS0123", "NY", "Y"),
                    ("204D00000X", "OS9", "NJ", "N"),
                ),
                **{"Provider Name Prefix Text": "DR."},
            )
        ],
        data_date=recent,
    )
    summary = run_import(path)

    assert "1 new" in summary and "0 quarantined" in summary
    practitioner = Practitioner.objects.get(npi=dana)
    assert (practitioner.first_name, practitioner.last_name) == ("Dana", "O'Reyes-McDonald")
    assert practitioner.credentials == ["DO", "MPH"]
    assert practitioner.sex == "female"
    assert practitioner.enumerated_on == datetime.date(2010, 1, 4)
    assert practitioner.registry_updated_on == datetime.date(2020, 3, 2)
    location = Location.objects.get(source_key=f"nppes:{dana}")
    assert location.organization is None
    assert (location.line1, location.city, location.state) == ("12 TESTING ST", "New York", "NY")
    assert location.zip_code == "10001-1234" and location.phone == "2125550123"
    assert location.latitude == pytest.approx(40.75, abs=0.05)  # the ZIP's centroid
    role = PractitionerRole.objects.get(practitioner=practitioner)
    assert role.location == location and role.organization is None
    specialties = list(role.specialties.all())  # primary first
    assert [(s.code, s.is_primary) for s in specialties] == [
        ("204D00000X", True),
        ("207Q00000X", False),
    ]
    assert specialties[0].specialty.slug == "osteopathic-medicine"
    assert sorted(practitioner.licenses.values_list("state", "number")) == [
        ("NJ", "OS9"),
        ("NY", "OS0123"),
    ]
    verifications = Verification.objects.filter(verified_by="NPPES registry")
    assert sorted(verifications.values_list("fact", "method", "verified_on")) == [
        ("identity", "registry_match", recent),
        ("license", "registry_match", recent),
        ("license", "registry_match", recent),
    ]
    assert practitioner.is_verified()
    assert found("reyes") == [dana]
    assert last_run().data_date == recent


def test_an_organization_becomes_a_practice_with_its_location(tmp_path, nucc):
    number = npi(2)
    run_import(write_nppes(tmp_path, [organization(number)]))

    practice = Organization.objects.get(npi=number)
    assert practice.name == "SYNTHETICA OSTEOPATHIC CARE LLC" and practice.kind == "practice"
    location = Location.objects.get(source_key=f"nppes:{number}")
    assert location.organization == practice and location.name == practice.name
    assert not PractitionerRole.objects.exists()


def test_latin1_and_utf8_accents_arrive_intact(tmp_path, nucc, patient):
    jose, renee = npi(3), npi(4)
    latin1 = write_nppes(tmp_path, [individual(jose, first="JOSÉ", last="PEÑA")])
    (tmp_path / "utf8").mkdir()
    utf8 = write_nppes(
        tmp_path / "utf8",
        [individual(renee, first="RENÉE", last="CÔTÉ-MÜLLER", city="SAN JOSÉ")],
        encoding="utf-8",
    )
    run_import(latin1)
    run_import(utf8)

    assert Practitioner.objects.get(npi=jose).name == "José Peña"
    renee_row = Practitioner.objects.get(npi=renee)
    assert renee_row.name == "Renée Côté-Müller"
    assert Location.objects.get(source_key=f"nppes:{renee}").city == "San José"
    assert found("pena") == [jose]
    page = patient.get(Practitioner.objects.get(npi=jose).get_absolute_url())
    assert "José Peña" in page.content.decode()


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


def test_credentials_are_normalised(tmp_path, nucc):
    spellings = {npi(60): "D.O.", npi(61): "DO, MPH", npi(62): "m.d.", npi(63): "PT, DPT"}
    run_import(write_nppes(tmp_path, [individual(n, credential=c) for n, c in spellings.items()]))
    credentials = dict(Practitioner.objects.values_list("npi", "credentials"))
    assert [credentials[n] for n in spellings] == [["DO"], ["DO", "MPH"], ["MD"], ["PT", "DPT"]]


def test_the_zip_as_downloaded_imports_like_its_csv(tmp_path, nucc, shared_data):
    codes = nucc_codes_from_csv(shared_data / "nucc" / "nucc_taxonomy_251.csv")
    archive = write_synthetic_nppes(tmp_path / "NPPES_Data_Dissemination.zip", 300, 5, codes)
    summary = run_import(archive.path)

    assert "300 rows imported" in summary and "0 quarantined" in summary
    run = last_run()
    assert run.data_date == archive.data_date  # from the name of the CSV inside the ZIP
    assert Practitioner.objects.count() + Organization.objects.count() > 280


def test_bad_rows_are_quarantined_and_the_good_ones_import(tmp_path, nucc, shared_data):
    codes = nucc_codes_from_csv(shared_data / "nucc" / "nucc_taxonomy_251.csv")
    synthetic = write_synthetic_nppes(
        tmp_path / "npidata_pfile_20050523-20250608.csv", 400, 9, codes, bad_rows=8
    )
    report = tmp_path / "bad.csv"

    with pytest.raises(CommandError, match=r"8 of 400 rows \(2\.00%\) were quarantined"):
        run_import(synthetic.path, "--quarantine-report", str(report))

    run = last_run()
    assert run.status == RunStatus.COMPLETED and run.quarantined == 8
    assert run.created + run.deactivated == 392  # the good rows are in
    with report.open(encoding="utf-8") as stream:
        lines = list(csv.DictReader(stream))
    assert {int(row["line"]) for row in lines} == set(synthetic.planted)
    reasons = {int(row["line"]): row["reason"] for row in lines}
    expected = {
        "columns": "expected 330 columns, found 327",
        "npi": "invalid NPI",
        "date": "unparseable Provider Enumeration Date '02/30/2019'",
        "taxonomy": "unknown taxonomy code '999Z99999X'",
    }
    for line, kind in synthetic.planted.items():
        assert reasons[line].startswith(expected[kind])
    assert all(row["npi"] for row in lines)

    # Within the allowed share, the same file is a success (and, being done, changes nothing).
    assert "8 quarantined" in run_import(synthetic.path, "--max-bad-share", "0.05")


def test_a_dry_run_validates_without_writing(tmp_path, nucc):
    bad = individual(npi(71))
    bad[POSITION["Provider Enumeration Date"]] = "13/01/2019"
    path = write_nppes(tmp_path, [individual(npi(70)), bad])

    summary = run_import(path, "--dry-run", "--max-bad-share", "0.6")

    assert "2 rows validated" in summary and "1 new" in summary and "1 quarantined" in summary
    assert not Practitioner.objects.exists() and not NppesRecord.objects.exists()
    run = last_run()
    assert run.status == RunStatus.VALIDATED and run.dry_run
    quarantined = QuarantinedRow.objects.get(run=run)
    assert (quarantined.line, quarantined.identifier) == (3, npi(71))
    assert quarantined.reason == (
        "unparseable Provider Enumeration Date '13/01/2019' (expected MM/DD/YYYY)"
    )


def test_taxonomy_codes_are_checked_against_the_nucc_code_set(tmp_path):
    path = write_nppes(tmp_path, [individual(npi(80), taxonomies=(("111N00000X", "", "", "Y"),))])
    with pytest.raises(CommandError, match="run `manage.py import_nucc FILE` first"):
        run_import(path)
    assert not ImportRun.objects.exists()

    run_import(path, "--skip-taxonomy-check")
    assert RoleSpecialty.objects.get().code == "111N00000X"
    assert not TaxonomyCode.objects.exists()


def test_a_file_that_is_not_nppes_is_refused_by_name(tmp_path, nucc):
    other = tmp_path / "hospitals.csv"
    other.write_text("Facility ID,Facility Name\n010001,SOUTHEAST HEALTH\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"hospitals\.csv: not an NPPES data file"):
        run_import(other)
    with pytest.raises(CommandError, match=r"missing\.csv: no such file"):
        run_import(tmp_path / "missing.csv")
    assert not ImportRun.objects.exists()


def test_the_data_date_comes_from_the_name_the_option_or_the_rows(tmp_path, nucc):
    rows = [individual(npi(90), updated="2024-11-02"), individual(npi(91), updated="2025-01-15")]
    named = write_nppes(tmp_path, rows, data_date="2025-02-02")
    unnamed = write_nppes(tmp_path, rows, name="registry.csv")

    run_import(named, "--dry-run")
    assert last_run().data_date == datetime.date(2025, 2, 2)
    run_import(unnamed, "--dry-run", "--data-date", "2025-03-03")
    assert last_run().data_date == datetime.date(2025, 3, 3)
    run_import(unnamed, "--dry-run")
    assert last_run().data_date == datetime.date(2025, 1, 15)  # the latest Last Update Date


def test_a_repeated_npi_keeps_the_later_row(tmp_path, nucc):
    number = npi(95)
    rows = [individual(number, last="EARLIER"), individual(number, last="LATER")]
    summary = run_import(write_nppes(tmp_path, rows), "--max-bad-share", "0.5")

    assert "1 quarantined" in summary
    assert Practitioner.objects.get(npi=number).last_name == "Later"
    assert QuarantinedRow.objects.get().line == 2


def test_reading_in_a_worker_process_gives_the_same_directory(tmp_path, nucc, shared_data):
    codes = nucc_codes_from_csv(shared_data / "nucc" / "nucc_taxonomy_251.csv")
    synthetic = write_synthetic_nppes(
        tmp_path / "npidata_pfile_20050523-20250608.csv", 500, 3, codes, bad_rows=2
    )
    options = NppesOptions(batch_rows=120, read_in_worker=True)

    run = import_nppes(synthetic.path, options)

    assert run.rows_read == 500 and run.quarantined == 2
    assert NppesRecord.objects.count() == 498
    practitioners = Practitioner.objects.count()
    assert practitioners == NppesRecord.objects.filter(entity=1).count()


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
