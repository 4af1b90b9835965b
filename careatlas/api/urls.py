"""URLs under /api/v1/: the endpoints (each wrapped by `http.api_endpoint`), the docs page,
and a JSON 404 for any other path, so no API client ever gets an HTML page."""

from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from careatlas.api import docs
from careatlas.api.errors import not_found
from careatlas.api.http import api_endpoint
from careatlas.api.v1 import api


def _wrapped(pattern: URLPattern) -> URLPattern:
    return URLPattern(
        pattern.pattern, api_endpoint(pattern.callback), pattern.default_args, pattern.name
    )


@csrf_exempt  # answers every method with a JSON error, so never a CSRF page for a POST
def unknown_path(request, rest: str = ""):
    return not_found().response()


_endpoints, _app_name, _namespace = api.urls
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("docs", docs.docs, name="docs"),
                    path("docs/try/<str:operation_id>", docs.try_operation, name="docs_try"),
                    *[_wrapped(pattern) for pattern in _endpoints],
                ],
                _app_name,
            ),
            namespace=_namespace,
        ),
    ),
    re_path(r"^(?P<rest>.*)$", api_endpoint(unknown_path)),
]
