"""Procedure content as API data: the same reads and wording as the pages, as plain dicts.

Callers activate the response language first (translation.override), so labels, review
lines and page URLs come out in it, exactly as the site would show them.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from careatlas.api.links import absolute, api_url
from careatlas.procedures.models import Condition, Guide, Source, Specialty, StatUnit
from careatlas.procedures.models.guides import StatKind
from careatlas.procedures.presenters import citation, review_line, stat_range
from careatlas.search.interface import Hit, SearchResults, Suggestion, kind_label


def published_guides():
    """Published guides in the active language, else in the default one (as the site does)."""
    return (
        Guide.objects.published()
        .pick_language(get_language())
        .select_related("procedure__specialty")
    )


def _procedure_ref(guide: Guide) -> dict:
    return {
        "slug": guide.procedure.slug,
        "title": guide.title,
        "url": absolute(guide.get_absolute_url()),
    }


def _specialty_ref(specialty: Specialty | None) -> dict | None:
    return {"slug": specialty.slug, "name": specialty.name} if specialty else None


def specialty_data(specialty: Specialty, procedures: list[dict]) -> dict:
    return {
        "slug": specialty.slug,
        "name": specialty.name,
        "description": specialty.description,
        "nucc_codes": list(specialty.nucc_codes or []),
        "url": absolute(specialty.get_absolute_url()),
        "procedures": procedures,
    }


def specialty_list() -> list[dict]:
    """Every specialty (each is a valid provider-search filter), with its published guides."""
    by_specialty: dict[int, list[dict]] = defaultdict(list)
    for guide in published_guides().order_by("title"):
        by_specialty[guide.procedure.specialty_id].append(_procedure_ref(guide))
    return [
        specialty_data(specialty, by_specialty.get(specialty.pk, []))
        for specialty in Specialty.objects.order_by("name")
    ]


def specialty_detail(specialty: Specialty) -> dict:
    guides = published_guides().filter(procedure__specialty=specialty).order_by("title")
    return specialty_data(specialty, [_procedure_ref(g) for g in guides])


def guide_summary(guide: Guide) -> dict:
    return {
        "slug": guide.procedure.slug,
        "language": guide.language,
        "title": guide.title,
        "abbreviation": guide.abbreviation,
        "summary": guide.summary,
        "specialty": _specialty_ref(guide.procedure.specialty),
        "url": absolute(guide.get_absolute_url()),
        "sample_content": guide.sample_content,
        "reviewed_on": guide.reviewed_on,
    }


def source_data(source: Source) -> dict:
    return {
        "key": source.key,
        "citation": citation(source),
        "title": source.title,
        "authors": source.authors,
        "publisher": source.publisher,
        "year": source.year,
        "pmid": source.pmid or None,
        "pmcid": source.pmcid or None,
        "doi": source.doi or None,
        "url": source.url or None,
        "link": source.link,
    }


def _stat_label(stat) -> str:
    # The page calls a share of people "US use per year", not a count of procedures.
    if stat.kind == StatKind.VOLUME and stat.unit == StatUnit.PERCENT:
        return _("US use per year")
    return str(StatKind(stat.kind).label)


def _stats(guide: Guide) -> list[dict]:
    order = {kind.value: i for i, kind in enumerate(StatKind)}
    stats = sorted(
        (s for s in guide.stats.all() if s.source is not None and s.has_figure),
        key=lambda s: order[s.kind],
    )
    return [
        {
            "kind": stat.kind,
            "label": _stat_label(stat),
            "low": float(stat.low),
            "high": float(stat.high),
            "unit": stat.unit,
            "text": stat_range(stat),
            "qualifier": stat.qualifier,
            "year": stat.year,
            "method": stat.method,
            "source": source_data(stat.source),
        }
        for stat in stats
    ]


def _review(guide: Guide) -> dict:
    return {
        "reviewed": guide.is_reviewed,
        "reviewer_name": guide.reviewer_name or None,
        "reviewer_credentials": guide.reviewer_credentials or None,
        "reviewed_on": guide.reviewed_on,
        "next_review_due": guide.next_review_due,
        "overdue": guide.review_overdue(timezone.localdate()),
        "text": review_line(guide),
        "sample_content": guide.sample_content,
    }


def guide_detail(guide: Guide) -> dict:
    """A guide loaded with `for_page()`, as the page shows it (a few more queries)."""
    procedure = guide.procedure
    alternatives = published_guides().filter(procedure__in=procedure.alternatives.all())
    conditions = procedure.conditions.all().order_by("name")
    illustration = (
        absolute(reverse("procedures:illustration", args=[procedure.slug]))
        if procedure.illustration_svg
        else None
    )
    return guide_summary(guide) | {
        "illustration_url": illustration,
        "illustration_alt": guide.illustration_alt,
        "sections": {
            "who_it_helps": guide.who_it_helps,
            "what_to_expect": guide.what_to_expect,
            "recovery": guide.recovery,
            "cost": guide.cost,
            "risks": guide.risks,
            "deep_dive_title": guide.deep_dive_title,
            "deep_dive": guide.deep_dive,
        },
        "stats": _stats(guide),
        "sources": [source_data(gs.source) for gs in guide.guide_sources.all()],
        "review": _review(guide),
        "published_at": guide.published_at,
        "conditions": [
            {"slug": c.slug, "name": c.name, "url": absolute(c.get_absolute_url())}
            for c in conditions
        ],
        "alternatives": [_procedure_ref(g) for g in alternatives.order_by("title")],
        "codes": [code.code for code in procedure.codes.all()],
        "questions": [q.text for q in guide.questions.all()],
        "faq": [{"question": item.question, "answer": item.answer} for item in guide.faq.all()],
        "providers": api_url("provider_search", f"procedure={procedure.slug}"),
    }


def condition_data(condition: Condition, procedures: list[dict]) -> dict:
    return {
        "slug": condition.slug,
        "name": condition.name,
        "synonyms": list(condition.synonyms or []),
        "summary": condition.summary,
        "specialty": _specialty_ref(condition.specialty),
        "url": absolute(condition.get_absolute_url()),
        "procedures": procedures,
    }


def condition_list() -> list[dict]:
    """Conditions the site lists: those with at least one published guide."""
    conditions = list(
        Condition.objects.with_published_guides().select_related("specialty").order_by("name")
    )
    treated_by: dict[int, list[dict]] = defaultdict(list)
    # A few dozen guides at most: one pass over all of them beats a join per condition.
    for guide in published_guides().prefetch_related("procedure__conditions").order_by("title"):
        for condition in guide.procedure.conditions.all():
            treated_by[condition.pk].append(_procedure_ref(guide))
    return [condition_data(c, treated_by.get(c.pk, [])) for c in conditions]


def condition_detail(condition: Condition) -> dict:
    guides = published_guides().filter(procedure__conditions=condition).order_by("title")
    return condition_data(condition, [_procedure_ref(g) for g in guides])


def _hit(hit: Hit) -> dict:
    return {
        "kind": hit.kind,
        "kind_label": kind_label(hit.kind),
        "slug": hit.slug,
        "title": hit.title,
        "url": absolute(hit.url),
        "snippet": hit.snippet,
    }


def search_data(results: SearchResults) -> dict:
    return {
        "query": results.query,
        "corrected_query": results.corrected_query or None,
        "total": results.total,
        "results": [_hit(hit) for hit in results.hits],
    }


def suggestion_data(suggestion: Suggestion) -> dict:
    return {
        "label": suggestion.label,
        "kind": suggestion.kind,
        "kind_label": kind_label(suggestion.kind),
        "url": absolute(suggestion.url),
    }
