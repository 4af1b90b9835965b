"""An operator loads CMS hospitals, placed with HIFLD coordinates or, failing that, the ZIP."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careatlas.imports.files import CsvSource
from careatlas.imports.models import ImportRun, RunStatus
from careatlas.providers.geocoding import zip_place
from careatlas.providers.models import Location, Organization

pytestmark = pytest.mark.django_db

CMS = Path("facilities") / "cms_hospital_general_information.csv"
HIFLD = Path("facilities") / "hifld_hospitals.csv"


@pytest.fixture
def cms_file(real_data) -> Path:
    return real_data / CMS


@pytest.fixture
def hifld_file(real_data) -> Path:
    return real_data / HIFLD


def import_hospitals(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_hospitals", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def excerpt(source: Path, target: Path, *prefixes: str, edit=None) -> Path:
    """The header and the rows whose first field starts with one of the prefixes."""
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines[1:] if line.startswith(prefixes)]
    if edit:
        kept = [edit(line) for line in kept]
    target.write_text(lines[0] + "".join(kept), encoding="utf-8")
    return target


def place_of(ccn: str) -> Location:
    return Location.objects.select_related("organization").get(source_key=f"ccn:{ccn}")


def test_every_hospital_arrives_placed_from_hifld_or_its_zip(cms_file, hifld_file):
    out, err = import_hospitals(cms_file, coordinates=hifld_file)
    assert "5,421 rows imported" in out and "5,421 new" in out and "0 quarantined" in out
    assert Organization.objects.filter(kind="hospital").count() == 5421
    assert Location.objects.filter(source_key__startswith="ccn:").count() == 5421
    assert "Hospital coordinates:" in err and "HIFLD (name)" in err and "ZIP centroid" in err
    assert not Location.objects.filter(latitude__isnull=True).exists()
    # HIFLD has Southeast Health Medical Center at its own point, not Dothan's ZIP centre.
    southeast = place_of("010001")
    assert (southeast.latitude, southeast.longitude) == (31.21630365, -85.36363112)
    assert southeast.organization.name == "Southeast Health Medical Center"
    assert southeast.organization.star_rating == 4
    assert southeast.organization.emergency_services is True
    assert southeast.organization.hospital_type == "Acute Care Hospitals"
    assert southeast.organization.ownership == "Government - Hospital District or Authority"
    assert (southeast.line1, southeast.city, southeast.phone) == (
        "1108 Ross Clark Circle",
        "Dothan",
        "3347938701",
    )
    # HIFLD lists no hospital in Baptist Hospital's ZIP: the ZIP centroid stands in.
    baptist = place_of("100093")
    centre = zip_place("32503")
    assert (baptist.latitude, baptist.longitude) == (centre.latitude, centre.longitude)
    run = ImportRun.objects.get(kind="hospitals")
    assert run.status == RunStatus.COMPLETED and run.options["coordinates_sha256"]


def test_the_hifld_header_starts_with_a_byte_order_mark_that_is_ignored(hifld_file):
    assert hifld_file.read_bytes().startswith(b"\xef\xbb\xbfX,Y,")
    with CsvSource(hifld_file) as source:
        assert source.header[:3] == ["X", "Y", "OBJECTID"]


def test_ratings_ccns_and_zips_are_read_as_cms_means_them(cms_file, tmp_path):
    sample = excerpt(cms_file, tmp_path / "hospitals.csv", "10001,", "10011,", "01014F", "220")
    import_hospitals(sample)
    st_vincents = Organization.objects.get(ccn="010011")
    assert st_vincents.name == "St. Vincent's East" and st_vincents.star_rating == 2
    not_rated = Organization.objects.filter(ccn__startswith="22", star_rating__isnull=True)
    assert not_rated.exists()  # "Not Available" in the file
    assert Organization.objects.filter(ccn="01014F").exists()
    boston = Location.objects.filter(source_key__startswith="ccn:22", state="MA")
    assert boston.exists() and all(p.zip_code.startswith("0") for p in boston)
    # Without a coordinates file every hospital is placed at its ZIP centroid.
    southeast = place_of("010001")
    centre = zip_place("36301")
    assert (southeast.latitude, southeast.longitude) == (centre.latitude, centre.longitude)


def test_a_second_import_changes_nothing(cms_file, hifld_file, tmp_path):
    sample = excerpt(cms_file, tmp_path / "hospitals.csv", "100")
    first, _err = import_hospitals(sample, coordinates=hifld_file)
    again, _err = import_hospitals(sample, coordinates=hifld_file)
    rows = int(first.split(" rows imported")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert rows > 100 and f"0 new, 0 updated, {rows:,} unchanged" in again


def test_a_hospital_known_from_an_affiliation_is_filled_in(cms_file, tmp_path):
    minimal = Organization.objects.create(kind="hospital", ccn="010001", name="Southeast Health")
    import_hospitals(excerpt(cms_file, tmp_path / "hospitals.csv", "10001,"))
    minimal.refresh_from_db()
    assert minimal.name == "Southeast Health Medical Center" and minimal.star_rating == 4
    assert place_of("010001").organization == minimal
    assert Organization.objects.filter(ccn="010001").count() == 1


def test_bad_rows_are_quarantined(cms_file, tmp_path):
    def spoil(line: str) -> str:
        if line.startswith("10005,"):
            return line.replace(",3,,7,", ",7 stars,,7,", 1)
        if line.startswith("10006,"):
            return line.replace(",AL,", ",XX,", 1)
        return line

    sample = excerpt(cms_file, tmp_path / "hospitals.csv", "1000", edit=spoil)
    report = tmp_path / "quarantine.csv"
    import_hospitals(sample, max_bad_share=0.5, quarantine_report=report)
    lines = report.read_text().splitlines()
    assert lines[1].startswith("3,010005,") and "overall rating '7 stars'" in lines[1]
    assert lines[2].startswith("4,010006,") and "not a US state" in lines[2]
    assert not Organization.objects.filter(ccn__in=["010005", "010006"]).exists()


def test_a_coordinates_file_of_the_wrong_kind_is_refused(cms_file, tmp_path):
    wrong = tmp_path / "points.csv"
    wrong.write_text("name,lat,lon\nSomewhere,1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"points.csv: not the expected layout"):
        import_hospitals(cms_file, coordinates=wrong)
    assert not Organization.objects.exists()
