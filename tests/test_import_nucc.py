"""An operator loads the NUCC taxonomy: codes with their hierarchy, mapped onto our specialties."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from careatlas.imports.models import ImportRun, RunStatus
from careatlas.providers.models import RoleSpecialty, TaxonomyCode
from careatlas.search.interface import ProviderQuery, find_providers
from tests.conftest import REPO
from tests.provider_factories import RoleFactory, add_specialty_code

pytestmark = pytest.mark.django_db

NUCC = Path("nucc") / "nucc_taxonomy_251.csv"
HEADER = "Code,Grouping,Classification,Specialization,Definition,Notes,Display Name,Section\n"


@pytest.fixture
def nucc_file(real_data) -> Path:
    return real_data / NUCC


def import_nucc(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_nucc", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def codes_of(slug: str) -> set[str]:
    return set(TaxonomyCode.objects.filter(specialty__slug=slug).values_list("code", flat=True))


def test_the_whole_code_set_imports_with_its_hierarchy(content_pack, nucc_file):
    out, _err = import_nucc(nucc_file)
    assert "883 rows imported" in out and "883 new" in out and "0 quarantined" in out
    assert TaxonomyCode.objects.count() == 883
    omm = TaxonomyCode.objects.get(code="204D00000X")
    assert omm.grouping == "Allopathic & Osteopathic Physicians"
    assert omm.classification == "Neuromusculoskeletal Medicine & OMM"
    assert omm.specialization == ""
    assert omm.display_name == "Neuromusculoskeletal Medicine & OMM Physician"
    assert omm.section == "Individual" and omm.version == "25.1"
    assert omm.definition.startswith("The Neuromusculoskeletal Medicine and Osteopathic")
    gastro = TaxonomyCode.objects.get(code="207RG0100X")
    assert (gastro.classification, gastro.specialization) == (
        "Internal Medicine",
        "Gastroenterology",
    )
    assert gastro.name == "Gastroenterology Physician"
    run = ImportRun.objects.get(kind="nucc")
    assert run.status == RunStatus.COMPLETED and run.created == 883


def test_each_specialty_claims_the_codes_that_belong_to_it(content_pack, nucc_file):
    import_nucc(nucc_file)
    assert codes_of("osteopathic-medicine") == {"204D00000X", "204C00000X"}
    chiropractic = codes_of("chiropractic")
    assert len(chiropractic) == 12 and all(code.startswith("111N") for code in chiropractic)
    assert codes_of("acupuncture") == {"171100000X"}
    assert codes_of("massage-therapy") == {"225700000X", "163WM1400X"}
    assert codes_of("pain-medicine") == {
        "208VP0000X",
        "208VP0014X",  # Interventional Pain Medicine, by classification
        "207LP2900X",
        "2081P2900X",
        "2084P2900X",  # Psychiatry & Neurology > Pain Medicine, by specialization
    }
    assert codes_of("gastroenterology") == {
        "207RG0100X",
        "208C00000X",
        "2080P0206X",
        "207RI0008X",
        "207RT0003X",
        "2080T0004X",
    }
    ophthalmology = codes_of("ophthalmology")
    assert len(ophthalmology) == 8 and "207WX0107X" in ophthalmology  # retina specialist
    orthopaedics = codes_of("orthopaedic-surgery")
    assert len(orthopaedics) == 8 and "207XX0801X" in orthopaedics  # orthopaedic trauma
    physical_therapy = codes_of("physical-therapy")
    assert len(physical_therapy) == 11 and "225200000X" not in physical_therapy  # PT assistant
    # Pediatric Rheumatology is a pediatrician's code: none of our nine specialties.
    assert TaxonomyCode.objects.get(code="2080P0216X").specialty is None
    # A gastroenterology nurse is not a gastroenterologist.
    assert TaxonomyCode.objects.get(code="163WG0100X").specialty is None


def test_a_second_import_changes_nothing(content_pack, nucc_file):
    import_nucc(nucc_file)
    out, _err = import_nucc(nucc_file)
    assert "0 new, 0 updated, 883 unchanged" in out


def test_roles_imported_before_the_code_set_get_their_specialty_and_become_searchable(
    content_pack, nucc_file
):
    role = RoleFactory(practitioner__last_name="Sportsdoc")
    # A chiropractic sports physician: no code the pack lists explicitly, so no specialty yet.
    add_specialty_code(role, "111NS0005X")
    assert RoleSpecialty.objects.get(role=role).specialty is None
    import_nucc(nucc_file)
    assert RoleSpecialty.objects.get(role=role).specialty.slug == "chiropractic"
    found = find_providers(ProviderQuery(specialty="chiropractic"))
    assert role.practitioner.npi in [hit.npi for hit in found.hits]


def test_the_version_comes_from_the_file_name_or_the_option(content_pack, nucc_file, tmp_path):
    renamed = tmp_path / "taxonomy.csv"
    shutil.copy(nucc_file, renamed)
    with pytest.raises(CommandError, match="pass --version"):
        import_nucc(renamed)
    with pytest.raises(CommandError, match="not a NUCC code set version"):
        import_nucc(renamed, version="latest")
    import_nucc(renamed, version="25.0")
    assert set(TaxonomyCode.objects.values_list("version", flat=True)) == {"25.0"}


def test_bad_rows_are_quarantined_and_the_rest_imports(content_pack, nucc_file, tmp_path):
    lines = nucc_file.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "nucc_taxonomy_251.csv"
    bad.write_text(
        HEADER
        + "".join(lines[1:41])
        + "204D0000X,Allopathic & Osteopathic Physicians,Short code,,,,,Individual\n"
        + lines[1]  # the first code again
        + '"unbalanced,row\n',
        encoding="utf-8",
    )
    report = tmp_path / "quarantine.csv"
    with pytest.raises(CommandError, match="more than the 1.00% allowed; the good rows were imp"):
        import_nucc(bad, quarantine_report=report)
    assert TaxonomyCode.objects.count() == 40
    rows = report.read_text().splitlines()
    assert rows[0] == "line,npi,reason"
    assert rows[1].startswith("42,204D0000X,") and "not a NUCC code" in rows[1]
    assert rows[2].startswith("43,193200000X,") and "appears twice" in rows[2]
    assert rows[3].startswith('44,,"expected 8 fields')
    run = ImportRun.objects.get(kind="nucc")
    assert run.status == RunStatus.COMPLETED and run.quarantined == 3


def test_a_file_without_the_nucc_columns_is_refused(content_pack, tmp_path):
    wrong = tmp_path / "nucc_taxonomy_251.csv"
    wrong.write_text("code,name\n204D00000X,Osteopath\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        import_nucc(wrong)
    assert ImportRun.objects.get(kind="nucc").status == RunStatus.FAILED
    assert not TaxonomyCode.objects.exists()


def test_a_dry_run_counts_but_writes_nothing(content_pack, nucc_file):
    out, _err = import_nucc(nucc_file, dry_run=True)
    assert "883 rows validated" in out and "883 new" in out
    assert not TaxonomyCode.objects.exists()
    assert ImportRun.objects.get(kind="nucc").status == RunStatus.VALIDATED


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(REPO / "content", copy)
    return copy


def _edit_specialties(pack: Path, slug: str, **changes) -> None:
    path = pack / "specialties.yaml"
    specialties = yaml.safe_load(path.read_text(encoding="utf-8"))
    for specialty in specialties:
        if specialty["slug"] == slug:
            specialty.update(changes)
    path.write_text(yaml.safe_dump(specialties, sort_keys=False), encoding="utf-8")


def test_two_specialties_claiming_one_code_stop_the_import(content_pack, nucc_file, pack_copy):
    _edit_specialties(pack_copy, "pain-medicine", nucc_classifications=["Orthopaedic Surgery"])
    # Orthopaedic Surgery's own code is claimed explicitly, so it stays; its subspecialties
    # are claimed by both classification rules.
    message = r"specialties.yaml: .* 207XX0801X is claimed by orthopaedic-surgery and pain-medicine"
    with pytest.raises(CommandError, match=message):
        import_nucc(nucc_file, content_dir=pack_copy)
    assert ImportRun.objects.get(kind="nucc").status == RunStatus.FAILED
    assert not TaxonomyCode.objects.filter(specialty__isnull=False).exists()


def test_a_rule_that_matches_nothing_is_pointed_out(content_pack, nucc_file, pack_copy):
    _edit_specialties(pack_copy, "acupuncture", nucc_classifications=["Acupuncturists"])
    _out, err = import_nucc(nucc_file, content_dir=pack_copy)
    assert "acupuncture: nucc_classifications 'Acupuncturists' matches no code" in err
    assert codes_of("acupuncture") == {"171100000X"}  # still claimed explicitly


def test_a_changed_mapping_moves_roles_on_the_next_import(content_pack, nucc_file, pack_copy):
    import_nucc(nucc_file)
    role = RoleFactory()
    add_specialty_code(role, "2084P2900X")
    assert RoleSpecialty.objects.get(role=role).specialty.slug == "pain-medicine"
    _edit_specialties(pack_copy, "pain-medicine", nucc_specializations=[])
    import_nucc(nucc_file, content_dir=pack_copy)
    assert RoleSpecialty.objects.get(role=role).specialty is None


def test_the_profile_shows_nucc_names_with_the_attribution(content_pack, nucc_file, patient):
    import_nucc(nucc_file)
    role = RoleFactory()
    add_specialty_code(role, "207R00000X")  # Internal Medicine: none of our specialties
    add_specialty_code(role, "204D00000X", primary=False)
    html = patient.get(role.practitioner.get_absolute_url()).content.decode()
    assert "Internal Medicine Physician" in html
    assert "Neuromusculoskeletal Medicine &amp; OMM Physician (204D00000X)" in html
    assert "NUCC Health Care Provider Taxonomy code set, nucc.org" in html
