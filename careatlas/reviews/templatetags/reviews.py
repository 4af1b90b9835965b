"""The reviews section of a provider profile, loaded by the profile template.

Providers sit below reviews, so the profile view cannot ask for reviews; its template loads
this library instead (templates are not part of the import layers). The section is built
once per request and practitioner: the page's head (JSON-LD) and body both use it.
"""

from django import template
from django.http import HttpRequest

from careatlas.providers.models import Practitioner
from careatlas.reviews.profile_presenters import (
    PAGE_PARAM,
    ReviewSection,
    review_graph,
    review_section,
)

register = template.Library()


@register.simple_tag
def profile_reviews(request: HttpRequest, practitioner: Practitioner) -> ReviewSection:
    """`{% profile_reviews request practitioner as reviews %}`: the section for this page."""
    built = request.__dict__.setdefault("careatlas_review_sections", {})
    if practitioner.pk not in built:
        built[practitioner.pk] = review_section(practitioner, request.GET.get(PAGE_PARAM))
    return built[practitioner.pk]


@register.filter
def with_reviews(graph: dict, section: ReviewSection) -> dict:
    """The profile's JSON-LD with this page's reviews on the Physician node (which carries
    the AggregateRating); unchanged below the minimum number of reviews."""
    nodes = graph.get("@graph", [])
    physician = next((node for node in nodes if node.get("@type") == "Physician"), None)
    reviews = review_graph(section, physician["url"]) if physician else []
    if not reviews:
        return graph
    return {**graph, "@graph": [{**n, "review": reviews} if n is physician else n for n in nodes]}
