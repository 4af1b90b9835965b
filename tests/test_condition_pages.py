"""A patient reads what a condition is, when to get help, what helps, and finds a doctor."""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from careatlas.procedures.models import Condition, ConditionPage
from tests.pack_files import copy_pack, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    return copy_pack(tmp_path)


NEW_CONDITIONS = [
    "peptic-ulcer",
    "barretts-esophagus",
    "dysphagia",
    "colon-polyps",
    "ulcerative-colitis",
    "blood-in-stool",
    "osteonecrosis-of-the-hip",
    "shoulder-pain",
]


def test_eight_new_conditions_each_lead_to_a_published_guide(content_pack):
    for slug in NEW_CONDITIONS:
        condition = Condition.objects.get(slug=slug)
        assert condition.procedures.filter(guides__status="published").exists(), slug
        assert ConditionPage.objects.filter(condition=condition, language="en").exists(), slug


@pytest.mark.parametrize("slug", NEW_CONDITIONS)
def test_every_section_of_a_condition_page_cites_a_listed_source(content_pack, patient, slug):
    html = patient.get(f"/conditions/{slug}/").content.decode()
    sections = re.findall(r'<section class="condition-section[^"]*".*?</section>', html, re.S)
    assert len(sections) >= 3
    listed = set(re.findall(r'<li id="csource-(\d+)"', html))
    for section in sections:
        cited = set(re.findall(r'href="#csource-(\d+)"', section))
        assert cited and cited <= listed, section[:80]


def test_peptic_ulcer_page_has_red_flags_figures_and_a_way_to_a_doctor(content_pack, patient):
    page = page_text(patient.get("/conditions/peptic-ulcer/").content.decode())
    for heading in ("What it is", "Common symptoms", "When to see a doctor"):
        assert heading in page
    assert "Black, tar-like stools" in page
    assert "Upper Endoscopy" in page and "US volume per year: 7.45 million" in page
    assert "Find a doctor for Peptic ulcer near you" in page
    html = patient.get("/conditions/peptic-ulcer/").content.decode()
    assert reverse("providers:find") + "?q=Peptic+ulcer" in html


def test_a_condition_without_a_page_still_leads_to_procedures_and_doctors(content_pack, patient):
    page = page_text(patient.get("/conditions/low-back-pain/").content.decode())
    assert "Procedures and specialties that can help" in page
    assert "Find a doctor for Low back pain near you" in page


def test_a_section_without_sources_is_refused(pack_copy):
    path = pack_copy / "conditions" / "en" / "shoulder-pain.yaml"
    text = path.read_text()
    path.write_text(text.replace("red_flags_sources:\n- mayo-shoulder-pain\n", ""))
    with pytest.raises(CommandError, match=r"shoulder-pain.yaml: red_flags_sources: is required"):
        call_command("load_content", str(pack_copy))


def test_a_page_without_red_flags_is_refused(pack_copy):
    path = pack_copy / "conditions" / "en" / "colon-polyps.yaml"
    data = yaml.safe_load(path.read_text())
    del data["red_flags"], data["red_flags_sources"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CommandError, match=r"colon-polyps.yaml: red_flags: is required"):
        call_command("load_content", str(pack_copy))


def test_an_unknown_source_on_a_condition_page_is_refused(pack_copy):
    path = pack_copy / "conditions" / "en" / "shoulder-pain.yaml"
    path.write_text(path.read_text().replace("- mayo-shoulder-pain\n", "- made-up-source\n", 1))
    with pytest.raises(CommandError, match=r"what_it_is_sources\[0\]: unknown source"):
        call_command("load_content", str(pack_copy))
