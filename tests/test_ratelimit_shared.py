"""Rate limits hold across worker processes racing on one client, with or without Redis."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.conftest import REPO

# One worker process: wait for the common start, then count 10 attempts of one client.
WORKER = """
import time, django
django.setup()
from careatlas.core.ratelimit import RateLimit
time.sleep(max(0.0, {start} - time.time()))
limit = RateLimit("race-test", 5, 3600)
print(sum(limit.take("198.51.100.23").allowed for _ in range(10)))
"""


def _database_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(CAREATLAS_ENV="test", DJANGO_SETTINGS_MODULE="careatlas.settings")
    env["RATE_LIMIT_STORE"] = "database"
    env.pop("REDIS_URL", None)
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        user = db["USER"] or "postgres"
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    else:
        env["SQLITE_PATH"] = str(tmp_path / "race.sqlite3")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "core", "-v0"],
            cwd=REPO,
            env=env,
            check=True,
            timeout=120,
        )
    return env


@pytest.mark.django_db(transaction=True)  # the workers must see committed counts
def test_eight_workers_racing_let_exactly_the_limit_through(tmp_path):
    env = _database_env(tmp_path)
    start = time.time() + 3  # every worker has imported Django by then
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(start=start)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    allowed = 0
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        allowed += int(out)
    # 80 attempts from one client in one window: 5 pass, whichever worker made them.
    assert allowed == 5


@pytest.mark.django_db
def test_ended_windows_are_purged_and_running_ones_kept(settings):
    from django.core.management import call_command

    from careatlas.core.models import RateCounter
    from careatlas.core.ratelimit import RateLimit

    settings.RATE_LIMIT_STORE = "database"
    limit = RateLimit("purge-test", 5, 3600)
    assert limit.take("198.51.100.24").remaining == 4
    RateCounter.objects.create(key="ratelimit:old:x:1", count=3, expires_at="2020-01-01T00:00Z")
    call_command("purge_rate_counters", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]
    assert limit.take("198.51.100.24").remaining == 3
