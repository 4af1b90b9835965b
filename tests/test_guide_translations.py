"""Spanish guides: loaded as translations of the English ones, saying what they were translated
from and whether a doctor reviewed them, flagged when the English guide moves on, and an
English guide under /es/ marked as English."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from careatlas.procedures.models import Guide
from careatlas.procedures.revisions import record_revision
from tests.pack_files import copy_pack

pytestmark = pytest.mark.django_db

TRANSLATED = [
    "osteopathic-manual-treatment",
    "chiropractic-manipulation",
    "physical-therapy",
    "total-knee-replacement",
    "colonoscopy",
    "acupuncture",
]
OMT_ES = "/es/procedures/osteopathic-manual-treatment/"
OMT_EN = "/procedures/osteopathic-manual-treatment/"


def _load(path) -> str:
    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


def _es(message: str, **values) -> str:
    """A UI string as a Spanish reader gets it (from the catalogue once it has it)."""
    with translation.override("es"):
        return gettext(message) % values if values else gettext(message)


def _es_date(day: datetime.date) -> str:
    with translation.override("es"):
        return formats.date_format(day, "DATE_FORMAT")


def _jsonld(html: str) -> list[dict]:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))["@graph"]


@pytest.fixture
def pack(tmp_path):
    return copy_pack(tmp_path)


def test_six_spanish_guides_translate_the_english_ones_figure_for_figure(content_pack):
    for slug in TRANSLATED:
        english = Guide.objects.for_page().get(procedure__slug=slug, language="en")
        spanish = Guide.objects.for_page().get(procedure__slug=slug, language="es")
        assert spanish.procedure_id == english.procedure_id
        assert spanish.status == "published" and spanish.sample_content
        assert spanish.translated_from_date == datetime.date(2026, 12, 7)
        assert spanish.title != english.title and spanish.deep_dive != english.deep_dive
        # The numbers and their sources are the English guide's, none added or dropped.
        figures = {
            (s.kind, s.low, s.high, s.unit, s.year, s.source.key) for s in english.stats.all()
        }
        assert {
            (s.kind, s.low, s.high, s.unit, s.year, s.source.key) for s in spanish.stats.all()
        } == figures
        assert [gs.source.key for gs in spanish.guide_sources.all()] == [
            gs.source.key for gs in english.guide_sources.all()
        ]
        assert spanish.questions.count() == english.questions.count()
        assert spanish.faq.count() == english.faq.count()
        assert not spanish.publishing_problems()
    assert set(
        Guide.objects.translation_current().values_list("procedure__slug", flat=True)
    ) == set(TRANSLATED)
    assert not Guide.objects.translation_outdated().exists()


def test_the_procedure_keeps_its_english_facts(content_pack):
    omt = Guide.objects.get(procedure__slug="osteopathic-manual-treatment", language="es")
    procedure = omt.procedure
    assert procedure.specialty.slug == "osteopathic-medicine"
    assert "OMM" in procedure.synonyms
    assert procedure.codes.count() == 5 and procedure.alternatives.count() == 4


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "status: published",
            "specialty: osteopathic-medicine\nstatus: published",
            "specialty: belongs to the procedure and is kept in the English guide",
        ),
        (
            "translated_from:\n  date: 2026-12-07\n  fingerprint: 14a286fc8ad60120\n",
            "",
            "translated_from: is required",
        ),
        ("fingerprint: 14a286fc8ad60120", "fingerprint: last-tuesday", "must be the 16 hex"),
    ],
)
def test_a_bad_translation_file_is_refused_with_file_and_field(
    empty_catalogue, pack, old, new, message
):
    path = pack / "guides" / "es" / "osteopathic-manual-treatment.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CommandError) as error:
        _load(pack)
    assert "es/osteopathic-manual-treatment.md" in str(error.value)
    assert message in str(error.value)
    assert not Guide.objects.exists()


def test_a_translation_without_an_english_guide_is_refused(empty_catalogue, pack):
    (pack / "guides" / "en" / "acupuncture.md").unlink()
    for other in ("osteopathic-manual-treatment", "chiropractic-manipulation", "physical-therapy"):
        path = pack / "guides" / "en" / f"{other}.md"
        path.write_text(path.read_text().replace("- acupuncture\n", "", 1))
    with pytest.raises(CommandError, match="no guides/en/acupuncture.md"):
        _load(pack)


def test_a_spanish_guide_says_what_it_translates_and_that_no_doctor_checked_it(patient):
    html = patient.get(OMT_ES).content.decode()
    assert '<html lang="es">' in html
    assert '<h1 lang="es">Tratamiento manual osteopático' in html
    based_on = _es(
        "Translated from the English guide of %(date)s.",
        date=_es_date(datetime.date(2026, 12, 7)),
    )
    assert f'<p class="translation-line">{based_on}</p>' in html
    assert _es("This translation has not been medically reviewed.") in html
    assert "notice-outdated" not in html and "notice-untranslated" not in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{OMT_ES}">' in html
    page = _jsonld(html)[0]
    assert page["inLanguage"] == "es"
    assert page["translationOfWork"]["@id"].endswith(OMT_EN)
    assert "Los estudios muestran un beneficio moderado." in html  # the FAQ, in Spanish


def test_an_english_review_is_not_passed_off_as_a_review_of_the_translation(patient):
    english = Guide.objects.get(procedure__slug="osteopathic-manual-treatment", language="en")
    english.reviewer_name, english.reviewed_on = "Dr. Ana Ruiz", datetime.date(2026, 11, 2)
    english.save()
    html = patient.get(OMT_ES).content.decode()
    line = _es(
        "The English guide was medically reviewed by %(who)s on %(date)s; "
        "this translation has not been medically reviewed.",
        who="Dr. Ana Ruiz",
        date=_es_date(datetime.date(2026, 11, 2)),
    )
    assert line in html
    assert "Medically reviewed by" not in html


def test_a_changed_english_guide_flags_its_translation_until_it_is_brought_up_to_date(
    content_pack, pack, patient, editor_client
):
    english_file = pack / "guides" / "en" / "osteopathic-manual-treatment.md"
    # A new synonym is a fact about the procedure, not new words to translate.
    english_file.write_text(english_file.read_text().replace("- OMM\n", "- OMM\n- OMTx\n", 1))
    _load(pack)
    assert not Guide.objects.translation_outdated().exists()

    english_file.write_text(
        english_file.read_text().replace("modest benefit.", "modest benefit for some people.", 1)
    )
    assert "updated 1 guides" in _load(pack)
    outdated = Guide.objects.translation_outdated()
    assert [(g.procedure.slug, g.language) for g in outdated] == [
        ("osteopathic-manual-treatment", "es")
    ]

    html = patient.get(OMT_ES).content.decode()
    notice = re.search(r'<p class="notice notice-outdated" role="note">(.*?)</p>', html, re.S)
    assert notice, "a Spanish reader must see that the page is behind the English guide"
    changed = _es_date(timezone.localdate())
    assert changed in notice.group(1)
    assert f'href="{OMT_EN}" hreflang="en"' in notice.group(1)
    # Other translations are not behind.
    assert "notice-outdated" not in patient.get("/es/procedures/acupuncture/").content.decode()

    listing = editor_client.get("/admin/procedures/guide/?translation=outdated").content.decode()
    assert "Tratamiento manual osteopático" in listing and "Acupuntura" not in listing
    assert "Behind the English guide" in listing
    current = editor_client.get("/admin/procedures/guide/?translation=current").content.decode()
    assert "Acupuntura" in current and "Tratamiento manual osteopático" not in current

    # The translator updates the text and records the new base, as the README says.
    out = StringIO()
    call_command("translation_base", "osteopathic-manual-treatment", stdout=out)
    spanish_file = pack / "guides" / "es" / "osteopathic-manual-treatment.md"
    text = re.sub(r"translated_from:\n(  .*\n){2}", out.getvalue(), spanish_file.read_text())
    spanish_file.write_text(text)
    _load(pack)
    assert not Guide.objects.translation_outdated().exists()
    assert "notice-outdated" not in patient.get(OMT_ES).content.decode()


def test_an_untranslated_guide_under_es_is_english_text_in_a_spanish_page(patient):
    html = patient.get("/es/procedures/massage-therapy/").content.decode()
    assert '<html lang="es">' in html
    notice = _es("This guide is not yet translated into your language; it is shown in English.")
    assert f'<p class="notice notice-untranslated" role="note">{notice}</p>' in html
    # The notice comes before, and outside, the English text.
    assert html.index(notice) < html.index('<h1 lang="en">')
    assert '<p class="lede" lang="en">' in html
    sections = re.findall(
        r'<section aria-labelledby="(\w+)-h"><h2[^>]*>.*?</h2><div lang="(\w+)"', html
    )
    assert sections and all(language == "en" for _, language in sections)
    assert '<ol class="questions" lang="en">' in html
    assert _jsonld(html)[0]["inLanguage"] == "en"
    # The English page is where this text lives.
    canonical = f"{settings.SITE_URL}/procedures/massage-therapy/"
    assert f'<link rel="canonical" href="{canonical}">' in html


def test_the_english_site_is_unchanged_by_translations(patient):
    html = patient.get(OMT_EN).content.decode()
    assert '<html lang="en">' in html and '<h1 lang="en">Osteopathic Manual Treatment' in html
    assert "translation-line" not in html and "notice-untranslated" not in html


def test_an_untranslated_condition_page_under_es_is_marked_english(patient):
    html = patient.get("/es/conditions/peptic-ulcer/").content.decode()
    notice = _es("This page is not yet translated into your language; it is shown in English.")
    assert notice in html
    assert '<div lang="en">' in html
    assert "notice-untranslated" not in patient.get("/conditions/peptic-ulcer/").content.decode()


def test_a_translated_condition_page_reads_as_spanish(patient):
    html = patient.get("/es/conditions/shoulder-pain/").content.decode()
    assert "notice-untranslated" not in html
    assert '<div lang="es"><p>El dolor de hombro puede venir' in html
    assert '<div lang="en">' not in html.split('class="lede"')[1].split("helps-h")[0]


def test_the_sitemap_lists_spanish_guides_at_their_spanish_address_only(patient):
    sitemap = patient.get("/sitemap-guides.xml").content.decode()
    locations = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemap)
    assert OMT_ES in locations and OMT_EN in locations
    assert "/es/procedures/massage-therapy/" not in locations
    assert "/procedures/massage-therapy/" in locations


def test_a_translator_marks_an_updated_translation_current_in_the_back_office(editor_client):
    english = Guide.objects.get(procedure__slug="acupuncture", language="en")
    english.summary += " Updated."
    english.save()
    record_revision(english, None, "Edited")
    spanish = Guide.objects.get(procedure__slug="acupuncture", language="es")
    assert list(Guide.objects.translation_outdated()) == [spanish]
    editor_client.post(
        "/admin/procedures/guide/",
        {"action": "mark_current", "_selected_action": [spanish.pk, english.pk]},
    )
    assert not Guide.objects.translation_outdated().exists()
    spanish.refresh_from_db()
    assert spanish.translated_from_date == timezone.localdate()
    assert spanish.revisions.first().comment == "Marked as following the current English guide"
    english.refresh_from_db()
    assert english.translated_from_hash == ""  # an original is no one's translation
