"""The operator's view: secure settings, security headers, health check, SQLite tuning."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import REPO

pytestmark = pytest.mark.django_db


def _django(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "CAREATLAS_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _django({"CAREATLAS_ENV": "production"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_is_the_default_profile():
    result = _django({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


STRONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2


@pytest.mark.parametrize(
    "weak_key",
    ["short", "x" * 60, "abcd" * 20, "django-insecure-" + "abcdefghijklmnopqrstuvwxyz0123456789"],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = _django(
        {"CAREATLAS_ENV": "production", "SECRET_KEY": weak_key, "ALLOWED_HOSTS": "a.example"},
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert weak_key not in result.stderr  # the refusal never echoes the secret


def test_production_refuses_debug():
    result = _django(
        {"CAREATLAS_ENV": "production", "SECRET_KEY": STRONG_KEY, "DEBUG": "1"}, "check"
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("f" * 32 + "9a8b7c6d5e4f3g2h1i0jklmnopqrstuvwxyz")
    result = _django(
        {
            "CAREATLAS_ENV": "production",
            "SECRET_KEY_FILE": str(secret),
            "ALLOWED_HOSTS": "careatlas.example",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_with_production_settings():
    env = {
        "CAREATLAS_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "careatlas.example",
    }
    result = _django(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_security_headers_on_public_pages(patient):
    response = patient.get("/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "geolocation=(self)" in response["Permissions-Policy"]


def test_healthz_reports_database_status(patient):
    response = patient.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["vendor"] == connection.vendor


def test_sqlite_runs_in_wal_mode_with_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only tuning")
    # The test database is in memory (no WAL); check the settings a real file gets.
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.parametrize("named_by", ["SQLITE_PATH", "DATABASE_URL"])
def test_sqlite_file_database_really_uses_wal(tmp_path, named_by):
    """However the SQLite file is named, it gets WAL, IMMEDIATE writes and a busy timeout."""
    db = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode']);"
        "print(connection.settings_dict['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(CAREATLAS_ENV="development", DJANGO_SETTINGS_MODULE="careatlas.settings")
    if named_by == "SQLITE_PATH":
        env["SQLITE_PATH"] = str(db)
    else:
        env["DATABASE_URL"] = f"sqlite:///{db}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    mode, timeout_ms, transaction_mode, name = result.stdout.split()
    assert mode == "wal"
    assert int(timeout_ms) >= 5000
    assert transaction_mode == "IMMEDIATE"
    assert name == str(db)


def test_with_redis_sessions_are_read_from_it_and_kept_in_the_database():
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    env = {"CAREATLAS_ENV": "development"}
    alone = _django(env, "shell", "--no-imports", "-c", show)
    shared = _django(
        env | {"REDIS_URL": "redis://127.0.0.1:6379/15"}, "shell", "--no-imports", "-c", show
    )
    assert alone.stdout.strip() == "django.contrib.sessions.backends.db", alone.stderr
    assert shared.stdout.strip() == "django.contrib.sessions.backends.cached_db", shared.stderr
