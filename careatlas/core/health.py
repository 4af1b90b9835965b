"""Warnings domain apps raise about the site's state, for /healthz and the admin."""

from collections.abc import Callable

# Each check returns a sentence an operator can act on, or None when all is well. Apps add
# theirs in AppConfig.ready(); core itself knows none of them.
Check = Callable[[], str | None]
_checks: list[Check] = []


def register(check: Check) -> Check:
    if check not in _checks:
        _checks.append(check)
    return check


def warnings() -> list[str]:
    found = []
    for check in _checks:
        message = check()
        if message:
            found.append(message)
    return found
