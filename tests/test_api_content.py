"""An app developer reads the content through the JSON API: specialties, guides with every
figure's source and review, conditions, and search, as the site shows them."""

import datetime

import pytest

from careatlas.procedures import services
from careatlas.procedures.models import Guide, Specialty
from tests.factories import GuideFactory, SourceFactory, add_faq, add_question, add_stat

pytestmark = pytest.mark.django_db

API = "/api/v1"
OMT = "osteopathic-manual-treatment"


def _json(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


@pytest.fixture
def reviewed_guide():
    """A published guide with four sourced figures, a review, a question and an FAQ entry."""
    guide = GuideFactory(
        title="Knee Bending",
        abbreviation="KB",
        summary="Bending the knee, gently.",
        reviewer_name="Dr Ada Reviewer",
        reviewer_credentials="MD",
        reviewed_on=datetime.date(2026, 1, 15),
        next_review_due=datetime.date(2027, 1, 15),
        sample_content=False,
    )
    add_stat(guide, "success_rate", low=70, high=85, unit="percent")
    add_stat(
        guide,
        "cost",
        source=SourceFactory(title="Fee schedule", pmid="", doi="10.1186/1471-2474-6-43"),
        low="32.18",
        high="86.50",
        unit="usd",
        qualifier="Medicare payment per session",
    )
    add_stat(guide, "recovery", low=0, high=2, unit="days")
    add_question(guide, "How many sessions will I need?")
    add_faq(guide, "Does it hurt?", "Usually *not*.")
    services.publish(guide)
    return guide


# Procedures


def test_procedure_list_holds_published_guides_only(patient, content_pack):
    draft = GuideFactory(title="Secret Draft Procedure", status="draft")
    body = _json(patient.get(f"{API}/procedures"))
    slugs = [item["slug"] for item in body["results"]]
    assert body["count"] == len(slugs) == Guide.objects.published().in_language("en").count()
    assert OMT in slugs
    assert draft.procedure.slug not in slugs
    omt = next(item for item in body["results"] if item["slug"] == OMT)
    assert omt["title"] == "Osteopathic Manual Treatment"
    assert omt["abbreviation"] == "OMT"
    assert omt["specialty"] == {"slug": "osteopathic-medicine", "name": "Osteopathic Medicine"}
    assert omt["url"] == f"http://127.0.0.1:8000/procedures/{OMT}/"
    assert omt["sample_content"] is True


def test_a_guide_gives_every_figure_with_its_source(patient, reviewed_guide):
    slug = reviewed_guide.procedure.slug
    body = _json(patient.get(f"{API}/procedures/{slug}"))
    assert [stat["kind"] for stat in body["stats"]] == ["success_rate", "cost", "recovery"]
    success, cost, recovery = body["stats"]
    assert success["text"] == "70–85%"
    assert (success["low"], success["high"], success["unit"]) == (70.0, 85.0, "percent")
    assert success["method"] == "Pooled trial results."
    assert success["source"]["pmid"] and success["source"]["link"].startswith("https://pubmed.")
    assert cost["text"] == "$32.18–$86.50"
    assert cost["qualifier"] == "Medicare payment per session"
    assert cost["source"]["title"] == "Fee schedule"
    assert cost["source"]["doi"] == "10.1186/1471-2474-6-43"
    assert cost["source"]["pmid"] is None
    assert cost["source"]["link"] == "https://doi.org/10.1186/1471-2474-6-43"
    assert recovery["text"] == "0–2 days"
    # The sources list is the guide's, in citation order, each once.
    assert [s["title"] for s in body["sources"]][1] == "Fee schedule"
    assert len(body["sources"]) == 3
    assert body["questions"] == ["How many sessions will I need?"]
    assert body["faq"] == [{"question": "Does it hurt?", "answer": "Usually *not*."}]
    assert body["providers"] == f"http://127.0.0.1:8000/api/v1/providers?procedure={slug}"


def test_a_guide_states_its_review_as_the_page_does(patient, reviewed_guide):
    slug = reviewed_guide.procedure.slug
    review = _json(patient.get(f"{API}/procedures/{slug}"))["review"]
    page = patient.get(f"/procedures/{slug}/").content.decode()
    assert review["text"] == "Medically reviewed by Dr Ada Reviewer, MD on Jan. 15, 2026"
    assert review["text"] in page
    assert review["reviewer_name"] == "Dr Ada Reviewer"
    assert review["reviewed_on"] == "2026-01-15"
    assert review["next_review_due"] == "2027-01-15"
    assert review["reviewed"] is True
    assert review["sample_content"] is False


def test_the_content_pack_guides_say_they_are_sample_content(patient, content_pack):
    body = _json(patient.get(f"{API}/procedures/{OMT}"))
    assert body["review"]["sample_content"] is True
    assert body["review"]["reviewed"] is False
    assert body["review"]["text"] == "Not yet medically reviewed"
    # Every figure shown has a checkable identifier.
    assert body["stats"]
    for stat in body["stats"]:
        source = stat["source"]
        assert any(source[key] for key in ("pmid", "pmcid", "doi", "url"))
    assert {c["slug"] for c in body["conditions"]} >= {"low-back-pain"}
    assert body["codes"] == ["98925", "98926", "98927", "98928", "98929"]
    assert body["sections"]["who_it_helps"].startswith("OMT is most often used")
    assert body["illustration_url"] == f"http://127.0.0.1:8000/procedures/{OMT}/illustration.svg"


def test_a_draft_guide_is_not_found(patient, content_pack):
    draft = GuideFactory(status="draft")
    body = _json(patient.get(f"{API}/procedures/{draft.procedure.slug}"), 404)
    assert body == {
        "error": {
            "code": "not_found",
            "message": "Nothing is published at this address.",
            "field": None,
            "details": [],
        }
    }


def test_spanish_falls_back_to_english_guides_as_the_site_does(patient, reviewed_guide):
    spanish = GuideFactory(
        procedure=reviewed_guide.procedure, language="es", title="Doblar la rodilla"
    )
    services.publish(spanish)
    other = GuideFactory(title="Only In English")
    services.publish(other)
    body = _json(patient.get(f"{API}/procedures?lang=es"))
    titles = {item["slug"]: (item["title"], item["language"]) for item in body["results"]}
    assert titles[reviewed_guide.procedure.slug] == ("Doblar la rodilla", "es")
    assert titles[other.procedure.slug] == ("Only In English", "en")
    detail = _json(patient.get(f"{API}/procedures/{other.procedure.slug}?lang=es"))
    assert detail["url"] == f"http://127.0.0.1:8000/es/procedures/{other.procedure.slug}/"
    assert detail["language"] == "en"


def test_an_unknown_language_is_a_bad_parameter(patient, content_pack):
    body = _json(patient.get(f"{API}/procedures?lang=fr"), 400)
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["field"] == "lang"
    assert body["error"]["message"] == "Choose one of: 'en' or 'es'."


# Specialties and conditions


def test_specialties_list_every_specialty_with_its_published_guides(patient, content_pack):
    body = _json(patient.get(f"{API}/specialties"))
    assert body["count"] == Specialty.objects.count()
    osteopathic = next(s for s in body["results"] if s["slug"] == "osteopathic-medicine")
    assert osteopathic["nucc_codes"] == ["204D00000X", "204C00000X"]
    assert [p["slug"] for p in osteopathic["procedures"]] == [OMT]
    detail = _json(patient.get(f"{API}/specialties/osteopathic-medicine"))
    assert detail == osteopathic


def test_conditions_list_those_the_site_lists(patient, content_pack):
    body = _json(patient.get(f"{API}/conditions"))
    site = patient.get("/conditions/").content.decode()
    assert body["count"] > 0
    for condition in body["results"]:
        assert condition["url"].removeprefix("http://127.0.0.1:8000") in site
    back = _json(patient.get(f"{API}/conditions/low-back-pain"))
    assert OMT in [p["slug"] for p in back["procedures"]]
    assert "lumbago" in [s.lower() for s in back["synonyms"]]
    assert back == next(c for c in body["results"] if c["slug"] == "low-back-pain")


@pytest.mark.parametrize("path", ["specialties/no-such-thing", "conditions/no-such-thing"])
def test_unknown_slugs_are_not_found(patient, content_pack, path):
    assert _json(patient.get(f"{API}/{path}"), 404)["error"]["code"] == "not_found"


# Search


def test_content_search_matches_the_search_page(patient, content_pack):
    body = _json(patient.get(f"{API}/search?q=back+pain"))
    assert body["total"] > 0
    assert body["results"][0]["kind"] in ("procedure", "condition", "specialty")
    page = patient.get("/search/?q=back+pain").content.decode()
    for hit in body["results"]:
        assert hit["url"].removeprefix("http://127.0.0.1:8000") in page
    assert {"kind_label", "snippet", "slug", "title"} <= set(body["results"][0])


def test_content_search_forgives_typos_and_says_so(patient, content_pack):
    body = _json(patient.get(f"{API}/search?q=osteopatic"))
    assert body["corrected_query"] == "osteopathic"
    assert any(hit["slug"] == OMT for hit in body["results"])


def test_content_search_limit_and_length_are_checked(patient, content_pack):
    assert len(_json(patient.get(f"{API}/search?q=pain&limit=2"))["results"]) == 2
    too_many = _json(patient.get(f"{API}/search?q=pain&limit=500"), 400)["error"]
    assert (too_many["field"], too_many["message"]) == ("limit", "Enter 50 or less.")
    too_long = _json(patient.get(f"{API}/search?q={'a' * 201}"), 400)["error"]
    assert (too_long["field"], too_long["message"]) == ("q", "Use at most 200 characters.")
    assert _json(patient.get(f"{API}/search"))["results"] == []


def test_autocomplete_suggests_what_the_search_box_does(patient, content_pack):
    body = _json(patient.get(f"{API}/search/autocomplete?q=osteo"))
    groups = patient.get("/search/autocomplete?q=osteo").json()["groups"]
    site = [
        o for g in groups if g["kind"] not in {"doctor", "practice", "place"} for o in g["options"]
    ]
    assert site[0]["label"] == body["results"][0]["label"]
    assert {"Osteopathic Medicine", "Osteopathic Manual Treatment"} <= {s["label"] for s in site}
    kinds = {s["label"]: s["kind_label"] for s in body["results"]}
    assert kinds["Osteopathic Medicine"] == "Specialty"
    assert kinds["Osteopathic Manual Treatment"] == "Procedure"
    assert _json(patient.get(f"{API}/search/autocomplete?q=o"))["results"] == []
