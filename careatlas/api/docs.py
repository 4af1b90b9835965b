"""The API's docs page, rendered on the server from the OpenAPI schema.

Swagger UI would load from a CDN (a third-party request, blocked by our CSP) and needs
JavaScript. This page needs neither: each endpoint has a plain GET form ("Try it") whose
answer the browser shows as JSON, through `try_operation`, which fills in path parameters.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from careatlas.api.errors import INVALID_PARAMETER, error_response, not_found
from careatlas.api.links import api_path
from careatlas.api.v1 import api
from careatlas.core.markdown import render_markdown


@dataclass
class ParameterDoc:
    name: str
    location: str  # "path" or "query"
    type: str  # "string", "integer", "boolean", "list of string"
    required: bool
    description: str
    choices: list[str] = field(default_factory=list)
    default: str = ""

    @property
    def input_id(self) -> str:
        return f"{self.location}-{self.name}"

    @property
    def multiple(self) -> bool:
        return self.type.startswith("list")


@dataclass
class OperationDoc:
    id: str
    tag: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[ParameterDoc]
    responses: list[tuple[str, str]]

    @property
    def try_url(self) -> str:
        return api_path("docs_try", operation_id=self.id)

    @property
    def description_html(self) -> SafeString:
        return render_markdown(self.description, heading_offset=3)


def _schema_of(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    # Optional values come as anyOf [X, null]; show X.
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return options[0] if options else schema


def _parameter(parameter: dict) -> ParameterDoc:
    schema = _schema_of(parameter)
    kind = schema.get("type", "string")
    choices = schema.get("enum", [])
    if kind == "array":
        items = schema.get("items", {})
        choices = items.get("enum", [])
        kind = f"list of {items.get('type', 'string')}"
    default = schema.get("default", "")
    return ParameterDoc(
        name=parameter["name"],
        location=parameter["in"],
        type=kind,
        required=bool(parameter.get("required")),
        description=parameter.get("description", schema.get("description", "")),
        choices=[str(choice) for choice in choices],
        default="" if default in ("", None, False) else str(default).lower(),
    )


def by_tag(found: list[OperationDoc]) -> list[tuple[str, list[OperationDoc]]]:
    """Operations grouped under their tag, groups in the order they first appear."""
    groups: dict[str, list[OperationDoc]] = {}
    for operation in found:
        groups.setdefault(operation.tag, []).append(operation)
    return list(groups.items())


def operations() -> list[OperationDoc]:
    """Every operation of the schema, in the order the API declares them."""
    schema = api.get_openapi_schema(path_params={})
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                OperationDoc(
                    id=operation["operationId"],
                    tag=(operation.get("tags") or [""])[0],
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=[_parameter(p) for p in operation.get("parameters", [])],
                    responses=[
                        (status, answer.get("description", ""))
                        for status, answer in sorted(operation["responses"].items())
                    ],
                )
            )
    return found


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "api/docs.html",
        {
            "api": api,
            "groups": by_tag(operations()),
            "openapi_url": api_path("openapi-json"),
            "rate_limit": settings.API_RATE_LIMIT_PER_MINUTE,
            "cache_seconds": settings.API_CACHE_SECONDS,
        },
    )
    patch_cache_control(response, public=True, max_age=settings.BROWSER_CACHE_SECONDS)
    return response


@require_safe
def try_operation(request: HttpRequest, operation_id: str) -> HttpResponse:
    """Send a docs-page form on to its endpoint: path parameters into the path, the other
    non-empty fields into the query string. Only paths of the schema are ever targets."""
    operation = next((op for op in operations() if op.id == operation_id), None)
    if operation is None:
        return not_found().response()
    path, query = operation.path, []
    for parameter in operation.parameters:
        values = [v for v in request.GET.getlist(parameter.name) if v != ""]
        if parameter.location == "path":
            if not values:
                message = _("Fill in %(name)s.") % {"name": parameter.name}
                return error_response(400, INVALID_PARAMETER, message, parameter.name)
            path = path.replace(f"{{{parameter.name}}}", quote(values[0], safe=""))
        else:
            query.extend((parameter.name, value) for value in values)
    return HttpResponseRedirect(f"{path}?{urlencode(query)}" if query else path)
