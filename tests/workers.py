"""What each pytest-xdist worker keeps to itself, so that `make test`'s workers (and the SQLite
and PostgreSQL suites CI runs side by side) never share a Redis database or a scratch
PostgreSQL database. pytest-django already gives each worker its own test database."""

import os
import re
from pathlib import Path

from django.conf import settings

# Redis has 16 numbered databases; a suite's TEST_REDIS_URL names its first, and its workers
# step by this much (CI: SQLite suite 0, 2; PostgreSQL suite 1, 3).
REDIS_STEP = 2


def worker_index() -> int:
    """0 without xdist, else the number in the worker's id (gw0, gw1, ...)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def redis_url() -> str:
    """The suite's TEST_REDIS_URL, moved to this worker's own database number."""
    base, _, number = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rpartition("/")
    return f"{base}/{(int(number or 0) + REDIS_STEP * worker_index()) % 16}"


def scratch_database(name: str) -> str:
    """A database name of the test's own, next to this worker's test database: two suites or
    two workers running the same test never drop each other's database. Ask for it once the
    test database exists (after `django_db_setup`), when NAME holds the test database's name."""
    test_database = re.sub(r"\W+", "_", Path(str(settings.DATABASES["default"]["NAME"])).stem)
    return f"{test_database}_{name}"
