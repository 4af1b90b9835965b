"""Each request's database work has a time limit; running out gives a 503, not a stuck worker."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from careatlas.core.deadlines import StatementTimeoutMiddleware

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit, as in a real request
# Counting to 200 million takes SQLite about half a minute and PostgreSQL about ten seconds.
SLOW_SQL = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000000)"
    " SELECT count(*) FROM n"
)


@pytest.fixture(autouse=True)
def _no_budget_for_the_teardown():
    """PostgreSQL web connections keep their request budget between requests (setting it
    again per request would cost a round trip); the test's own flush needs none."""
    yield
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        connection.connection.careatlas_timeout_ms = 0


def _slow_view(request):
    with connection.cursor() as cursor:
        cursor.execute(SLOW_SQL)
        return HttpResponse(str(cursor.fetchone()[0]))


def _fast_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 41 + 1")
        return HttpResponse(str(cursor.fetchone()[0]))


def _serve(view, path: str = "/procedures/"):
    middleware = StatementTimeoutMiddleware(view)
    request = RequestFactory().get(path)
    try:
        return middleware(request)
    except Exception as exc:  # what Django's handler does with a view's exception
        response = middleware.process_exception(request, exc)
        if response is None:
            raise
        return response


def test_a_runaway_statement_is_stopped_with_a_503(settings):
    settings.REQUEST_STATEMENT_TIMEOUT_MS = 300
    response = _serve(_slow_view)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "took too long" in response.content.decode()
    # The connection is still good for the next request.
    assert _serve(_fast_view).content == b"42"


def test_the_limit_holds_on_a_connection_the_request_opens(settings):
    settings.REQUEST_STATEMENT_TIMEOUT_MS = 300
    connection.close()
    assert _serve(_slow_view).status_code == 503


def test_the_back_office_has_its_own_budget(settings):
    settings.REQUEST_STATEMENT_TIMEOUT_MS = 60000
    settings.ADMIN_STATEMENT_TIMEOUT_MS = 300
    assert _serve(_slow_view, "/admin/procedures/guide/").status_code == 503


def test_the_budget_is_per_request(settings):
    settings.REQUEST_STATEMENT_TIMEOUT_MS = 300
    _serve(_fast_view)
    if connection.vendor == "sqlite":
        assert connection.careatlas_deadline is None
    else:
        # PostgreSQL keeps the request budget on its persistent web connection; management
        # commands open their own connections, which never get one.
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "300ms"
