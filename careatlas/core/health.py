"""What the site says about its own state: warnings for /healthz and the admin, and the
checks /readyz runs before a load balancer or deploy script sends it traffic."""

from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django_redis import get_redis_connection

# Each check returns a sentence an operator can act on, or None when all is well. Apps add
# theirs in AppConfig.ready(); core itself knows none of them.
Check = Callable[[], str | None]
_checks: list[Check] = []
# The subset that makes the server unready, not merely degraded.
_blockers: list[Check] = []


def register(check: Check, *, blocks_readiness: bool = False) -> Check:
    if check not in _checks:
        _checks.append(check)
    if blocks_readiness and check not in _blockers:
        _blockers.append(check)
    return check


def warnings() -> list[str]:
    found = []
    for check in _checks:
        message = check()
        if message:
            found.append(message)
    return found


def database_state(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unavailable
        return f"error: {exc.__class__.__name__}"
    return "ok"


def redis_state() -> str | None:
    """ "ok", an error, or None when the cache is not Redis. The cache itself swallows Redis
    errors (IGNORE_EXCEPTIONS keeps pages up), so this asks the server directly."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return None
    try:
        get_redis_connection("default").ping()
    except Exception as exc:  # noqa: BLE001 - any failure means unavailable
        return f"error: {exc.__class__.__name__}"
    return "ok"


def readiness() -> dict[str, object]:
    """The state of everything a request needs; "ready" only if all of it is there."""
    state: dict[str, object] = {"database": database_state()}
    redis = redis_state()
    if redis is not None:
        state["redis"] = redis
    reachable = all(value == "ok" for value in state.values())
    # A blocker may query the database; when it is down the answer is already "no".
    blocking = [m for m in (check() for check in _blockers) if m] if reachable else []
    state["blocking"] = blocking
    state["ready"] = reachable and not blocking
    return state
