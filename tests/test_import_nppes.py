"""An operator loads the NPPES registry file: providers appear, stay current, and a bad file
never corrupts what is there."""

import csv
import datetime
import random

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from careatlas.demo.nppes import nucc_codes_from_csv, write_synthetic_nppes
from careatlas.imports.models import ImportRun, NppesRecord, QuarantinedRow, RunStatus
from careatlas.imports.nppes.importer import NppesOptions, import_nppes
from careatlas.imports.nppes.layout import POSITION
from careatlas.providers.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    TaxonomyCode,
    Verification,
)
from careatlas.providers.npi import is_valid_npi, npi_check_digit
from tests.nppes_bad_rows import (
    impossible_date,
    plant,
    short_row,
    unknown_taxonomy,
    wrong_check_digit,
)
from tests.nppes_files import (
    found,
    individual,
    last_run,
    load_taxonomy,
    npi,
    organization,
    run_import,
    write_nppes,
)

pytestmark = pytest.mark.django_db
FILE_NAME = "npidata_pfile_20050523-20250608.csv"


@pytest.fixture
def nucc(real_data):
    load_taxonomy(real_data)


@pytest.fixture
def recent() -> datetime.date:
    """A data date young enough for verifications to count as current."""
    return timezone.localdate() - datetime.timedelta(days=10)


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


def test_credentials_are_normalised(tmp_path, nucc):
    spellings = {npi(60): "D.O.", npi(61): "DO, MPH", npi(62): "m.d.", npi(63): "PT, DPT"}
    run_import(write_nppes(tmp_path, [individual(n, credential=c) for n, c in spellings.items()]))
    credentials = dict(Practitioner.objects.values_list("npi", "credentials"))
    assert [credentials[n] for n in spellings] == [["DO"], ["DO", "MPH"], ["MD"], ["PT", "DPT"]]


def test_the_zip_as_downloaded_imports_like_its_csv(tmp_path, nucc, real_data):
    codes = nucc_codes_from_csv(real_data / "nucc" / "nucc_taxonomy_251.csv")
    archive = write_synthetic_nppes(tmp_path / "NPPES_Data_Dissemination.zip", 300, 5, codes)
    summary = run_import(archive.path)

    assert "300 rows imported" in summary and "0 quarantined" in summary
    run = last_run()
    assert run.data_date == archive.data_date  # from the name of the CSV inside the ZIP
    assert Practitioner.objects.count() + Organization.objects.count() > 280


def test_bad_rows_are_quarantined_and_the_good_ones_import(tmp_path, nucc, real_data):
    codes = nucc_codes_from_csv(real_data / "nucc" / "nucc_taxonomy_251.csv")
    synthetic = write_synthetic_nppes(tmp_path / FILE_NAME, 392, 9, codes)
    bad = {
        2: short_row(1),
        40: wrong_check_digit(2),
        111: impossible_date(3),
        150: unknown_taxonomy(4),
        222: wrong_check_digit(5),
        300: short_row(6),
        345: unknown_taxonomy(7),
        401: impossible_date(8),  # the last line
    }
    plant(synthetic.path, bad)
    report = tmp_path / "bad.csv"

    with pytest.raises(CommandError, match=r"8 of 400 rows \(2\.00%\) were quarantined"):
        run_import(synthetic.path, "--quarantine-report", str(report))

    run = last_run()
    assert run.status == RunStatus.COMPLETED and run.quarantined == 8
    assert run.created + run.deactivated == 392  # the good rows are in
    with report.open(encoding="utf-8") as stream:
        lines = list(csv.DictReader(stream))
    assert {int(row["line"]) for row in lines} == set(bad)
    reasons = {int(row["line"]): row["reason"] for row in lines}
    for line, (_row, reason) in bad.items():
        assert reasons[line].startswith(reason)
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


def test_reading_in_a_worker_process_gives_the_same_directory(tmp_path, nucc, real_data):
    codes = nucc_codes_from_csv(real_data / "nucc" / "nucc_taxonomy_251.csv")
    synthetic = write_synthetic_nppes(tmp_path / FILE_NAME, 498, 3, codes)
    plant(synthetic.path, {130: impossible_date(1), 377: wrong_check_digit(2)})
    options = NppesOptions(batch_rows=120, read_in_worker=True)

    run = import_nppes(synthetic.path, options)

    assert run.rows_read == 500 and run.quarantined == 2
    assert NppesRecord.objects.count() == 498
    practitioners = Practitioner.objects.count()
    assert practitioners == NppesRecord.objects.filter(entity=1).count()


def _textbook_luhn(npi: str) -> bool:
    """The Luhn check as CMS describes it, digit by digit over 80840 + the NPI."""
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed("80840" + npi)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def test_the_fast_npi_check_every_row_goes_through_agrees_with_the_textbook_one():
    rng = random.Random(4)
    candidates = [f"{rng.randrange(10**10):010d}" for _ in range(20_000)]
    candidates += [n[:9] + npi_check_digit(n[:9]) for n in candidates[:5_000]]
    candidates += ["123456789", "12345678901", "12345678a3", "１２３４５６７８９３", ""]
    assert sum(map(is_valid_npi, candidates)) > 5_000
    assert [is_valid_npi(n) for n in candidates] == [_textbook_luhn(n) for n in candidates]
