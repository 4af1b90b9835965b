"""Search pages: the results page and the JSON behind the search box's suggestions."""

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.core.ratelimit import limit_per_minute
from careatlas.search import query
from careatlas.search.presenters import group_heading, kind_label
from careatlas.search.text import MAX_QUERY_LENGTH


@require_safe
@limit_per_minute("search-pages", "SEARCH_RATE_LIMIT_PER_MINUTE")
@public_page
def results(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    found = query.search(text, language=get_language(), limit=50) if text else None
    groups = [(group_heading(g.kind), g) for g in found.groups] if found else []
    return render(request, "search/results.html", {"q": text, "results": found, "groups": groups})


@require_safe
@limit_per_minute("search-pages", "SEARCH_RATE_LIMIT_PER_MINUTE")
@public_page
def autocomplete(request: HttpRequest) -> JsonResponse:
    suggestions = query.autocomplete(request.GET.get("q", ""), language=get_language())
    return JsonResponse(
        {"results": [asdict(s) | {"kind_label": kind_label(s.kind)} for s in suggestions]}
    )
