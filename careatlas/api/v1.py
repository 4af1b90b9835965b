"""The version 1 API object: its routers, its error handlers and its index."""

from django.conf import settings
from ninja import NinjaAPI, Schema

from careatlas.api import content, organizations, providers
from careatlas.api.errors import documented, install_handlers, openapi_extra
from careatlas.api.links import NAMESPACE, api_url

DESCRIPTION = """Read-only, public data of CareAtlas: procedure guides (every figure with its
source), conditions, specialties, content search, and the provider directory (search with
the search page's parameters, profiles with how and when each fact was verified, their
public-registry facts and Medicare claims), and hospitals and group practices with their
clinicians. Every registry fact names its source.

No sign-in. Errors are JSON: `{"error": {"code", "message", "field", "details"}}` with
code `invalid_parameter` (400), `not_found` (404), `method_not_allowed` (405),
`rate_limited` (429, with `Retry-After`) or `server_error` (500). Answers carry an `ETag`
(send `If-None-Match` to get a 304) and `Cache-Control: public`. Any origin may read them
(CORS)."""

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description=DESCRIPTION,
    urls_namespace=NAMESPACE,
    # Our own server-rendered docs page replaces ninja's Swagger UI, which loads from a CDN.
    docs_url=None,
)
install_handlers(api)
api.add_router("", content.router)
api.add_router("", providers.router)
api.add_router("", organizations.router)


class Index(Schema):
    name: str
    version: str
    docs: str
    openapi: str
    endpoints: dict[str, str]


@api.get(
    "/",
    response=documented(Index),
    url_name="index",
    operation_id="index",
    summary="Where everything is",
    tags=["Index"],
    openapi_extra=openapi_extra(),
)
def index(request):
    return {
        "name": api.title,
        "version": api.version,
        "docs": api_url("docs"),
        "openapi": api_url("openapi-json"),
        "endpoints": {
            name: api_url(name)
            for name in (
                "specialty_list",
                "procedure_list",
                "condition_list",
                "content_search",
                "content_autocomplete",
                "provider_search",
                "provider_filters",
                "provider_autocomplete",
            )
        },
    }
