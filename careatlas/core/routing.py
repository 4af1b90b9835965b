"""Reads to the PostgreSQL replica, writes to the primary, and a writer's reads to the primary.

Only a request opts into the replica (ReplicaReadsMiddleware): a GET or HEAD from a visitor
who has not written in the last READ_YOUR_WRITES_SECONDS, outside the admin. Everything else
(POSTs, management commands, the task worker, transactions) reads the primary, so code that
reads and then writes never decides on a stale row. The replica is used only while it
answers and lags by at most REPLICA_MAX_LAG_SECONDS, checked at most every
REPLICA_CHECK_SECONDS per process.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY, REPLICA = "default", "replica"
# Set on every successful write; its value is when the visitor may read the replica again.
WROTE_COOKIE = "careatlas_wrote"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# What the current request may read from: the primary (outside requests, for unsafe methods
# and after a write) or the replica.
_reads: contextvars.ContextVar[str] = contextvars.ContextVar("reads", default=PRIMARY)
# A visitor inside their read-your-writes window: even per-process memos (SiteVersion) are
# skipped for them, since another server may have taken the write.
_writer: contextvars.ContextVar[bool] = contextvars.ContextVar("writer", default=False)
_used_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("used_replica", default=False)

# SQL asking a standby how far behind it is: 0 when it has replayed all it received (an idle
# primary sends nothing, and an old last-replay time would look like lag).
_LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass
class ReplicaState:
    usable: bool = False
    lag_seconds: float | None = None
    checked_at: float = float("-inf")
    error: str = ""


_state = ReplicaState()
_checking = threading.Lock()


def configured() -> bool:
    return REPLICA in settings.DATABASES and bool(settings.DATABASE_ROUTERS)


def measure_lag() -> float:
    """Seconds the replica is behind the primary (0 for a database that is not a standby)."""
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        cursor.execute(_LAG_SQL if connection.vendor == "postgresql" else "SELECT 0")
        return float(cursor.fetchone()[0])


def replica_state(*, force: bool = False) -> ReplicaState:
    """The replica's last known state, checked again when it is REPLICA_CHECK_SECONDS old.

    One thread per process checks; the others use the last answer meanwhile.
    """
    now = time.monotonic()
    stale = now - _state.checked_at >= settings.REPLICA_CHECK_SECONDS
    if (force or stale) and _checking.acquire(blocking=force):
        try:
            try:
                lag = measure_lag()
            except DatabaseError as exc:
                connections[REPLICA].close()
                _state.usable, _state.lag_seconds, _state.error = False, None, type(exc).__name__
            else:
                _state.usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
                _state.lag_seconds, _state.error = lag, ""
            if not _state.usable:
                logger.warning(
                    "Replica not used: %s", _state.error or f"{_state.lag_seconds:.1f} s behind"
                )
            _state.checked_at = time.monotonic()
        finally:
            _checking.release()
    return _state


def replica_figures():
    """For /metrics: the replica's lag and whether reads use it, as last checked."""
    if configured():
        state = replica_state()
        yield {"figure": "usable"}, float(state.usable)
        if state.lag_seconds is not None:
            yield {"figure": "lag_seconds"}, state.lag_seconds


def read_alias(may_use_replica: bool, state: ReplicaState) -> str:
    """The decision itself: the replica only for a request allowed it, and only while usable."""
    return REPLICA if may_use_replica and state.usable else PRIMARY


def pinned_to_primary() -> bool:
    """Whether this request comes from a visitor who has just written."""
    return _writer.get()


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry, installed when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints) -> str:
        if _reads.get() != REPLICA or connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a read inside a transaction belongs with its writes
        alias = read_alias(True, replica_state())
        if alias == REPLICA:
            _used_replica.set(True)
        return alias

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the two hold the same rows

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == PRIMARY


def wrote_recently(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the visitor's write marker is still running (a browser also drops it then)."""
    try:
        until = float(request.COOKIES.get(WROTE_COOKIE, "0"))
    except ValueError:
        return False
    return (time.time() if now is None else now) < until


def may_use_replica(request: HttpRequest, now: float | None = None) -> bool:
    if request.method not in _SAFE_METHODS or request.path_info.startswith("/admin/"):
        return False
    return not wrote_recently(request, now)


class ReplicaReadsMiddleware:
    """Decides where the request reads, marks a writer, and retries a read the replica broke.

    Above the shared page cache: its content-version read must follow the same rule.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        reads = _reads.set(REPLICA if may_use_replica(request) else PRIMARY)
        writer = _writer.set(wrote_recently(request))
        used = _used_replica.set(False)
        try:
            response = self.get_response(request)
            # A replica that went away mid-request: it is a GET, so answer it again from the
            # primary once the replica is confirmed gone.
            if (
                response.status_code >= 500
                and _used_replica.get()
                and not replica_state(force=True).usable
            ):
                _reads.set(PRIMARY)
                response = self.get_response(request)
        finally:
            _reads.reset(reads)
            _writer.reset(writer)
            _used_replica.reset(used)
        if request.method not in _SAFE_METHODS and response.status_code < 400:
            window = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                WROTE_COOKIE,
                f"{time.time() + window:.0f}",
                max_age=window,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
