"""Provider endpoints: search (the search page's parameters), filters, suggestions, profiles."""

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from ninja import Path, Query, Router

from careatlas.api import provider_presenters as present
from careatlas.api.errors import documented, invalid_form, openapi_extra
from careatlas.api.language import LANG, Language, answer_language
from careatlas.api.provider_params import search_parameters
from careatlas.api.provider_schemas import (
    ProviderDetail,
    ProviderSearchOut,
    ProviderSuggestionList,
    SearchFilters,
)
from careatlas.core import page_tags
from careatlas.providers.access import get_public_practitioner
from careatlas.search.interface import (
    Choices,
    ProviderSearchForm,
    autocomplete_providers,
    find_providers,
)

router = Router(tags=["Providers"])


def _search_extra() -> dict:
    extra = openapi_extra()
    extra["parameters"] = search_parameters()
    return extra


@router.get(
    "/providers",
    response=documented(ProviderSearchOut),
    url_name="provider_search",
    operation_id="search_providers",
    summary="Search providers",
    openapi_extra=_search_extra(),
)
def search_providers(request, lang: Language = LANG):
    """Exactly the parameters of the site's provider search page (/providers/), validated
    by the same form: an unknown place, a radius not offered or a page that is not a number
    is a 400 naming the field. With no parameters, every provider, by name."""
    lang = answer_language(lang)
    with translation.override(lang):
        form = ProviderSearchForm(request.GET, choices=Choices.load(lang))
        if not form.is_valid():
            raise invalid_form(form)
        results = find_providers(form.query())
        listed = (page_tags.practitioner(hit.practitioner_id) for hit in results.hits)
        page_tags.depends_on(request, page_tags.DIRECTORY, page_tags.PROVIDER_INDEX, *listed)
        lang_query = f"lang={lang}" if lang != settings.LANGUAGE_CODE else ""
        return present.search_data(form, results, lang_query)


@router.get(
    "/providers/filters",
    response=documented(SearchFilters),
    url_name="provider_filters",
    operation_id="list_provider_filters",
    summary="Values the provider search filters accept",
    openapi_extra=openapi_extra(),
)
def list_provider_filters(request, lang: Language = LANG):
    """The choices of every select and checkbox group on the search page, with labels."""
    lang = answer_language(lang)
    page_tags.depends_on(request, page_tags.DIRECTORY)
    with translation.override(lang):
        form = ProviderSearchForm(QueryDict(), choices=Choices.load(lang))
        return present.filter_choices(form)


@router.get(
    "/providers/autocomplete",
    response=documented(ProviderSuggestionList),
    url_name="provider_autocomplete",
    operation_id="autocomplete_providers",
    summary="Providers whose name starts with what was typed",
    openapi_extra=openapi_extra(),
)
def autocomplete(
    request,
    q: str = Query("", max_length=200, description="The start of a name (two letters or more)."),
    limit: int = Query(8, ge=1, le=20, description="How many suggestions."),
    lang: Language = LANG,
):
    lang = answer_language(lang)
    page_tags.depends_on(request, page_tags.DIRECTORY, page_tags.PROVIDER_INDEX)
    with translation.override(lang):
        suggestions = autocomplete_providers(q, limit)
        return {"results": [present.suggestion_data(s) for s in suggestions]}


@router.get(
    "/providers/{npi}",
    response=documented(ProviderDetail, can_be_missing=True),
    url_name="provider_detail",
    operation_id="get_provider",
    summary="One provider's profile, with the verification of every fact",
    openapi_extra=openapi_extra(),
)
def get_provider(
    request,
    npi: str = Path(
        ..., pattern=r"^\d{10}$", description="The ten-digit NPI.", example="1234567893"
    ),
    lang: Language = LANG,
):
    """What the profile page shows: places, hours, procedures and prices, insurance,
    licenses and certifications, each fact with how and when it was verified; what CMS Care
    Compare and NPPES say (medical school, Medicare assignment, group practice, hospital
    affiliations, NUCC provider types, NPI dates), each with its source; and how often CMS's
    Medicare claims show them performing each procedure."""
    lang = answer_language(lang)
    with translation.override(lang):
        practitioner = get_public_practitioner(npi)
        page_tags.depends_on(request, page_tags.DIRECTORY, page_tags.practitioner(practitioner.pk))
        return present.provider_detail(practitioner)
