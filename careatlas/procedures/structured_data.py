"""schema.org JSON-LD for guide pages: MedicalWebPage, MedicalProcedure, FAQPage, BreadcrumbList."""

from django.conf import settings
from django.utils import translation

from careatlas.procedures.models import Guide


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(url)}
            for i, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def guide_graph(guide: Guide, crumbs: list[tuple[str, str]]) -> dict:
    procedure = guide.procedure
    # The page's own address in the language of its words: an English guide shown under
    # /es/ (no translation yet) is the English page, and says so.
    url = absolute(guide.own_url())
    medical_procedure = {
        "@type": "MedicalProcedure",
        "@id": f"{url}#procedure",
        "name": guide.title,
        "description": guide.summary,
        "url": url,
        "relevantSpecialty": {"@type": "MedicalSpecialty", "name": procedure.specialty.name},
    }
    if guide.abbreviation:
        medical_procedure["alternateName"] = guide.abbreviation
    codes = [c.code for c in procedure.codes.all()]
    if codes:
        medical_procedure["code"] = [
            {"@type": "MedicalCode", "codeValue": code, "codingSystem": "HCPCS"} for code in codes
        ]
    page = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": guide.title,
        "description": guide.summary,
        "inLanguage": guide.language,
        "about": {"@id": f"{url}#procedure"},
        "mainEntity": {"@id": f"{url}#procedure"},
        "citation": [
            {"@type": "CreativeWork", "name": gs.source.title, "url": gs.source.link}
            for gs in guide.guide_sources.all()
        ],
    }
    if guide.is_translation:
        with translation.override(settings.LANGUAGE_CODE):
            original = absolute(procedure.get_absolute_url())
        page["translationOfWork"] = {"@type": "MedicalWebPage", "@id": original}
    if guide.published_at:
        page["datePublished"] = (
            guide.first_published_at.date().isoformat() if guide.first_published_at else None
        )
        page["dateModified"] = guide.updated_at.date().isoformat()
    if guide.is_reviewed:
        page["lastReviewed"] = guide.reviewed_on.isoformat()
        page["reviewedBy"] = {
            "@type": "Person",
            "name": guide.reviewer_name,
            "honorificSuffix": guide.reviewer_credentials or None,
        }
    graph = [page, medical_procedure, breadcrumb_list(crumbs)]
    faq = list(guide.faq.all())
    if faq:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{url}#faq",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": item.question,
                        "acceptedAnswer": {"@type": "Answer", "text": item.answer},
                    }
                    for item in faq
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": _drop_none(graph)}


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
