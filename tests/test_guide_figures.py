"""A patient can read what each figure means, and the pack refuses figures that do not say."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from careatlas.procedures.models import Guide, GuideReview
from tests.pack_files import copy_pack, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    return copy_pack(tmp_path)


OMT = "/procedures/osteopathic-manual-treatment/"


def _edit(pack: Path, slug: str, old: str, new: str) -> None:
    path = pack / "guides" / "en" / f"{slug}.md"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_omt_success_rate_shows_the_sham_group_beside_it(content_pack, patient):
    page = page_text(patient.get(OMT).content.decode())
    assert "50–63%" in page
    assert "Compared with Sham (pretend) OMT in the same trial: 35% and 46%" in page
    assert "In whom 455 US adults aged 21 to 69" in page


def test_omt_cost_says_it_is_only_the_hands_on_part_of_the_visit(content_pack, patient):
    page = page_text(patient.get(OMT).content.decode())
    assert "$32.18–$86.17" in page
    assert "hands-on treatment part of a visit" in page
    assert "Does not cover The office visit billed on the same day" in page


def test_no_card_hides_its_meaning_in_a_tooltip(content_pack, patient):
    html = patient.get(OMT).content.decode()
    assert 'role="tooltip"' not in html
    assert "stat-note" not in html


def test_every_card_links_to_how_we_choose_figures(content_pack, patient):
    html = patient.get(OMT).content.decode()
    cards = re.split(r'class="stat-card[" ]', html)[1:]
    assert len(cards) == 4
    policy = reverse("procedures:figure_policy")
    assert all(f'href="{policy}"' in card for card in cards)
    page = page_text(patient.get(policy).content.decode())
    assert "Compared with what" in page and "what it does not" in page


@pytest.mark.parametrize(
    ("slug", "old", "field"),
    [
        ("osteopathic-manual-treatment", "  comparison: 'sham", "comparison"),
        ("osteopathic-manual-treatment", "  excludes: the office", "excludes"),
        ("acupuncture", "  population: US adults", "population"),
    ],
)
def test_the_pack_refuses_a_card_that_does_not_explain_its_figure(pack_copy, slug, old, field):
    _edit(pack_copy, slug, old, "  unused_" + old.strip())
    with pytest.raises(CommandError, match="unknown key"):
        call_command("load_content", str(pack_copy))
    _edit(pack_copy, slug, "  unused_" + old.strip(), "  x_removed: 1\n  " + old.strip())
    path = pack_copy / "guides" / "en" / f"{slug}.md"
    lines = [ln for ln in path.read_text().splitlines(keepends=True) if "x_removed" not in ln]
    lines = [ln for ln in lines if not ln.startswith(old)]
    path.write_text("".join(lines))
    with pytest.raises(
        CommandError, match=rf"stats\[\d\]\.{field}: is required: the card must explain its figure"
    ):
        call_command("load_content", str(pack_copy))


@pytest.mark.parametrize("field", ["method", "year", "source"])
def test_the_pack_refuses_a_figure_without_source_year_or_method(pack_copy, field):
    path = pack_copy / "guides" / "en" / "acupuncture.md"
    lines = path.read_text().splitlines(keepends=True)
    first = next(i for i, ln in enumerate(lines) if ln.startswith(f"  {field}: "))
    path.write_text("".join(lines[:first] + lines[first + 1 :]))
    with pytest.raises(CommandError, match=rf"stats\[0\]\.{field}: is required"):
        call_command("load_content", str(pack_copy))


def test_a_card_without_a_number_says_what_is_known_with_its_source(content_pack, patient):
    page = page_text(patient.get("/procedures/epidural-steroid-injection/").content.decode())
    assert (
        "No reliable figure yet What is known: in a trial of 400 people with spinal stenosis"
        in page
    )
    assert "Source [1] : Double-blind randomized trial at several sites" in page


def test_a_card_without_a_number_still_needs_its_source(pack_copy):
    path = pack_copy / "guides" / "en" / "epidural-steroid-injection.md"
    lines = path.read_text().splitlines(keepends=True)
    first = next(i for i, ln in enumerate(lines) if ln.startswith("  source: "))
    path.write_text("".join(lines[:first] + lines[first + 1 :]))
    with pytest.raises(CommandError, match=r"stats\[0\]\.source: is required"):
        call_command("load_content", str(pack_copy))


def test_the_sample_label_says_plainly_once_that_no_one_has_reviewed_it(content_pack, patient):
    html = patient.get(OMT).content.decode()
    assert html.count("notice-sample") == 1
    assert "No doctor or other medical reviewer has checked it yet" in page_text(html)
    assert reverse("procedures:editorial_policy") in html


def _add_reviewer(pack: Path) -> None:
    (pack / "reviewers.yaml").write_text(
        "- key: ada-lovell\n  name: Ada Lovell\n  credentials: DO\n  licence_state: tx\n"
    )


def test_a_named_review_shows_reviewer_licence_and_conflicts(pack_copy, patient):
    _add_reviewer(pack_copy)
    _edit(
        pack_copy,
        "osteopathic-manual-treatment",
        "review: null\nreviews: null\n",
        "review: null\nreviews:\n- reviewer: ada-lovell\n  reviewed_on: 2026-11-02\n"
        "  next_review_due: 2028-11-02\n  conflicts_of_interest: Teaches OMT at a medical"
        " school.\n  changes: Clarified who should avoid thrust techniques.\n",
    )
    _edit(
        pack_copy, "osteopathic-manual-treatment", "sample_content: true", "sample_content: false"
    )
    call_command("load_content", str(pack_copy))
    html = patient.get(OMT).content.decode()
    page = page_text(html)
    assert "Reviewed by Ada Lovell, DO (licensed in TX), on Nov. 2, 2026." in page
    assert "Conflicts of interest: Teaches OMT at a medical school." in page
    assert "Medically reviewed by Ada Lovell, DO on Nov. 2, 2026" in page
    assert "notice-sample" not in html
    policy = page_text(patient.get(reverse("procedures:editorial_policy")).content.decode())
    assert "Ada Lovell, DO, licensed in TX" in policy
    guide = Guide.objects.get(procedure__slug="osteopathic-manual-treatment", language="en")
    assert GuideReview.objects.filter(guide=guide).count() == 1
    out = pack_copy.parent / "out"
    call_command("export_content", str(out))
    assert (
        "conflicts_of_interest: Teaches OMT"
        in (out / "guides" / "en" / "osteopathic-manual-treatment.md").read_text()
    )


def test_sample_label_stays_until_a_reviewer_signs_off(pack_copy):
    _edit(
        pack_copy, "osteopathic-manual-treatment", "sample_content: true", "sample_content: false"
    )
    with pytest.raises(CommandError, match="sample_content: may be false only once a named"):
        call_command("load_content", str(pack_copy))


def test_a_review_by_an_unknown_reviewer_is_refused(pack_copy):
    _edit(
        pack_copy,
        "acupuncture",
        "reviews: null\n",
        "reviews:\n- reviewer: nobody\n  reviewed_on: 2026-11-02\n"
        "  conflicts_of_interest: None declared.\n",
    )
    with pytest.raises(CommandError, match=r"reviews\[0\]\.reviewer: unknown reviewer 'nobody'"):
        call_command("load_content", str(pack_copy))


def test_guide_has_contents_list_and_last_updated_line(content_pack, patient):
    html = patient.get(OMT).content.decode()
    toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
    anchors = re.findall(r'href="#([\w-]+)"', toc)
    assert anchors[0] == "stats-h" and "sources-h" in anchors and "review-h" in anchors
    assert all(f'id="{a}"' in html for a in anchors)
    assert "Last updated" in page_text(html)


def test_a_review_added_by_an_editor_becomes_the_current_review(content_pack, patient):
    from careatlas.procedures import services
    from careatlas.procedures.models import Reviewer

    guide = Guide.objects.get(procedure__slug="acupuncture", language="en")
    person = Reviewer.objects.create(
        key="li-wen", name="Li Wen", credentials="MD", licence_state="CA"
    )
    GuideReview.objects.create(
        guide=guide,
        reviewer=person,
        reviewed_on="2026-10-01",
        conflicts_of_interest="None declared.",
    )
    services.guide_edited(guide)
    guide.refresh_from_db()
    assert (guide.reviewer_name, str(guide.reviewed_on)) == ("Li Wen", "2026-10-01")
    assert "conflicts_of_interest: None declared." in guide.revisions.first().snapshot
