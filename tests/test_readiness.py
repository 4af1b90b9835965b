"""/livez says the process answers; /readyz says whether to send it traffic."""

import pytest
import redis
from django.db import OperationalError, connections

from careatlas.imports.bulk_load import CHECKPOINT_KEY
from careatlas.imports.models import ImportRun
from tests.conftest import require
from tests.workers import redis_url

pytestmark = pytest.mark.django_db

REDIS_URL = redis_url()


def _redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)


def test_a_healthy_server_is_live_and_ready(patient):
    assert patient.get("/livez").json() == {"status": "ok"}
    ready = patient.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok", "blocking": [], "ready": True}
    assert ready["Cache-Control"].startswith("max-age=0")


def test_without_its_database_a_server_is_live_but_not_ready(patient, database_down):
    assert patient.get("/livez").status_code == 200
    ready = patient.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["database"] == "error: OperationalError"
    assert ready.json()["ready"] is False


def test_an_unfinished_bulk_load_keeps_the_server_out_of_rotation(patient):
    run = ImportRun.objects.create(
        kind="nppes",
        file_name="npidata.csv",
        file_sha256="0" * 64,
        file_size=1,
        checkpoint={CHECKPOINT_KEY: [{"kind": "index", "name": "x"}]},
    )
    ready = patient.get("/readyz")
    assert ready.status_code == 503
    assert "A bulk load is unfinished" in ready.json()["blocking"][0]
    assert patient.get("/healthz").status_code == 200  # degraded, still serving
    run.checkpoint = {}
    run.save()
    assert patient.get("/readyz").status_code == 200


def test_a_configured_redis_must_answer(patient, settings):
    settings.CACHES = _redis_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1
    ready = patient.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["redis"].startswith("error: ")
    # Pages still render without it: the cache ignores a Redis that is away.
    assert patient.get("/livez").status_code == 200


def test_a_reachable_redis_is_reported_ready(patient, settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        require(False, f"Redis at {REDIS_URL}")
    settings.CACHES = _redis_cache(REDIS_URL)
    body = patient.get("/readyz").json()
    assert body["redis"] == "ok" and body["ready"] is True
