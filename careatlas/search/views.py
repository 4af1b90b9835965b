"""Search pages: the results page and the JSON behind the one search box's suggestions."""

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.core.page_tags import DIRECTORY, PROVIDER_INDEX
from careatlas.core.ratelimit import limit_per_minute
from careatlas.search import query
from careatlas.search.presenters import group_heading
from careatlas.search.provider_query import autocomplete_providers, names_in_directory
from careatlas.search.query import is_search_term
from careatlas.search.reading import read_query
from careatlas.search.suggest import suggest
from careatlas.search.text import MAX_QUERY_LENGTH

DOCTORS_ON_RESULTS = 5


@require_safe
@limit_per_minute("search-pages", "SEARCH_RATE_LIMIT_PER_MINUTE")
@public_page(depends_on=(DIRECTORY, PROVIDER_INDEX))
def results(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    reading = read_query(text, is_name=names_in_directory, is_term=is_search_term)
    if text and reading.has_place:
        # "back pain near Chicago": the finder reads it and says how.
        return redirect(f"{reverse('providers:find')}?{urlencode({'q': text})}")
    found = query.search(text, language=get_language(), limit=50) if text else None
    groups = [(group_heading(g.kind), g) for g in found.groups] if found else []
    doctors = autocomplete_providers(text, limit=DOCTORS_ON_RESULTS) if text else []
    return render(
        request,
        "search/results.html",
        {"q": text, "results": found, "groups": groups, "doctors": doctors},
    )


@require_safe
@limit_per_minute("search-pages", "SEARCH_RATE_LIMIT_PER_MINUTE")
@public_page(depends_on=(DIRECTORY, PROVIDER_INDEX))
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Suggestions in groups (topics, doctors, practices, places) for the one search box."""
    groups = suggest(request.GET.get("q", ""), language=get_language())
    return JsonResponse({"groups": [asdict(group) for group in groups]})
