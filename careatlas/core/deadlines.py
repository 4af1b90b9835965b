"""A time limit on each request's database work, on PostgreSQL and on SQLite alike.

Input bounds stop hostile requests before SQL is built; this is the backstop for whatever
slips past them (a 3.8 kB FHIR name search once kept a PostgreSQL backend busy for 40
minutes). PostgreSQL gets `statement_timeout`; SQLite, which has none, gets a progress
handler that interrupts a statement running past the request's deadline.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

log = logging.getLogger("careatlas.deadlines")
# SQLite calls the handler every this many virtual-machine instructions (about 0.1 ms).
SQLITE_CHECK_EVERY = 10_000


def request_budget_ms(request: HttpRequest) -> int:
    """How long this request's statements may run: longer for the back office."""
    if request.path.startswith("/admin/"):
        return settings.ADMIN_STATEMENT_TIMEOUT_MS
    return settings.REQUEST_STATEMENT_TIMEOUT_MS


@receiver(connection_created)
def _bound_replica_reads(sender, connection, **kwargs):
    """A replica serves only GET and HEAD requests outside the admin: it gets the request
    budget when it connects, since the middleware below sets it on "default" only."""
    if connection.vendor == "postgresql" and connection.alias != "default":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false)",
                [str(settings.REQUEST_STATEMENT_TIMEOUT_MS)],
            )


@receiver(connection_created)
def _watch_sqlite(sender, connection, **kwargs):
    if connection.vendor != "sqlite":
        return

    def past_deadline() -> int:
        # Read at each check: the middleware may have set it before this connection opened.
        deadline = getattr(connection, "careatlas_deadline", None)
        return int(deadline is not None and time.monotonic() > deadline)

    connection.connection.set_progress_handler(past_deadline, SQLITE_CHECK_EVERY)


class StatementTimeoutMiddleware:
    """Give every request's statements a time budget; answer 503 when one runs out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        budget_ms = request_budget_ms(request)
        if budget_ms <= 0:
            return self.get_response(request)
        connection = connections["default"]
        if connection.vendor == "postgresql":
            return self._postgresql(request, connection, budget_ms)
        connection.careatlas_deadline = time.monotonic() + budget_ms / 1000
        try:
            return self.get_response(request)
        finally:
            connection.careatlas_deadline = None

    def _postgresql(self, request, connection, budget_ms: int) -> HttpResponse:
        connection.ensure_connection()
        # One round trip only when the budget changes: a persistent connection keeps it.
        raw = connection.connection
        if getattr(raw, "careatlas_timeout_ms", None) != budget_ms:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, false)", [str(budget_ms)]
                )
            raw.careatlas_timeout_ms = budget_ms
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_timeout(exception):
            return None
        log.warning("statement time limit reached: %s %s", request.method, request.path)
        response = HttpResponse(
            _("This request took too long and was stopped. Try a narrower search."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "5"
        return response


def _is_timeout(exception: Exception) -> bool:
    if not isinstance(exception, DatabaseError):
        return False
    cause = exception.__cause__
    if type(cause).__name__ == "QueryCanceled":  # psycopg: statement_timeout
        return True
    return "interrupted" in str(exception)  # sqlite3: the progress handler stopped it
