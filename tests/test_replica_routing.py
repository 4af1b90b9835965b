"""Reads go to the replica, writes and a writer's next reads to the primary; a replica that
is down or behind is not used."""

import time
from contextlib import ExitStack, contextmanager

import pytest
from django.db import OperationalError, connections
from django.test import Client, RequestFactory

from careatlas.core import routing
from careatlas.procedures import services
from tests.factories import GuideFactory
from tests.provider_factories import RoleFactory

ROUTER = ["careatlas.core.routing.PrimaryReplicaRouter"]
both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(routing, "_state", routing.ReplicaState())


# The decisions, without a database


def test_a_visitor_reads_the_replica_until_they_write():
    factory = RequestFactory()
    assert routing.may_use_replica(factory.get("/providers/"))
    assert routing.may_use_replica(factory.head("/procedures/omt/"))
    assert not routing.may_use_replica(factory.post("/providers/1234567893/report/"))
    assert not routing.may_use_replica(factory.get("/admin/providers/"))
    wrote = factory.get("/providers/")
    wrote.COOKIES[routing.WROTE_COOKIE] = f"{time.time() + 10:.0f}"
    assert not routing.may_use_replica(wrote)
    assert routing.may_use_replica(wrote, now=time.time() + 11)  # the window has passed
    forged = factory.get("/providers/")
    forged.COOKIES[routing.WROTE_COOKIE] = "not a time"
    assert routing.may_use_replica(forged)


def test_the_replica_is_used_only_while_it_answers_and_keeps_up():
    usable = routing.ReplicaState(usable=True, lag_seconds=0.2)
    gone = routing.ReplicaState(usable=False, error="OperationalError")
    assert routing.read_alias(True, usable) == "replica"
    assert routing.read_alias(False, usable) == "default"
    assert routing.read_alias(True, gone) == "default"


def test_lag_past_the_limit_or_an_error_makes_the_replica_unusable(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_CHECK_SECONDS = 60
    lags = iter([30.0, 1.0])
    monkeypatch.setattr(routing, "measure_lag", lambda: next(lags))
    state = routing.replica_state()
    assert (state.usable, state.lag_seconds) == (False, 30.0)
    assert routing.replica_state().lag_seconds == 30.0  # not asked again within a minute
    assert routing.replica_state(force=True).usable is True

    def refuse():
        raise OperationalError("the replica is down")

    monkeypatch.setattr(routing, "measure_lag", refuse)
    state = routing.replica_state(force=True)
    assert (state.usable, state.error) == (False, "OperationalError")


def test_writes_and_migrations_stay_on_the_primary():
    router = routing.PrimaryReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "providers") is True
    assert router.allow_migrate("replica", "providers") is False
    # Outside a request (commands, the task worker) every read is the primary's.
    assert router.db_for_read(None) == "default"


# Through the HTTP stack, with the replica a second connection to the same database


@contextmanager
def statements_by_alias():
    counts = {"default": 0, "replica": 0}

    def counter(alias):
        def count(execute, sql, params, many, context):
            # Setting a statement's time budget (core.deadlines) reads nothing.
            if "statement_timeout" not in sql:
                counts[alias] += 1
            return execute(sql, params, many, context)

        return count

    with ExitStack() as stack:
        for alias in counts:
            stack.enter_context(connections[alias].execute_wrapper(counter(alias)))
        yield counts


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ROUTER
    settings.REPLICA_CHECK_SECONDS = 60
    yield
    connections["replica"].close()


def _disconnect(replica) -> None:
    replica.close()
    if replica.connection is not None:  # Django keeps an in-memory SQLite connection open
        replica.connection.close()
        replica.connection = None


@pytest.fixture
def replica_down(routed):
    replica = connections["replica"]
    _disconnect(replica)
    saved = dict(replica.settings_dict)
    if replica.vendor == "postgresql":
        replica.settings_dict.update(HOST="127.0.0.1", PORT=1)
    else:
        replica.settings_dict["NAME"] = "/nonexistent/replica.sqlite3"
    yield
    _disconnect(replica)
    replica.settings_dict.clear()
    replica.settings_dict.update(saved)


@both
def test_pages_read_the_replica_and_a_writer_reads_the_primary(routed):
    role = RoleFactory()
    profile = role.practitioner.get_absolute_url()
    report = f"/providers/{role.practitioner.npi}/report/"
    visitor = Client()
    with statements_by_alias() as counts:
        assert visitor.get(profile).status_code == 200
    assert counts["replica"] > 0
    assert counts["default"] == 0
    with statements_by_alias() as counts:
        sent = visitor.post(report, {"fact": "other", "details": "The office has moved."})
    assert sent.status_code == 302
    assert counts["default"] > 0 and counts["replica"] == 0
    assert sent.cookies[routing.WROTE_COOKIE]["max-age"] == 15
    with statements_by_alias() as counts:
        assert visitor.get(profile).status_code == 200
    assert counts["replica"] == 0  # their own write is there to be seen
    with statements_by_alias() as counts:
        assert Client().get(profile).status_code == 200
    assert counts["replica"] > 0  # everyone else still reads the replica


@both
def test_a_replica_that_is_down_leaves_pages_up(replica_down, empty_catalogue):
    guide = GuideFactory(title="Knee Bending")
    services.publish(guide)
    with statements_by_alias() as counts:
        assert Client().get(guide.get_absolute_url()).status_code == 200
    assert counts["replica"] == 0 and counts["default"] > 0
    assert routing.replica_state().usable is False
    assert Client().get("/readyz").status_code == 200  # the primary serves everything


@both
def test_a_replica_lost_mid_request_is_answered_again_from_the_primary(
    replica_down, empty_catalogue, monkeypatch
):
    guide = GuideFactory(title="Knee Bending")
    services.publish(guide)
    # The last check said the replica was fine; it has gone since.
    monkeypatch.setattr(
        routing, "_state", routing.ReplicaState(usable=True, lag_seconds=0, checked_at=1e18)
    )
    response = Client(raise_request_exception=False).get(guide.get_absolute_url())
    assert response.status_code == 200
    assert routing.replica_state().usable is False


@both
def test_the_lag_of_a_database_that_is_not_a_standby_is_zero(routed, settings):
    assert routing.measure_lag() == 0.0
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    text = Client().get("/metrics").content.decode()
    assert 'careatlas_replica{figure="usable"} 1.0' in text
    assert 'careatlas_replica{figure="lag_seconds"} 0.0' in text


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="PostgreSQL only")
def test_replica_reads_have_the_request_time_budget(settings, django_db_setup, django_db_blocker):
    # A fresh connection under the replica's alias, as an app server opens one.
    replica = connections.create_connection("replica")
    try:
        with django_db_blocker.unblock(), replica.cursor() as cursor:
            cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
            in_ms = cursor.fetchone()[0]
    finally:
        replica.close()
    assert int(in_ms) == settings.REQUEST_STATEMENT_TIMEOUT_MS > 0
