"""Per request: an id shared with the proxy's logs, one JSON log line, and its figures."""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from careatlas.core import metrics
from careatlas.core.logs import bind_request_id, request_id_from, unbind_request_id

logger = logging.getLogger("careatlas.request")

# A label per method a client invents would grow the metrics without bound.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class _StatementClock:
    """Adds up the time and number of statements each database alias runs."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.statements: dict[str, int] = defaultdict(int)

    def timer(self, alias: str) -> Callable:
        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.seconds[alias] += time.perf_counter() - started
                self.statements[alias] += 1

        return timed


def route_name(request: HttpRequest) -> str:
    """The URL pattern's name ("providers:profile"), never the path: paths carry ids and
    tokens, and one label per path would grow without bound."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    replayed = getattr(request, "careatlas_route", "")  # set by the shared page cache
    if replayed:
        return replayed
    if request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class RequestTelemetryMiddleware:
    """First in MIDDLEWARE, so replayed pages and refusals are counted and timed too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        token = bind_request_id(request.request_id)
        clock = _StatementClock()
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(clock.timer(connection.alias)))
                response = self.get_response(request)
            self._record(request, response, clock, time.perf_counter() - started)
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            unbind_request_id(token)

    def _record(self, request, response, clock: _StatementClock, seconds: float) -> None:
        route = route_name(request)
        method = request.method if request.method in _METHODS else "OTHER"
        metrics.REQUESTS.labels(route, method, str(response.status_code)).inc()
        metrics.LATENCY.labels(route).observe(seconds)
        for alias, spent in clock.seconds.items():
            metrics.DB_SECONDS.labels(route, alias).inc(spent)
            metrics.DB_STATEMENTS.labels(route, alias).inc(clock.statements[alias])
        # The route, not the path or query: a search's words or a status link's token are
        # the visitor's business (and the proxy's log has the path if it is needed).
        logger.info(
            "%s %s %s",
            method,
            route,
            response.status_code,
            extra={
                "route": route,
                "method": method,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 2),
                "db_ms": round(sum(clock.seconds.values()) * 1000, 2),
                "db_queries": sum(clock.statements.values()),
                "cache": getattr(request, "careatlas_page_cache", None),
            },
        )
