"""FHIR endpoints: the CapabilityStatement, reads by id, and searches (searchset Bundles)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from careatlas.fhir.bundles import searchset
from careatlas.fhir.http import fhir_endpoint, fhir_json, handling
from careatlas.fhir.outcomes import FhirError
from careatlas.fhir.registry import RESOURCES
from careatlas.fhir.resources import resource
from careatlas.fhir.resources.capability import capability_statement
from careatlas.fhir.resources.common import drop_empty
from careatlas.fhir.search import ResourceSearch, parse, run
from careatlas.fhir.subsetting import element_names, subset, summary_mode

# A read takes no parameter but the representation it is asked in and how much of it.
READ_PARAMETERS = {"_format", "_summary", "_elements"}


def _spec(resource_type: str) -> ResourceSearch:
    spec = RESOURCES.get(resource_type)
    if spec is None:
        raise FhirError(
            _("This server has no %(type)s resources. It serves: %(types)s.")
            % {"type": resource_type, "types": ", ".join(RESOURCES)},
            code="not-supported",
            status=404,
        )
    return spec


# csrf_exempt: the views never act on a POST, and without it Django's CSRF check would
# answer a POST with an HTML 403 instead of the FHIR 405 OperationOutcome.
@csrf_exempt
@fhir_endpoint
def metadata(request: HttpRequest) -> HttpResponse:
    unknown = set(request.GET) - READ_PARAMETERS
    if unknown:
        raise FhirError(
            _("metadata takes no parameter “%(name)s”.") % {"name": sorted(unknown)[0]},
            code="not-supported",
        )
    return fhir_json(drop_empty(capability_statement(RESOURCES.values())))


@csrf_exempt
@fhir_endpoint
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    spec = _spec(resource_type)
    unknown = set(request.GET) - READ_PARAMETERS
    if unknown and handling(request) == "strict":
        raise FhirError(
            _("A read takes no parameter “%(name)s”.") % {"name": sorted(unknown)[0]},
            code="not-supported",
        )
    summary = elements = None
    if "_summary" in request.GET:
        summary = summary_mode(request.GET.getlist("_summary"), search=False)
    if "_elements" in request.GET:
        elements = element_names(resource_type, request.GET.getlist("_elements"))
    found = spec.read(resource_id)
    if found is None:
        raise FhirError(
            _("%(type)s/%(id)s is not in this directory.")
            % {"type": resource_type, "id": resource_id},
            code="not-found",
            status=404,
        )
    return fhir_json(subset(resource(found), summary, elements))


@csrf_exempt
@fhir_endpoint
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    spec = _spec(resource_type)
    query = parse(spec, request.GET, lenient=handling(request) == "lenient")
    return fhir_json(searchset(resource_type, query, run(spec, query)))


@csrf_exempt
@fhir_endpoint
def unknown(request: HttpRequest, path: str = "") -> HttpResponse:
    raise FhirError(
        _(
            "Nothing is served at this address. The CapabilityStatement at /fhir/metadata lists"
            " what is."
        ),
        code="not-supported",
        status=404,
    )
