"""Content endpoints: specialties, procedure guides, conditions, and content search."""

from django.utils import translation
from ninja import Path, Query, Router

from careatlas.api import content_presenters as present
from careatlas.api.content_schemas import (
    ConditionList,
    ConditionOut,
    ProcedureDetail,
    ProcedureList,
    SearchOut,
    SpecialtyList,
    SpecialtyOut,
    SuggestionList,
)
from careatlas.api.errors import documented, not_found, openapi_extra
from careatlas.api.language import LANG, Language, answer_language
from careatlas.procedures.models import Condition, Specialty
from careatlas.search import interface as content_search

router = Router(tags=["Content"])

SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=80, description="The page's slug.")
SEARCH_TEXT = Query(
    "",
    max_length=content_search.MAX_QUERY_LENGTH,
    description="What to look for, e.g. back pain. Typos and synonyms are forgiven.",
)


@router.get(
    "/specialties",
    response=documented(SpecialtyList),
    url_name="specialty_list",
    operation_id="list_specialties",
    summary="List specialties",
    openapi_extra=openapi_extra(),
)
def list_specialties(request, lang: Language = LANG):
    """Every specialty (each is a valid `specialty` filter of provider search), with the
    procedures that have a published guide."""
    lang = answer_language(lang)
    with translation.override(lang):
        specialties = present.specialty_list()
        return {"count": len(specialties), "results": specialties}


@router.get(
    "/specialties/{slug}",
    response=documented(SpecialtyOut, can_be_missing=True),
    url_name="specialty_detail",
    operation_id="get_specialty",
    summary="One specialty",
    openapi_extra=openapi_extra(),
)
def get_specialty(request, slug: str = SLUG, lang: Language = LANG):
    lang = answer_language(lang)
    with translation.override(lang):
        specialty = Specialty.objects.filter(slug=slug).first()
        if specialty is None:
            raise not_found()
        return present.specialty_detail(specialty)


@router.get(
    "/procedures",
    response=documented(ProcedureList),
    url_name="procedure_list",
    operation_id="list_procedures",
    summary="List published procedure guides",
    openapi_extra=openapi_extra(),
)
def list_procedures(request, lang: Language = LANG):
    """Published guides only, by title; drafts and guides in review never appear."""
    lang = answer_language(lang)
    with translation.override(lang):
        guides = present.published_guides().order_by("title")
        results = [present.guide_summary(guide) for guide in guides]
        return {"count": len(results), "results": results}


@router.get(
    "/procedures/{slug}",
    response=documented(ProcedureDetail, can_be_missing=True),
    url_name="procedure_detail",
    operation_id="get_procedure",
    summary="One procedure guide, with its figures, sources and review",
    openapi_extra=openapi_extra(),
)
def get_procedure(request, slug: str = SLUG, lang: Language = LANG):
    """Each stat range comes with its source (title, PMID/PMCID/DOI/URL), year and method;
    `review` says who reviewed the guide and when, and whether it is sample content."""
    lang = answer_language(lang)
    with translation.override(lang):
        guide = present.published_guides().for_page().filter(procedure__slug=slug).first()
        if guide is None:
            raise not_found()
        return present.guide_detail(guide)


@router.get(
    "/conditions",
    response=documented(ConditionList),
    url_name="condition_list",
    operation_id="list_conditions",
    summary="List conditions",
    openapi_extra=openapi_extra(),
)
def list_conditions(request, lang: Language = LANG):
    """Conditions treated by at least one procedure with a published guide."""
    lang = answer_language(lang)
    with translation.override(lang):
        conditions = present.condition_list()
        return {"count": len(conditions), "results": conditions}


@router.get(
    "/conditions/{slug}",
    response=documented(ConditionOut, can_be_missing=True),
    url_name="condition_detail",
    operation_id="get_condition",
    summary="One condition",
    openapi_extra=openapi_extra(),
)
def get_condition(request, slug: str = SLUG, lang: Language = LANG):
    lang = answer_language(lang)
    with translation.override(lang):
        condition = Condition.objects.select_related("specialty").filter(slug=slug).first()
        if condition is None:
            raise not_found()
        return present.condition_detail(condition)


@router.get(
    "/search",
    response=documented(SearchOut),
    url_name="content_search",
    operation_id="search_content",
    summary="Search procedures, conditions and specialties",
    openapi_extra=openapi_extra(),
)
def search_content(
    request,
    q: str = SEARCH_TEXT,
    limit: int = Query(20, ge=1, le=50, description="How many results, best first."),
    lang: Language = LANG,
):
    """The site's search: published pages only, typo-tolerant, best match first."""
    lang = answer_language(lang)
    with translation.override(lang):
        found = content_search.search(q, language=lang, limit=limit)
        return present.search_data(found)


@router.get(
    "/search/autocomplete",
    response=documented(SuggestionList),
    url_name="content_autocomplete",
    operation_id="autocomplete_content",
    summary="Suggestions for a search box",
    openapi_extra=openapi_extra(),
)
def autocomplete_content(request, q: str = SEARCH_TEXT, lang: Language = LANG):
    """Pages whose words start with what was typed (two characters or more), as the site's
    search box suggests them."""
    lang = answer_language(lang)
    with translation.override(lang):
        suggestions = content_search.autocomplete(q, language=lang)
        return {"results": [present.suggestion_data(s) for s in suggestions]}
