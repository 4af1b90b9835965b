"""Public pages for guides, specialties and conditions, plus editors' previews."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.core.page_tags import CONTENT_ONLY
from careatlas.procedures.compare import comparison
from careatlas.procedures.models import (
    Condition,
    ConditionPage,
    Guide,
    Procedure,
    Reviewer,
    Specialty,
    StatRange,
    in_local_name_order,
)
from careatlas.procedures.presenters import (
    condition_sections,
    contents,
    last_updated_line,
    months_since,
    review_line,
    stat_cards,
    translation_note,
)
from careatlas.procedures.structured_data import breadcrumb_list, guide_graph

MAX_COMPARE = 4


def _published_guides():
    return (
        Guide.objects.published()
        .pick_language(get_language())
        .select_related("procedure__specialty")
    )


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def home(request: HttpRequest) -> HttpResponse:
    guides = list(_published_guides().order_by("title"))
    specialties = in_local_name_order(Specialty.objects.with_published_guides())
    return render(request, "procedures/home.html", {"guides": guides, "specialties": specialties})


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procedures/guide_list.html",
        {"guides": _published_guides().order_by("procedure__specialty__name", "title")},
    )


def _guide_context(guide: Guide) -> dict:
    specialty = guide.procedure.specialty
    crumbs = [
        (_("Home"), reverse("procedures:home")),
        (specialty.local_name, specialty.get_absolute_url()),
        (guide.title, guide.get_absolute_url()),
    ]
    guide_sources = list(guide.guide_sources.all())
    footnotes = {gs.source_id: i for i, gs in enumerate(guide_sources, start=1)}
    alternatives = list(
        _published_guides()
        .filter(procedure__in=guide.procedure.alternatives.all())
        .order_by("title")
    )
    conditions = guide.procedure.conditions.all().order_by("name")
    compare_slugs = [
        guide.procedure.slug,
        *[a.procedure.slug for a in alternatives][: MAX_COMPARE - 1],
    ]
    note = translation_note(guide, Guide.objects.original_of(guide))
    return {
        "guide": guide,
        "specialty": specialty,
        "crumbs": crumbs,
        "cards": stat_cards(guide, footnotes),
        "contents": contents(guide, bool(alternatives), bool(guide_sources)),
        "last_updated": last_updated_line(guide),
        "reviews": list(guide.reviews.all()),
        "guide_sources": guide_sources,
        "alternatives": alternatives,
        "conditions": conditions,
        "review_line": note.review if note else review_line(guide),
        "translation": note,
        # Shown in the site's language because the visitor's has no translation yet.
        "untranslated": guide.language != get_language(),
        "canonical_url": guide.own_url(),
        # hreflang alternates only between the guide's real translations: a fallback page
        # (English text under /es/) is a copy whose canonical is the English page.
        "guide_languages": Guide.objects.published()
        .filter(procedure=guide.procedure_id)
        .values_list("language", flat=True),
        "review_age_months": months_since(guide.reviewed_on),
        "structured_data": guide_graph(guide, crumbs),
        "compare_query": "&".join(f"p={slug}" for slug in compare_slugs),
        "find_url": reverse("providers:find") + f"?procedure={guide.procedure.slug}",
        "find_certified_url": reverse("providers:find")
        + f"?procedure={guide.procedure.slug}&board_certified=1",
    }


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _published_guides().for_page().filter(procedure__slug=slug).first()
    if guide is None:
        raise Http404(_("No published guide for this procedure."))
    return render(request, "procedures/guide.html", _guide_context(guide))


@require_safe
@staff_member_required
def guide_preview(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Editors see any guide, in any state, exactly as the public page would show it."""
    guide = get_object_or_404(Guide.objects.for_page(), procedure__slug=slug, language=language)
    context = _guide_context(guide) | {"preview": True}
    response = render(request, "procedures/guide.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def illustration(request: HttpRequest, slug: str) -> HttpResponse:
    # Any published guide, in any language, makes its drawing public (one row per procedure).
    procedure = get_object_or_404(
        Procedure.objects.filter(guides__status="published").distinct(), slug=slug
    )
    if not procedure.illustration_svg:
        raise Http404
    response = HttpResponse(procedure.illustration_svg, content_type="image/svg+xml")
    # An SVG opened on its own must not be able to run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def specialty_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procedures/specialty_list.html",
        {"specialties": in_local_name_order(Specialty.objects.with_published_guides())},
    )


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def specialty_detail(request: HttpRequest, slug: str) -> HttpResponse:
    specialty = get_object_or_404(Specialty, slug=slug)
    guides = _published_guides().filter(procedure__specialty=specialty).order_by("title")
    crumbs = [
        (_("Home"), reverse("procedures:home")),
        (specialty.local_name, specialty.get_absolute_url()),
    ]
    return render(
        request,
        "procedures/specialty.html",
        {
            "specialty": specialty,
            "guides": guides,
            "crumbs": crumbs,
            "structured_data": {"@context": "https://schema.org", **breadcrumb_list(crumbs)},
            "find_url": reverse("providers:find") + f"?specialty={specialty.slug}",
        },
    )


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def condition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procedures/condition_list.html",
        {"conditions": in_local_name_order(Condition.objects.with_published_guides())},
    )


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    condition = get_object_or_404(Condition.objects.select_related("specialty"), slug=slug)
    guides = list(
        _published_guides()
        .filter(procedure__conditions=condition)
        .prefetch_related(Prefetch("stats", queryset=StatRange.objects.select_related("source")))
        .order_by("title")
    )
    page = _condition_page(condition)
    sections, sources = condition_sections(page) if page else ([], [])
    crumbs = [
        (_("Home"), reverse("procedures:home")),
        (_("Conditions"), reverse("procedures:conditions")),
        (condition.local_name, condition.get_absolute_url()),
    ]
    specialties = sorted({g.procedure.specialty for g in guides}, key=lambda s: s.name)
    return render(
        request,
        "procedures/condition.html",
        {
            "condition": condition,
            "page": page,
            "untranslated": page is not None and page.language != get_language(),
            # conditions.yaml keeps one summary per condition, in the site's language.
            "summary_language": settings.LANGUAGE_CODE,
            "sections": sections,
            "sources": sources,
            "helps": [(g, [c for c in stat_cards(g, {}) if c.value]) for g in guides],
            "specialties": specialties,
            "crumbs": crumbs,
            "structured_data": {"@context": "https://schema.org", **breadcrumb_list(crumbs)},
            "find_url": reverse("providers:find") + "?" + urlencode({"q": condition.name}),
            "compare_query": "&".join(f"p={g.procedure.slug}" for g in guides[:MAX_COMPARE]),
        },
    )


def _condition_page(condition: Condition) -> ConditionPage | None:
    """The page in the visitor's language, else in the site's default language."""
    pages = {p.language: p for p in ConditionPage.objects.for_page().filter(condition=condition)}
    return pages.get(get_language()) or pages.get(settings.LANGUAGE_CODE)


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def compare(request: HttpRequest) -> HttpResponse:
    slugs = list(dict.fromkeys(request.GET.getlist("p")))
    choices = list(_published_guides().order_by("title"))
    titles = {g.procedure.slug: g.title for g in choices}
    slugs = [slug for slug in slugs if slug in titles]
    error, notice, rows = "", "", None
    if len(slugs) > MAX_COMPARE:
        # Compare the first four chosen and name the rest: never refuse, never drop silently.
        left_out = ", ".join(titles[slug] for slug in slugs[MAX_COMPARE:])
        notice = _(
            "You chose %(n)d procedures. We compare up to %(max)d at a time, so this comparison "
            "leaves out: %(left_out)s. Untick one in the list below to swap it in."
        ) % {"n": len(slugs), "max": MAX_COMPARE, "left_out": left_out}
        slugs = slugs[:MAX_COMPARE]
    if slugs:
        guides = list(_published_guides().for_page().filter(procedure__slug__in=slugs))
        guides.sort(key=lambda g: slugs.index(g.procedure.slug))
        if len(guides) < 2:
            error = _("Choose at least two procedures to compare.")
        else:
            rows = comparison(guides)
    return render(
        request,
        "procedures/compare.html",
        {
            "choices": choices,
            "selected": slugs,
            "comparison": rows,
            "error": error,
            "notice": notice,
            "max_compare": MAX_COMPARE,
        },
    )


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def figure_policy(request: HttpRequest) -> HttpResponse:
    """How we choose figures: the rules every stat card follows."""
    return render(request, "procedures/figure_policy.html")


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def editorial_policy(request: HttpRequest) -> HttpResponse:
    """Editorial policy and review process, with the named reviewers."""
    reviewers = Reviewer.objects.order_by("name")
    return render(request, "procedures/editorial_policy.html", {"reviewers": reviewers})
