"""Searchset Bundles: matches and includes, the total, and absolute paging links."""

from urllib.parse import urlencode

from django.db import models
from django.utils import timezone

from careatlas.fhir.outcomes import FhirIssue, operation_outcome_of
from careatlas.fhir.resources import resource, resource_type
from careatlas.fhir.resources.common import fhir_base
from careatlas.fhir.search import Results, SearchRequest
from careatlas.fhir.subsetting import subset

LOCATION_DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance"


def _link(spec_type: str, request: SearchRequest, page: int) -> str:
    items = [*request.items, ("_count", str(request.count)), ("page", str(page))]
    return f"{fhir_base()}/{spec_type}?{urlencode(items)}"


def _links(spec_type: str, request: SearchRequest, results: Results) -> list[dict]:
    if results.total is None:  # _total=none: no last page to point to
        last, more = None, results.more
    else:
        last = max(1, -(-results.total // request.count)) if request.count else 1
        more = request.page < last
    links = [
        ("self", request.page),
        ("first", 1),
        ("previous", request.page - 1 if request.page > 1 else None),
        ("next", request.page + 1 if more else None),
        ("last", last),
    ]
    if last is not None and request.page > 1:
        links[2] = ("previous", min(request.page - 1, last))
    return [
        {"relation": relation, "url": _link(spec_type, request, page)}
        for relation, page in links
        if page is not None
    ]


def _distance(miles: float) -> dict:
    return {
        "url": LOCATION_DISTANCE,
        "valueDistance": {
            "value": round(miles, 3),
            "unit": "mi",
            "system": "http://unitsofmeasure.org",
            "code": "[mi_i]",
        },
    }


def _entry(obj: models.Model, body: dict, mode: str, miles: float | None = None) -> dict:
    search = {"mode": mode}
    if miles is not None:
        search["extension"] = [_distance(miles)]
    return {
        "fullUrl": f"{fhir_base()}/{resource_type(obj)}/{body['id']}",
        "resource": body,
        "search": search,
    }


def searchset(spec_type: str, request: SearchRequest, results: Results) -> dict:
    """The Bundle for one page of a search. Included resources are not counted in `total`
    and not paged, as FHIR specifies; near searches say each match's distance."""
    today = timezone.localdate()
    entries = [
        _entry(
            obj,
            subset(resource(obj, today), request.summary, request.elements),
            "match",
            results.distances.get(obj.pk),
        )
        for obj in results.matches
    ]
    entries += [_entry(obj, resource(obj, today), "include") for obj in results.included]
    if request.ignored:
        # Lenient handling: say what was left out, in the Bundle the client reads anyway.
        issues = [FhirIssue(text, "not-supported", "warning") for text in request.ignored]
        entries.append({"resource": operation_outcome_of(issues), "search": {"mode": "outcome"}})
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": results.total if request.total != "none" else None,
        "link": _links(spec_type, request, results),
    }
    if bundle["total"] is None:
        del bundle["total"]
    if entries:
        bundle["entry"] = entries
    return bundle
