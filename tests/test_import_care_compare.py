"""An operator loads CMS Care Compare clinicians: new people, richer profiles, bad rows apart."""

import csv
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careatlas.imports.care_compare import CareCompareImporter, cms_specialty_codes
from careatlas.imports.models import ImportRun, RunStatus
from careatlas.providers.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    Verification,
)
from careatlas.search.interface import ProviderQuery, find_providers
from tests.provider_factories import LocationFactory, PractitionerFactory, RoleFactory

pytestmark = pytest.mark.django_db

DAC = Path("providers") / "cms_dac_national_downloadable_excerpt.csv"


@pytest.fixture
def dac_file(real_data) -> Path:
    return real_data / DAC


def import_care_compare(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_care_compare", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The file as a plain CSV reader sees it (header names keep their leading spaces)."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row[name] for name in header] for row in rows)
    return path


def test_every_clinician_address_and_hospital_of_the_real_file_arrives(content_pack, dac_file):
    header, rows = read_rows(dac_file)
    assert header[1] == " Ind_PAC_ID"  # the real file's quirk: names after the first are indented
    out, _err = import_care_compare(dac_file)
    assert "386 rows imported" in out and "0 quarantined" in out
    places = {(row["NPI"], row[" adrs_id"]) for row in rows}
    hospitals_of = defaultdict(set)
    for row in rows:
        for n in range(1, 6):
            if row[f" hosp_afl_{n}"]:
                hospitals_of[row["NPI"]].add(row[f" hosp_afl_{n}"].zfill(6))
    assert Practitioner.objects.count() == len({row["NPI"] for row in rows}) == 371
    assert Location.objects.filter(source_key__startswith="dac:").count() == len(places)
    assert PractitionerRole.objects.count() == len(places)
    affiliations = Practitioner.hospital_affiliations.through.objects.count()
    assert affiliations == sum(len(ccns) for ccns in hospitals_of.values())
    assert Organization.objects.filter(kind="hospital").count() == len(
        set().union(*hospitals_of.values())
    )
    assert ImportRun.objects.get(kind="care_compare").status == RunStatus.COMPLETED


def test_a_clinician_is_created_with_what_care_compare_knows(content_pack, dac_file):
    import_care_compare(dac_file, data_date="2021-06-01")
    socrates = Practitioner.objects.get(npi="1215911011")
    assert (socrates.first_name, socrates.last_name) == ("Socrates", "Perez-Rodriguez")
    assert socrates.sex == "male" and socrates.credentials == ["MD"]
    assert socrates.medical_school == ""  # Care Compare says only "OTHER"
    assert socrates.graduation_year == 1981
    assert socrates.medicare_assignment == "Y"
    assert socrates.pac_id == "9638060049"
    identity = Verification.objects.get(practitioner=socrates, fact="identity")
    assert (identity.method, identity.verified_by) == ("registry_match", "CMS Care Compare")
    assert identity.verified_on.isoformat() == "2021-06-01"
    place = Location.objects.get(roles__practitioner=socrates)
    assert (place.line1, place.line2, place.city) == ("870 111th Ave N", "Suite 3", "Naples")
    assert place.zip_code == "34108-1869"  # nine digits in the file
    assert place.latitude == pytest.approx(26.2, abs=0.1)
    assert Verification.objects.get(location=place, fact="address").verified_by == (
        "CMS Care Compare"
    )
    hospitals = dict(socrates.hospital_affiliations.values_list("ccn", "name"))
    assert hospitals == {
        "100018": "Naples Community Hospital",
        "100286": "Physicians Regional Medical Center - Pine Ridge",
    }


def test_several_address_rows_make_several_places(content_pack, dac_file):
    import_care_compare(dac_file)
    mueller = Practitioner.objects.get(npi="1215925722")
    places = Location.objects.filter(roles__practitioner=mueller).order_by("zip_code")
    assert [p.zip_code for p in places] == ["60102-5917", "60123-2300", "60123-4912"]
    assert all(p.source_key.startswith("dac:1215925722:IL60") for p in places)
    assert mueller.medical_school == "University of Chicago, Pritzker School of Medicine"


def test_zips_and_ids_that_lost_their_leading_zeros_get_them_back(content_pack, dac_file):
    import_care_compare(dac_file)
    san_german = Location.objects.filter(roles__practitioner__npi="1215348321")
    assert {p.zip_code for p in san_german} == {"00682", "00683-3949"}
    assert Practitioner.objects.get(npi="1215325329").pac_id == "0547525206"
    assert Organization.objects.filter(ccn="050278", kind="hospital").exists()


def test_specialties_map_to_nucc_codes_and_ours(content_pack, dac_file):
    import_care_compare(dac_file)
    # Dr Lee's two places: OMM first, family medicine (none of our nine) second.
    for role in PractitionerRole.objects.filter(practitioner__npi="1215901509"):
        listed = [
            (s.code, s.is_primary, s.specialty and s.specialty.slug) for s in role.specialties.all()
        ]
        assert listed == [("204D00000X", True, "osteopathic-medicine"), ("207Q00000X", False, None)]
    _header, rows = read_rows(dac_file)
    specialty_columns = [" pri_spec", *(f" sec_spec_{n}" for n in range(1, 5))]
    omm = {
        row["NPI"]
        for row in rows
        if "OSTEOPATHIC MANIPULATIVE MEDICINE" in {row[c] for c in specialty_columns}
    }
    found = find_providers(ProviderQuery(specialty="osteopathic-medicine"))
    assert {hit.npi for hit in found.hits} == omm and len(omm) == 2
    internist = RoleSpecialty.objects.get(role__practitioner__npi="1215911011")
    assert (internist.code, internist.specialty) == ("207R00000X", None)


def test_every_care_compare_specialty_maps_to_a_real_nucc_code(real_data):
    with (real_data / "nucc" / "nucc_taxonomy_251.csv").open(encoding="utf-8") as stream:
        codes = {row["Code"] for row in csv.DictReader(stream)}
    table = cms_specialty_codes()
    assert not {name: code for name, code in table.items() if code not in codes}
    _header, rows = read_rows(real_data / DAC)
    used = {row[" pri_spec"] for row in rows} | {row[" sec_spec_1"] for row in rows} - {""}
    assert used <= set(table)


def test_a_second_import_changes_nothing(content_pack, dac_file):
    import_care_compare(dac_file)
    counts = (Location.objects.count(), Verification.objects.count(), RoleSpecialty.objects.count())
    out, _err = import_care_compare(dac_file)
    assert "0 new, 0 updated, 386 unchanged" in out
    assert counts == (
        Location.objects.count(),
        Verification.objects.count(),
        RoleSpecialty.objects.count(),
    )


def test_a_clinician_already_listed_is_enriched_not_overwritten(content_pack, dac_file):
    manzione = PractitionerFactory(
        npi="1215922828", first_name="Marcus", last_name="Manzione", sex="unknown"
    )
    office = LocationFactory(
        line1="2600 Philmont Avenue", city="Huntingdon Valley", state="PA", zip_code="19006"
    )
    RoleFactory(practitioner=manzione, location=office)
    import_care_compare(dac_file)
    manzione.refresh_from_db()
    assert manzione.first_name == "Marcus" and manzione.credentials == ["DO"]
    assert manzione.sex == "male"  # was not stated
    assert manzione.medical_school == "George Washington University School of Medicine"
    assert manzione.graduation_year == 1977
    assert not Verification.objects.filter(practitioner=manzione, fact="identity").exists()
    # Same street and ZIP as the office already listed: no second copy of the place.
    assert list(Location.objects.filter(roles__practitioner=manzione)) == [office]
    assert Verification.objects.get(location=office, fact="address").verified_by == (
        "CMS Care Compare"
    )


def test_a_group_practice_becomes_an_organization_with_its_places(content_pack, dac_file, tmp_path):
    header, rows = read_rows(dac_file)
    mueller = [row for row in rows if row["NPI"] == "1215925722"]
    for row in mueller:
        row[" org_nm"], row[" org_pac_id"] = "FOX VALLEY FAMILY PHYSICIANS SC", "42101553"
    import_care_compare(write_rows(tmp_path / "dac.csv", header, mueller))
    practice = Organization.objects.get(kind="practice")
    assert (practice.name, practice.pac_id) == ("Fox Valley Family Physicians SC", "0042101553")
    roles = PractitionerRole.objects.filter(practitioner__npi="1215925722")
    assert roles.count() == 3
    assert all(r.organization == practice and r.location.organization == practice for r in roles)


def test_bad_rows_are_quarantined_with_their_line_and_reason(content_pack, dac_file, tmp_path):
    header, rows = read_rows(dac_file)
    rows = rows[:40]
    rows[4]["NPI"] = rows[4]["NPI"][:-1] + str((int(rows[4]["NPI"][-1]) + 1) % 10)
    rows[9][" zip"] = "100123234"  # a New York ZIP on a row in another state
    rows[14][" lst_nm"] = ""
    rows[19][" Grd_yr"] = "19OO"
    report = tmp_path / "bad.csv"
    bad = write_rows(tmp_path / "dac.csv", header, rows)
    out, _err = import_care_compare(bad, max_bad_share=0.2, quarantine_report=report)
    assert "36 new" in out and "4 quarantined" in out
    lines = list(csv.reader(report.open()))
    assert lines[0] == ["line", "npi", "reason"]
    assert [line[0] for line in lines[1:]] == ["6", "11", "16", "21"]
    assert "not a valid NPI" in lines[1][2]
    assert lines[2][2].startswith("ZIP 10012 is in NY, not ")
    assert lines[3][1] == rows[14]["NPI"] and "name" in lines[3][2]
    assert "graduation year" in lines[4][2]
    assert not Practitioner.objects.filter(npi=rows[4]["NPI"]).exists()
    with pytest.raises(CommandError, match="4 of 40 rows"):
        import_care_compare(bad)


def test_a_dry_run_validates_without_writing(content_pack, dac_file):
    out, _err = import_care_compare(dac_file, dry_run=True)
    assert "386 rows validated" in out and "386 new" in out
    assert not Practitioner.objects.exists() and not Organization.objects.exists()
    assert ImportRun.objects.get(kind="care_compare").status == RunStatus.VALIDATED


def test_an_interrupted_import_resumes_from_its_checkpoint(content_pack, dac_file, monkeypatch):
    from careatlas.imports.management.commands import import_care_compare as command

    monkeypatch.setattr(command.Command, "batch_rows", 100)
    original = CareCompareImporter.row

    def crash_on_line_250(self, line, fields):
        if line == 250:
            raise RuntimeError("killed")
        return original(self, line, fields)

    monkeypatch.setattr(CareCompareImporter, "row", crash_on_line_250)
    with pytest.raises(RuntimeError):
        import_care_compare(dac_file)
    run = ImportRun.objects.get(kind="care_compare")
    assert run.status == RunStatus.RUNNING and run.rows_read == 200
    monkeypatch.setattr(CareCompareImporter, "row", original)
    out, _err = import_care_compare(dac_file)
    run.refresh_from_db()
    assert run.resumed == 1 and run.status == RunStatus.COMPLETED
    assert "386 rows imported" in out and "0 updated" in out
    assert Practitioner.objects.count() == 371
    assert Location.objects.count() == 386


def test_a_later_file_moves_clinicians_into_a_practice_and_changes_specialties(
    content_pack, dac_file, tmp_path
):
    header, rows = read_rows(dac_file)
    mueller = [row for row in rows if row["NPI"] == "1215925722"]
    import_care_compare(write_rows(tmp_path / "first.csv", header, mueller))
    for row in mueller:
        row[" org_nm"], row[" org_pac_id"] = "FOX VALLEY FAMILY PHYSICIANS SC", "4210155301"
        row[" pri_spec"], row[" sec_spec_1"] = "SPORTS MEDICINE", "FAMILY MEDICINE"
    out, _err = import_care_compare(write_rows(tmp_path / "later.csv", header, mueller))
    assert "0 new, 3 updated" in out
    practice = Organization.objects.get(pac_id="4210155301")
    for role in PractitionerRole.objects.filter(practitioner__npi="1215925722"):
        assert role.organization == practice and role.location.organization == practice
        codes = [(s.code, s.is_primary) for s in role.specialties.all()]
        assert codes == [("207QS0010X", True), ("207Q00000X", False)]


@pytest.mark.parametrize(
    ("written", "shown", "kind"),
    [
        ("PEREZ-RODRIGUEZ", "Perez-Rodriguez", "person"),
        ("MCDONALD", "McDonald", "person"),
        ("O'BRIEN", "O'Brien", "person"),
        ("JR.", "Jr.", "person"),
        ("III", "III", "person"),
        ("McKenzie", "McKenzie", "person"),  # typed with care: kept
        ("UNIVERSITY OF TEXAS SOUTHWESTERN MEDICAL SCHOOL AT DALLAS", "University of Texas "
         "Southwestern Medical School at Dallas", "place"),
        ("UT SOUTHWESTERN UNIVERSITY HOSPITAL", "UT Southwestern University Hospital", "place"),
        ("ST. VINCENT'S EAST", "St. Vincent's East", "place"),
        ("1216 2ND ST SW", "1216 2nd St SW", "street"),
        ("PO BOX 760", "PO Box 760", "street"),
    ],
)  # fmt: skip
def test_names_written_in_capitals_are_shown_in_readable_case(written, shown, kind):
    from careatlas.imports.casing import address_line, person_name, place_name

    convert = {"person": person_name, "place": place_name, "street": address_line}[kind]
    assert convert(written) == shown


def test_restart_forgets_an_interrupted_run_and_reads_the_file_again(
    content_pack, dac_file, monkeypatch
):
    from careatlas.imports.management.commands import import_care_compare as command

    monkeypatch.setattr(command.Command, "batch_rows", 100)
    original = CareCompareImporter.row

    def crash(self, line, fields):
        if line == 150:
            raise RuntimeError("killed")
        return original(self, line, fields)

    monkeypatch.setattr(CareCompareImporter, "row", crash)
    with pytest.raises(RuntimeError):
        import_care_compare(dac_file)
    monkeypatch.setattr(CareCompareImporter, "row", original)
    out, _err = import_care_compare(dac_file, restart=True)
    run = ImportRun.objects.get(kind="care_compare")
    assert run.status == RunStatus.COMPLETED and run.rows_read == 386
    assert "100 unchanged" in out  # the first batch was already in


def test_names_in_capitals_keep_their_accents_when_made_readable():
    from careatlas.imports.casing import person_name, place_name

    assert person_name("JOSÉ PEÑA-ÁLVAREZ") == "José Peña-Álvarez"
    assert place_name("HOSPITAL SAN JOSÉ") == "Hospital San José"
