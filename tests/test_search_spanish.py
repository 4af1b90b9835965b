"""Search in Spanish: a patient who reads /es/ types the way she talks, accents or none.

Runs on whichever database the test run uses; run it with DATABASE_URL set too, so SQLite
and PostgreSQL both answer. The held-out queries (tests/search_queries_es_heldout.py) are
judged, never tuned on; the queries here are the feature's own cases.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from careatlas.procedures.models import Condition, Procedure, Specialty
from careatlas.search.interface import (
    Choices,
    ProviderQuery,
    ProviderSearchForm,
    find_providers,
    rebuild_index,
    rebuild_provider_index,
    search,
)
from careatlas.search.reading import read_query
from careatlas.search.text import words
from tests.pack_files import copy_pack
from tests.provider_search_world import build_neighbourhood, zip_point
from tests.search_queries_es_heldout import (
    HELD_OUT_SPANISH_QUERIES,
    KNOWN_SPANISH_MISSES,
    KNOWN_SPANISH_MISSES_ON,
)

pytestmark = pytest.mark.django_db
SPANISH_SEARCH = "/es/search/"
# The feature's own queries: a held-out query may not be one of these.
FEATURE_QUERIES = [
    "dolor de espalda",
    "quiropráctico",
    "quiropractico",
    "QUIROPRÁCTICO",
    "operación de rodilla",
    "operacion de rodilla",
    "quiropractco",
    "colonoscopia",
    "fisioterapeuta",
]


def top(query: str, language: str = "es", n: int = 3) -> list[tuple[str, str]]:
    return [(hit.kind, hit.slug) for hit in search(query, language=language).hits[:n]]


def _miss(patient, query: str, kind: str, slug: str) -> str | None:
    """Why the expected page is not in the top three under /es/, or not on its results page."""
    found = top(query)
    if (kind, slug) not in found:
        return f"{query!r}: expected {kind} {slug}, got {found}"
    hit = next(h for h in search(query, language="es").hits if (h.kind, h.slug) == (kind, slug))
    if f'href="{hit.url}"' not in patient.get(SPANISH_SEARCH, {"q": query}).content.decode():
        return f"{query!r}: {hit.url} not on the Spanish results page"
    return None


def _known_miss(query: str) -> list:
    if query in KNOWN_SPANISH_MISSES:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_SPANISH_MISSES[query])]
    vendor, reason = KNOWN_SPANISH_MISSES_ON.get(query, ("", ""))
    if vendor:
        return [pytest.mark.xfail(connection.vendor == vendor, strict=True, reason=reason)]
    return []


@pytest.mark.parametrize(
    ("query", "kind", "slug"),
    [
        pytest.param(*expected, marks=_known_miss(expected[0]))
        for expected in HELD_OUT_SPANISH_QUERIES
    ],
)
def test_held_out_spanish_queries_find_the_expected_page_in_the_top_three(
    content_pack, patient, query, kind, slug
):
    assert _miss(patient, query, kind, slug) is None


def _folded(text: str) -> str:
    return " ".join(words(text))  # as search reads it: accents, case and punctuation gone


def test_held_out_spanish_queries_are_no_name_or_synonym_of_the_pack(content_pack):
    named = set(FEATURE_QUERIES)
    for model in (Specialty, Condition, Procedure):
        for obj in model.objects.all():
            for entry in obj.names.values():
                named |= {entry["name"], *entry["synonyms"]}
    named = {_folded(phrase) for phrase in named}
    assert len(HELD_OUT_SPANISH_QUERIES) >= 25
    assert [q for q, _k, _s in HELD_OUT_SPANISH_QUERIES if _folded(q) in named] == []
    held_out = {q for q, _k, _s in HELD_OUT_SPANISH_QUERIES}
    assert set(KNOWN_SPANISH_MISSES) | set(KNOWN_SPANISH_MISSES_ON) <= held_out


def test_back_pain_in_spanish_finds_the_condition_under_its_spanish_name(content_pack, patient):
    hits = search("dolor de espalda", language="es").hits
    assert (hits[0].kind, hits[0].slug, hits[0].title) == (
        "condition",
        "low-back-pain",
        "Dolor de espalda baja",
    )
    page = patient.get(SPANISH_SEARCH, {"q": "dolor de espalda"}).content.decode()
    assert "Dolor de espalda baja" in page


def test_accents_and_capitals_do_not_change_the_answer(content_pack):
    answers = {q: top(q) for q in ("quiropráctico", "quiropractico", "QUIROPRÁCTICO")}
    assert len(set(map(tuple, answers.values()))) == 1
    assert ("specialty", "chiropractic") in answers["quiropractico"]
    assert top("operación de rodilla")[0] == ("procedure", "total-knee-replacement")
    assert top("operacion de rodilla") == top("operación de rodilla")


def test_a_spanish_typo_is_corrected_towards_spanish_words(content_pack):
    results = search("quiropractco", language="es")
    assert results.corrected_query == "quiropractico"
    assert ("specialty", "chiropractic") in top("quiropractco")


def test_english_words_still_work_on_spanish_pages_and_spanish_titles_show(content_pack):
    hit = search("knee replacement", language="es").hits[0]
    assert (hit.slug, hit.title) == ("total-knee-replacement", "Reemplazo total de rodilla")
    assert hit.url.startswith("/es/")


def test_english_pages_keep_english_titles_and_do_not_read_spanish(content_pack):
    hit = search("knee replacement", language="en").hits[0]
    assert (hit.slug, hit.title) == ("total-knee-replacement", "Total Knee Replacement")
    assert not hit.url.startswith("/es/")
    assert all(h.title != "Colonoscopia" for h in search("colonoscopy", language="en").hits)


def test_the_search_box_suggests_spanish_names_on_spanish_pages(content_pack, patient):
    groups = patient.get("/es/search/autocomplete", {"q": "quiro"}).json()["groups"]
    labels = [option["label"] for group in groups for option in group["options"]]
    assert "Quiropráctica" in labels
    groups = patient.get("/search/autocomplete", {"q": "chiro"}).json()["groups"]
    labels = [option["label"] for group in groups for option in group["options"]]
    assert "Chiropractic" in labels and "Quiropráctica" not in labels


def test_lists_and_finder_filters_name_things_in_spanish_under_es(content_pack, patient):
    spanish = patient.get("/es/specialties/").content.decode()
    assert "Fisioterapia" in spanish and "Quiropráctica" in spanish
    assert "Fisioterapia" not in patient.get("/specialties/").content.decode()
    conditions = patient.get("/es/conditions/").content.decode()
    assert "Dolor de espalda baja" in conditions
    # In Spanish alphabetical order: Artrosis ... Catarata ... Úlcera péptica among the u's.
    assert conditions.index("Artrosis de cadera") < conditions.index("Catarata")
    assert conditions.index("Colitis ulcerosa") < conditions.index("Úlcera péptica")
    with translation.override("es"):
        choices = Choices.load("es")
    assert ("chiropractic", "Quiropráctica") in choices.specialties
    assert ("colonoscopy", "Colonoscopia") in [(s, t) for s, t, _sp in choices.procedures]
    finder = patient.get("/es/providers/").content.decode()
    assert ">Colonoscopia</option>" in finder and ">Quiropráctica</option>" in finder


# -- Providers --------------------------------------------------------------------------------


@pytest.fixture
def neighbourhood(content_pack):
    return build_neighbourhood()


def _names(results) -> list[str]:
    return [hit.name.split(",")[0] for hit in results.hits]


def test_spanish_words_find_providers_accents_or_not(neighbourhood):
    nyc = zip_point("10001")
    for text in ("quiropráctico", "quiropractico", "quiropractco"):
        assert _names(find_providers(ProviderQuery(text=text, near=nyc))) == ["Ben Brooks"]
    assert _names(find_providers(ProviderQuery(text="fisioterapeuta", near=nyc))) == ["Chloe Chen"]
    # "dolor de espalda": everyone who offers a procedure for low back pain.
    found = set(_names(find_providers(ProviderQuery(text="dolor de espalda", near=nyc))))
    assert {"Ana Alvarez", "Ben Brooks"} <= found


def test_places_with_accents_are_read_with_or_without_them():
    for text in ("quiropráctico cerca de Española, NM", "quiropractico en Espanola NM"):
        reading = read_query(text)
        assert (reading.topic, reading.place.label) in {
            ("quiropráctico", "Española, NM"),
            ("quiropractico", "Española, NM"),
        }
    assert read_query("dolor de espalda en Cañon City, CO").place.label == "Cañon City, CO"
    assert read_query("fisioterapia cerca de mí").place is None


@pytest.fixture
def brooks_speaks_spanish(neighbourhood):
    neighbourhood.brooks.languages = ["en", "es"]
    neighbourhood.brooks.save()
    rebuild_provider_index()
    return neighbourhood


def test_spanish_speakers_come_first_only_when_asked(brooks_speaks_spanish):
    nyc = zip_point("10001")
    plain = _names(find_providers(ProviderQuery(near=nyc, radius_miles=100)))
    assert plain == ["Ana Alvarez", "Dara Dunn", "Chloe Chen", "Ben Brooks", "Eva Evans"]
    with translation.override("es"):
        # Cards name specialties in the page's language.
        assert find_providers(ProviderQuery(near=nyc)).hits[0].specialties == [
            "Medicina osteopática"
        ]
    first = find_providers(ProviderQuery(near=nyc, radius_miles=100, speakers_first="es"))
    assert _names(first) == ["Ana Alvarez", "Ben Brooks", "Dara Dunn", "Chloe Chen", "Eva Evans"]
    assert first.total == 5
    # Pages continue across the two parts.
    pages = [
        _names(
            find_providers(
                ProviderQuery(near=nyc, radius_miles=100, speakers_first="es", page=n, page_size=2)
            )
        )
        for n in (1, 2, 3)
    ]
    assert pages == [["Ana Alvarez", "Ben Brooks"], ["Dara Dunn", "Chloe Chen"], ["Eva Evans"]]


def test_the_finder_offers_speakers_first_on_spanish_pages_only(brooks_speaks_spanish, patient):
    params = "location=10001&radius=100&sort=distance&speakers_first=1"
    with translation.override("es"):
        form = ProviderSearchForm(QueryDict(params), choices=Choices.load("es"))
        assert form.is_valid()
        assert form.query().speakers_first == "es"
        assert "speakers_first=1" in form.canonical_query(page=2)
        spanish_url = reverse("providers:find")
    with translation.override("en"):
        form = ProviderSearchForm(QueryDict(params), choices=Choices.load("en"))
        assert form.is_valid() and form.query().speakers_first == ""
    spanish = patient.get(f"{spanish_url}?{params}").content.decode()
    assert 'name="speakers_first"' in spanish
    # Named in the page's own language, whatever the catalogue says around it.
    assert re.search(r'<label for="id_speakers_first">[^<]*español', spanish)
    assert spanish.index("Ben Brooks") < spanish.index("Dara Dunn")
    english = patient.get(f"/providers/?{params}").content.decode()
    assert 'name="speakers_first"' not in english
    assert english.index("Dara Dunn") < english.index("Ben Brooks")


# -- The names file ---------------------------------------------------------------------------


def test_a_renamed_spanish_name_is_searchable_once_loaded(content_pack, tmp_path):
    pack = copy_pack(tmp_path)
    names = pack / "names" / "es.yaml"
    # Cataract surgery has no Spanish guide, so its Spanish name is its title under /es/.
    renamed = names.read_text().replace("name: Cirugía de cataratas", "name: Operación de catarata")
    names.write_text(renamed)
    out = io.StringIO()
    call_command("load_content", str(pack), stdout=out)
    assert "updated 1 names" in out.getvalue()
    assert Procedure.objects.get(slug="cataract-surgery").name_in("es") == "Operación de catarata"
    rebuild_index()  # the receiver runs after a commit, which a test's transaction never makes
    assert search("operacion de catarata", language="es").hits[0].title == "Operación de catarata"


def test_a_names_file_naming_an_unknown_slug_is_refused_with_file_and_place(content_pack, tmp_path):
    pack = copy_pack(tmp_path)
    names = pack / "names" / "es.yaml"
    names.write_text(names.read_text().replace("  colonoscopy:\n", "  colonoscopia:\n"))
    with pytest.raises(CommandError, match=r"names/es.yaml: procedures.colonoscopia: unknown slug"):
        call_command("load_content", str(pack), stdout=io.StringIO())
    assert Procedure.objects.get(slug="colonoscopy").name_in("es") == "Colonoscopia"
