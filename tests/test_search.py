"""Search: a patient looks things up the way patients type, and only sees what is published."""

import io
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.management import call_command

from careatlas.procedures.models import Condition, Guide, Procedure, Specialty
from careatlas.procedures.services import publish, unpublish
from careatlas.search.interface import search
from careatlas.search.synonyms import CAPITALISED_ABBREVIATIONS, SYNONYMS
from tests.factories import GuideFactory, ProcedureFactory
from tests.search_queries import SEARCH_QUERIES
from tests.search_queries_heldout import HELD_OUT_QUERIES, KNOWN_MISSES

SEARCH_URL = "/search/"
AUTOCOMPLETE_URL = "/search/autocomplete"


@pytest.fixture
def content(content_pack):
    """The real content pack, loaded as an operator does and indexed (see tests/conftest.py)."""


class _PageOutline(HTMLParser):
    """The parts of a results page a screen-reader user navigates by."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.sections: dict[str, list[str]] = {}
        self.labels: set[str] = set()
        self.inputs: list[dict] = []
        self._heading: str | None = None
        self._section: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2"):
            self._heading = tag
            self.headings.append((tag, ""))
        elif tag == "section":
            self._section = attrs.get("aria-labelledby", "")
            self.sections[self._section] = []
        elif tag == "a" and self._section and attrs.get("href"):
            self.sections[self._section].append(attrs["href"])
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag == "input":
            self.inputs.append(attrs)

    def handle_endtag(self, tag):
        if tag == self._heading:
            self._heading = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def outline(response) -> _PageOutline:
    assert response.status_code == 200
    parser = _PageOutline()
    parser.feed(response.content.decode())
    return parser


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _miss(patient, query: str, kind: str, slug: str) -> str | None:
    """Why the expected page is not in the top three results, or on the results page."""
    top = [(hit.kind, hit.slug) for hit in search(query).hits[:3]]
    if (kind, slug) not in top:
        return f"{query!r}: expected {kind} {slug}, got {top}"
    hit = next(h for h in search(query).hits if (h.kind, h.slug) == (kind, slug))
    if f'href="{hit.url}"' not in patient.get(SEARCH_URL, {"q": query}).content.decode():
        return f"{query!r}: {hit.url} not on the results page"
    return None


def test_patient_queries_find_the_expected_page_in_the_top_three(content, patient):
    assert len(SEARCH_QUERIES) >= 30
    misses = [_miss(patient, *expected) for expected in SEARCH_QUERIES]
    assert not any(misses), "\n".join(filter(None, misses))


@pytest.mark.parametrize(
    ("query", "kind", "slug"),
    [
        pytest.param(
            *expected,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[expected[0]])]
            if expected[0] in KNOWN_MISSES
            else [],
        )
        for expected in HELD_OUT_QUERIES
    ],
)
def test_held_out_queries_find_the_expected_page_in_the_top_three(
    content, patient, query, kind, slug
):
    assert _miss(patient, query, kind, slug) is None


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"\w+", plain.lower()))


def test_held_out_queries_are_named_by_no_synonym_list_nor_tuned_on(content):
    named = {*SYNONYMS, *(v for values in SYNONYMS.values() for v in values)}
    named |= {
        *CAPITALISED_ABBREVIATIONS,
        *(v for vs in CAPITALISED_ABBREVIATIONS.values() for v in vs),
    }
    for procedure in Procedure.objects.all():
        named |= {procedure.slug.replace("-", " "), *procedure.synonyms}
    for condition in Condition.objects.all():
        named |= {condition.name, condition.slug.replace("-", " "), *condition.synonyms}
    named |= {*Specialty.objects.values_list("name", flat=True)}
    # The held-out queries run on the English search, so they are held out from its names.
    english = Guide.objects.in_language("en")
    named |= {*english.values_list("title", flat=True)}
    named |= {*english.values_list("abbreviation", flat=True)}
    named |= {query for query, _kind, _slug in SEARCH_QUERIES}
    named = {_folded(phrase) for phrase in named}
    assert len(HELD_OUT_QUERIES) >= 30
    assert [q for q, _k, _s in HELD_OUT_QUERIES if _folded(q) in named] == []
    assert set(KNOWN_MISSES) <= {q for q, _k, _s in HELD_OUT_QUERIES}


def test_results_are_grouped_by_kind_best_group_first(content, patient):
    page = outline(patient.get(SEARCH_URL, {"q": "back pain"}))

    assert [text for tag, text in page.headings if tag == "h2"][:2] == ["Conditions", "Procedures"]
    assert page.sections["results-condition"][0] == "/conditions/low-back-pain/"
    # ...and the guides that treat it, under their own heading.
    for slug in ("osteopathic-manual-treatment", "chiropractic-manipulation", "physical-therapy"):
        assert f"/procedures/{slug}/" in page.sections["results-procedure"]


def test_result_count_is_shown(content, patient):
    results = search("back pain", limit=50)
    response = patient.get(SEARCH_URL, {"q": "back pain"})
    assert f"{results.total} results" in text_of(response)
    assert results.total == len(results.hits) > 3


def test_a_typo_offers_the_corrected_query(content, patient):
    response = patient.get(SEARCH_URL, {"q": "knee replacment"})

    assert re.search(r"Did you mean\s+knee replacement\s*\?", text_of(response))
    assert 'href="/search/?q=knee%20replacement"' in response.content.decode()
    procedures = outline(response).sections["results-procedure"]
    assert procedures[0] == "/procedures/total-knee-replacement/"


def test_a_correctly_spelled_query_offers_no_correction(content, patient):
    assert "Did you mean" not in text_of(patient.get(SEARCH_URL, {"q": "knee replacement"}))


def test_empty_query_invites_a_search_and_browsing(content, patient):
    response = patient.get(SEARCH_URL)
    page = outline(response)

    assert [tag for tag, _ in page.headings].count("h1") == 1
    assert "No results" not in text_of(response)
    for url in ("/procedures/", "/conditions/", "/specialties/"):
        assert f'href="{url}"' in response.content.decode()


def test_a_search_with_no_results_says_so_and_suggests_browsing(content, patient):
    response = patient.get(SEARCH_URL, {"q": "zzqxj wvvk"})
    page = outline(response)

    assert "No results for “zzqxj wvvk”." in text_of(response)
    assert not page.sections
    assert 'href="/procedures/"' in response.content.decode()
    assert 'href="/conditions/"' in response.content.decode()


def test_results_page_is_a_labelled_get_form_with_one_heading(content, patient):
    response = patient.get(SEARCH_URL, {"q": "omt"})
    page = outline(response)

    assert [tag for tag, _ in page.headings].count("h1") == 1
    search_box = next(i for i in page.inputs if i.get("name") == "q")
    assert search_box["value"] == "omt"
    assert search_box["id"] in page.labels
    assert re.search(r'<form[^>]*method="get"', response.content.decode())
    assert "noindex" in response.content.decode()
    assert "public" in response["Cache-Control"]


def _options(patient, typed: str, url: str = AUTOCOMPLETE_URL) -> list[dict]:
    """The search box's suggestions in the order shown, each with its group's kind."""
    groups = patient.get(url, {"q": typed}).json()["groups"]
    return [option | {"kind": group["kind"]} for group in groups for option in group["options"]]


def test_search_box_suggestions_are_json_groups_of_label_url_and_detail(content, patient):
    response = patient.get(AUTOCOMPLETE_URL, {"q": "osteo"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age" in response["Cache-Control"]
    groups = {g["kind"]: g for g in response.json()["groups"]}
    # Procedures first; "Osteonecrosis of the hip" brings a group of conditions too.
    assert next(iter(groups)) == "procedure"
    assert {"procedure", "condition", "specialty"} <= set(groups)
    assert groups["procedure"]["heading"] == "Procedures"
    assert groups["procedure"]["options"][0] == {
        "label": "Osteopathic Manual Treatment",
        "url": "/providers/?procedure=osteopathic-manual-treatment",
        "detail": "",
    }
    assert groups["condition"]["options"][0]["label"] == "Osteonecrosis of the hip"
    specialty = groups["specialty"]["options"][0]
    assert specialty["label"] == "Osteopathic Medicine"
    assert specialty["url"] == "/providers/?specialty=osteopathic-medicine"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("acupunc", "Acupuncture"),
        ("colo", "Colonoscopy"),
        ("back p", "Low back pain"),
        ("knee rep", "Total Knee Replacement"),
        ("catar", "Cataract"),
        ("PT", "Physical Therapy for Back and Neck Pain"),
    ],
)
def test_suggestions_complete_the_word_being_typed(content, patient, typed, first):
    assert _options(patient, typed)[0]["label"] == first


@pytest.mark.parametrize("typed", ["", "   ", "o", "*", "-"])
def test_no_suggestions_before_two_letters(content, patient, typed):
    assert patient.get(AUTOCOMPLETE_URL, {"q": typed}).json() == {"groups": []}


def test_suggestions_narrow_as_the_patient_types(content, patient):
    def labels(typed):
        return {o["label"] for o in _options(patient, typed) if o["kind"] != "place"}

    assert "Upper Endoscopy" in labels("endo")
    assert labels("colonoscopy") <= labels("colo") | {"Colonoscopy"}
    assert "Colonoscopy" in labels("colonoscopy")


@pytest.fixture
def zebra_guide(content):
    """A draft guide, about a condition nothing published treats, with a unique word."""
    condition = Condition.objects.create(
        slug="zebra-stripe-syndrome", name="Zebra stripe syndrome", synonyms=["striped skin"]
    )
    procedure = ProcedureFactory(
        slug="zebrafish-stretching",
        specialty=Specialty.objects.get(slug="physical-therapy"),
        synonyms=["ZFS"],
    )
    procedure.conditions.add(condition)
    return GuideFactory(
        procedure=procedure,
        title="Zebrafish Stretching",
        summary="Gentle stretching learned from zebrafish.",
        status="draft",
    )


def _visible(patient, query: str) -> bool:
    page = patient.get(SEARCH_URL, {"q": query}).content.decode()
    suggestions = _options(patient, query)
    on_page = "zebrafish-stretching" in page or "zebra-stripe-syndrome" in page
    return on_page or any("zebra" in (s["url"] + s["label"]).lower() for s in suggestions)


@pytest.mark.parametrize("status", ["draft", "in_review", "unpublished"])
def test_guides_that_are_not_published_never_appear(zebra_guide, patient, status):
    Guide.objects.filter(pk=zebra_guide.pk).update(status=status)
    call_command("rebuild_search_index", stdout=io.StringIO())

    for query in ("zebrafish", "Zebrafish Stretching", "ZFS", "zebra stripe", "zebraf"):
        assert not _visible(patient, query), query


def test_publishing_and_unpublishing_update_search(
    zebra_guide, patient, reviewer, django_capture_on_commit_callbacks
):
    assert not _visible(patient, "zebrafish")

    with django_capture_on_commit_callbacks(execute=True):
        publish(zebra_guide, reviewer)
    assert search("zebrafish").hits[0].url == "/procedures/zebrafish-stretching/"
    assert search("zebra stripe syndrome").hits[0].url == "/conditions/zebra-stripe-syndrome/"
    assert _visible(patient, "zebrafish")
    assert _visible(patient, "zebraf")

    with django_capture_on_commit_callbacks(execute=True):
        unpublish(zebra_guide, reviewer)
    assert not _visible(patient, "zebrafish")
    assert not _visible(patient, "zebra stripe syndrome")


@pytest.mark.parametrize(
    "query",
    [
        '"omt',
        "omt*",
        "NEAR(back pain)",
        "back NEAR/2 pain",
        "-back",
        "title:omt",
        "keywords:omt OR body:pain",
        "back AND",
        "OR",
        "NOT pain",
        "'; DROP TABLE search_searchdocument; --",
        "omt' OR '1'='1",
        "(((",
        "^omt",
        "omt & | ! :*",
        "{title body}: knee",
        "%_%",
        "\\",
        "💊 pain",
        "a" * 500,
    ],
)
def test_query_syntax_characters_are_just_text(content, patient, query):
    assert patient.get(SEARCH_URL, {"q": query}).status_code == 200
    assert patient.get(AUTOCOMPLETE_URL, {"q": query}).status_code == 200


def test_a_nul_character_is_refused_with_a_message_not_searched(content, patient):
    # Issue 18: NUL crashed PostgreSQL's text handling; every entry point now refuses it.
    for url in (SEARCH_URL, AUTOCOMPLETE_URL):
        response = patient.get(url, {"q": "knee\x00replacement"})
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_spanish_pages_link_to_spanish_urls(content, patient):
    first = _options(patient, "omt", "/es/search/autocomplete")[0]
    assert first["url"] == "/es/providers/?procedure=osteopathic-manual-treatment"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_box_is_a_keyboard_combobox(live_server):
    """A patient types, arrows through suggestions, escapes, and picks one with Enter."""
    from playwright.sync_api import expect, sync_playwright

    from careatlas.providers.geocoding import load_places
    from tests.browser import AXE, CHROMIUM, axe_violations, describe, launch
    from tests.conftest import require

    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    cache.clear()
    call_command("load_content", stdout=io.StringIO())  # autocommit: the signal indexes it

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_context(bypass_csp=True).new_page()  # bypass only for axe
            page.goto(live_server.url + SEARCH_URL)
            box = page.get_by_role("combobox", name="Search procedures, conditions and specialties")
            load_places()  # as a server worker does before its first request
            box.press_sequentially("osteo")
            listbox = page.get_by_role("listbox")
            expect(listbox).to_be_visible()
            expect(box).to_have_attribute("aria-expanded", "true")
            expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
            first = page.get_by_role("option").first
            expect(first).to_contain_text("Osteopathic Manual Treatment")

            box.press("ArrowDown")
            expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
            expect(first).to_have_attribute("aria-selected", "true")
            assert not axe_violations(page), describe(axe_violations(page))

            box.press("Escape")
            expect(listbox).to_be_hidden()
            expect(box).to_have_attribute("aria-expanded", "false")
            expect(box).to_have_value("osteo")

            box.press("ArrowDown")
            expect(listbox).to_be_visible()
            with page.expect_navigation():
                box.press("Enter")
            # A topic opens the finder on it.
            assert page.url == (
                live_server.url + "/providers/?procedure=osteopathic-manual-treatment"
            )
        finally:
            browser.close()
