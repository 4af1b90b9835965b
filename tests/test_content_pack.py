"""Operators and editors keep guides as files: load, export, and clear errors for bad files."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from careatlas.procedures.models import Guide, GuideRevision, Procedure, Source

pytestmark = pytest.mark.django_db
PACK = Path(settings.CONTENT_DIR)


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PACK, target)
    return target


def _load(path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


def _tree(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): p.read_text(encoding="utf-8")
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.suffix in {".md", ".yaml", ".svg"}
    }


def test_the_shipped_pack_meets_the_brief(content_pack):
    guides = Guide.objects.published()
    assert guides.count() >= 12
    assert guides.values("procedure__specialty").distinct().count() >= 5
    for slug in [
        "osteopathic-manual-treatment",
        "chiropractic-manipulation",
        "physical-therapy",
        "massage-therapy",
        "acupuncture",
    ]:
        assert Procedure.objects.filter(slug=slug).exists(), slug
    for guide in Guide.objects.for_page():
        assert guide.sample_content, f"{guide} must say it is sample content awaiting review"
        assert not guide.publishing_problems(), guide
        for stat in guide.stats.all():
            assert stat.source is not None and stat.method
    assert all(s.pmid or s.pmcid or s.doi or s.url for s in Source.objects.all())


def test_omt_guide_carries_the_real_medicare_payment(content_pack):
    guide = Guide.objects.for_page().get(
        procedure__slug="osteopathic-manual-treatment", language="en"
    )
    codes = sorted(guide.procedure.codes.values_list("code", flat=True))
    assert codes == ["98925", "98926", "98927", "98928", "98929"]
    cost = guide.stats.get(kind="cost")
    assert cost.unit == "usd" and float(cost.low) == 32.18  # 98925, CMS PFS 2022, non-facility


def test_loading_twice_changes_nothing(content_pack):
    revisions = GuideRevision.objects.count()
    output = _load(PACK)
    assert "created nothing; updated nothing" in output
    assert GuideRevision.objects.count() == revisions


def test_export_then_load_is_stable(content_pack, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    call_command("export_content", str(first), verbosity=0)
    assert "created nothing; updated nothing" in _load(first)
    call_command("export_content", str(second), verbosity=0)
    assert _tree(first) == _tree(second)


def test_the_committed_pack_is_in_canonical_form(content_pack, tmp_path):
    call_command("export_content", str(tmp_path / "out"), verbosity=0)
    exported = _tree(tmp_path / "out")
    shipped = {k: v for k, v in _tree(PACK).items() if k in exported}
    assert exported == shipped, "run `manage.py export_content` after editing content files by hand"


def test_an_edited_file_updates_only_that_guide(content_pack, pack_copy):
    path = pack_copy / "guides" / "en" / "acupuncture.md"
    path.write_text(path.read_text().replace("summary: ", "summary: Updated. ", 1))
    output = _load(pack_copy)
    assert "updated 1 guides" in output
    assert Guide.objects.get(procedure__slug="acupuncture", language="en").summary.startswith(
        "Updated."
    )
    assert Guide.objects.get(procedure__slug="acupuncture", language="en").revisions.count() == 2


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "guides/en/acupuncture.md",
            "status: published",
            "status: finished",
            "acupuncture.md: status: must be one of",
        ),
        ("guides/en/acupuncture.md", "kind: ", "kind: magic_", "stats[0].kind: must be one of"),
        (
            "guides/en/acupuncture.md",
            "slug: acupuncture",
            "slug: acupuncture\ncolour: red",
            "acupuncture.md: colour: unknown field",
        ),
        (
            "guides/en/acupuncture.md",
            "language: en",
            "language: en\n  bad: [indent",
            "acupuncture.md: line",
        ),
        ("sources.yaml", "- key: ", "- key: ", None),  # placeholder replaced below
    ],
)
def test_a_bad_file_names_file_field_and_reason_and_loads_nothing(
    empty_catalogue, pack_copy, file, old, new, message
):
    path = pack_copy / file
    text = path.read_text()
    if message is None:  # a source with no identifier at all
        text = (
            "- key: no-identifier\n  title: Nothing to check\n  publisher: Nobody\n  year: 2020\n"
            + text
        )
        message = "sources.yaml: [0]: needs at least one of pmid, pmcid, doi or url"
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text)
    with pytest.raises(CommandError) as error:
        _load(pack_copy)
    assert "Nothing was loaded" in str(error.value)
    assert message in str(error.value)
    assert Guide.objects.count() == 0 and Source.objects.count() == 0


def test_unknown_references_are_reported(empty_catalogue, pack_copy):
    path = pack_copy / "guides" / "en" / "acupuncture.md"
    text = path.read_text()
    path.write_text(text.replace("alternatives:\n", "alternatives:\n- faith-healing\n", 1))
    with pytest.raises(CommandError, match=r"alternatives\[0\]: unknown procedure 'faith-healing'"):
        _load(pack_copy)
    assert Guide.objects.count() == 0


def test_a_stat_source_must_be_cited_by_the_guide(db, pack_copy):
    path = pack_copy / "guides" / "en" / "osteopathic-manual-treatment.md"
    text = path.read_text()
    path.write_text(text.replace("  source: ", "  source: not-listed-", 1))
    with pytest.raises(
        CommandError, match=r"stats\[0\]\.source: 'not-listed-.*' is not in this guide's sources"
    ):
        _load(pack_copy)


def test_an_illustration_with_script_is_refused(db, pack_copy):
    (pack_copy / "illustrations" / "acupuncture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    )
    with pytest.raises(
        CommandError, match="illustrations/acupuncture.svg: illustration: must not contain"
    ):
        _load(pack_copy)


def test_omt_cost_matches_the_cms_fee_schedule_file(content_pack, real_data):
    """The published range is exactly the national non-facility payment for 98925-98929."""
    import csv

    with open(real_data / "fees" / "omt_medicare_pfs_2022.csv", newline="") as handle:
        payments = {
            row["hcpcs"]: float(row["national_nonfacility_payment_usd"])
            for row in csv.DictReader(handle)
        }
    guide = Guide.objects.get(procedure__slug="osteopathic-manual-treatment", language="en")
    cost = guide.stats.get(kind="cost")
    assert set(payments) == set(guide.procedure.codes.values_list("code", flat=True))
    assert (float(cost.low), float(cost.high)) == (min(payments.values()), max(payments.values()))
    assert cost.year == 2022 and cost.source.key == "cms-pfs-2022"
