"""The provider search page: a shareable GET form, its results, and a map of them."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from careatlas.core import page_tags
from careatlas.core.caching import public_page
from careatlas.core.ratelimit import limit_per_minute
from careatlas.providers.map_presenters import map_settings
from careatlas.search.provider_form import AS_TYPED, Choices, ProviderSearchForm
from careatlas.search.provider_page import search_page
from careatlas.search.provider_query import find_providers, names_in_directory
from careatlas.search.query_notices import query_notices
from careatlas.search.reading import Reading, read_query
from careatlas.search.text import MAX_QUERY_LENGTH


def read_place_from_text(data: QueryDict) -> tuple[QueryDict, Reading | None]:
    """'back pain near Chicago' with no location: q='back pain', location='Chicago'."""
    text = data.get("q", "")[:MAX_QUERY_LENGTH]
    if data.get("location", "").strip() or not text.strip() or data.get(AS_TYPED) == "1":
        return data, None
    reading = read_query(text, is_name=names_in_directory)
    if not reading.has_place:
        return data, None
    data = data.copy()
    data["q"], data["location"] = reading.topic, reading.place_text
    return data, reading


def _results_not_indexed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Result pages and fragments are for people; the bare finder is what search engines list.

    Outside the page cache, which keeps bodies but not headers.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.GET:
            response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


@require_safe
@limit_per_minute("search-pages", "SEARCH_RATE_LIMIT_PER_MINUTE")
@_results_not_indexed
@public_page(depends_on=(page_tags.DIRECTORY, page_tags.PROVIDER_INDEX))
def find(request: HttpRequest) -> HttpResponse:
    """`?partial=1` answers with the results fragment only, for filtering without a reload.

    The page cache keys on the full path, so the fragment and the page never mix.
    """
    data, reading = read_place_from_text(request.GET)
    form = ProviderSearchForm(data, choices=Choices.load(get_language()))
    form.as_typed = request.GET.get(AS_TYPED) == "1"
    searching = form.is_valid() and form.has_criteria
    results = find_providers(form.query()) if searching else None
    if results is not None:
        page_tags.depends_on(
            request, *(page_tags.practitioner(hit.practitioner_id) for hit in results.hits)
        )
    partial = request.GET.get("partial") == "1"
    return render(
        request,
        "search/_provider_results.html" if partial else "search/providers.html",
        {
            "page": search_page(form, results),
            "form": form,
            "map": map_settings(),
            "notices": query_notices(form, results, reading),
        },
    )
