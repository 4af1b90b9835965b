"""A patient compares up to four procedures; a fifth is named, not silently dropped."""

import re

import pytest

pytestmark = pytest.mark.django_db
FIVE = [
    "osteopathic-manual-treatment",
    "chiropractic-manipulation",
    "acupuncture",
    "massage-therapy",
    "physical-therapy",
]


def _get(patient, slugs: list[str]) -> str:
    return patient.get("/compare/?" + "&".join(f"p={s}" for s in slugs)).content.decode()


def test_a_fifth_choice_is_named_in_a_clear_message(content_pack, patient):
    html = _get(patient, FIVE)
    assert "You chose 5 procedures. We compare up to 4 at a time" in html
    assert "leaves out: Physical Therapy" in html
    compared = html[html.index("Comparing:") : html.index("</p>", html.index("Comparing:"))]
    assert "Massage Therapy" in compared and "Physical Therapy" not in compared


def test_no_measure_appears_twice(content_pack, patient):
    html = _get(patient, FIVE[:3])
    headings = re.findall(r"<h2 id=\"m-\d+\">([^<]+)</h2>", html)
    assert len(headings) == len(set(headings)) == 6
    assert headings.count("Recovery") == 1


def test_each_procedure_has_its_card_with_meaning_under_each_measure(content_pack, patient):
    html = _get(patient, FIVE[:2])
    success = html[
        html.index(">Success rate</h2>") : html.index(
            "</section>", html.index(">Success rate</h2>")
        )
    ]
    assert success.count('class="compare-proc"') == 2
    assert "Sham (pretend) OMT in the same trial" in success


def test_one_choice_asks_for_a_second(content_pack, patient):
    assert "Choose at least two procedures" in _get(patient, FIVE[:1])


def test_unknown_slugs_are_ignored(content_pack, patient):
    html = _get(patient, ["no-such-thing", *FIVE[:2]])
    assert "Comparing:" in html and "no-such-thing" not in html.split("Comparing:")[1][:400]
