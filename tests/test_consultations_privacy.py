"""Patient details stay secret: the canary test, key rotation and retention."""

import logging
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from careatlas.consultations.models import ConsultationRequest
from careatlas.consultations.retention import purge_expired_requests
from careatlas.core.audit import AuditEvent
from tests.consultation_personas import send, status_link
from tests.practice_personas import signed_in

pytestmark = pytest.mark.django_db

MARKERS = {
    "name": "Canaryname Qzxv",
    "email": "canary-mail-qzxv@example.net",
    "insurance": "CanaryPlan Qzxv",
    "message": "canary-message-qzxv: a sore back",
    "notes": "canary-note-qzxv",
    "reason": "canary-reason-qzxv",
}


def _text_in_every_table() -> str:
    """Every value of every column of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                chunks.extend(
                    bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row
                )
    return "\n".join(chunks)


def _everything_cached() -> str:
    # The test profile's cache is in memory: read its keys and pickled values directly.
    store = getattr(cache, "_cache", {})
    return "\n".join(f"{k} {bytes(v).decode('latin-1')}" for k, v in store.items())


def test_canary_markers_appear_in_no_log_cache_or_column(office, caplog, settings, mailoutbox):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    caplog.set_level(logging.DEBUG)
    owner = signed_in(office.practice.owners().get().user)
    response = send(
        Client(),
        office,
        name=MARKERS["name"],
        email=MARKERS["email"],
        insurance=MARKERS["insurance"],
        message=MARKERS["message"],
    )
    assert MARKERS["name"] not in response.content.decode()
    link = status_link(response)
    found = ConsultationRequest.objects.get()
    base = f"/practice/{office.practice.pk}/requests/{found.pk}/"
    owner.get(f"/practice/{office.practice.pk}/requests/")
    detail = owner.get(base).content.decode()
    assert MARKERS["name"] in detail and MARKERS["message"] in detail  # the practice reads them
    assert MARKERS["insurance"] in owner.get(f"{base}export/").content.decode()
    owner.post(f"{base}notes/", {"notes": MARKERS["notes"]})
    with TestCase.captureOnCommitCallbacks(execute=True):
        owner.post(f"{base}status/", {"status": "declined", "reason": MARKERS["reason"]})
    assert MARKERS["reason"] in Client().get(link).content.decode()
    # Queued emails wait in the database: they must hold no address or detail either.
    stored, cached = _text_in_every_table(), _everything_cached()
    # Run what was queued, as the worker would (its own loop closes the test's connection).
    for queued in DBTaskResult.objects.order_by("enqueued_at"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert [m.to for m in mailoutbox if m.to == [MARKERS["email"]]] == [[MARKERS["email"]]] * 2

    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    stored += _text_in_every_table()
    for field, marker in MARKERS.items():
        assert marker not in logged, field
        assert marker not in cached, field
        assert marker not in stored, field
    assert "qzxv" not in stored.lower()
    assert found.reference in stored  # the scan does read the request's own row


def test_rotating_keys_reencrypts_every_request(office, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old
    send(Client(), office)
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"
    call_command("rotate_request_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEY = new  # the old key is gone: everything still reads
    found = ConsultationRequest.objects.get()
    assert (found.name, found.email, found.insurance) == (
        "Pat Morgan",
        "pat@example.net",
        "Aetna Choice POS II",
    )


def test_rotation_leaves_values_it_cannot_read_untouched(office, settings):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    send(Client(), office)
    before = _text_in_every_table()
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the wrong key
    with pytest.raises(CommandError, match="open with none of the configured keys"):
        call_command("rotate_request_keys", stdout=StringIO())
    assert ConsultationRequest.objects.get().name.startswith("[unreadable")
    assert _text_in_every_table().count("gAAAA") == before.count("gAAAA")


@pytest.fixture
def frozen(monkeypatch):
    """A clock that stands still until the test moves it."""
    clock = {"now": datetime(2026, 1, 5, 9, 0, tzinfo=UTC)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def test_requests_are_deleted_180_days_after_they_close(office, frozen, settings):
    settings.CONSULTATION_RETENTION_DAYS = 180
    send(Client(), office, email="a@example.net")
    send(Client(), office, email="b@example.net")
    send(Client(), office, email="c@example.net")
    closed, declined, still_open = ConsultationRequest.objects.order_by("id")
    owner = signed_in(office.practice.owners().get().user)
    base = f"/practice/{office.practice.pk}/requests/"
    owner.post(f"{base}{closed.pk}/status/", {"status": "closed"})
    frozen["now"] += timedelta(days=10)
    owner.post(f"{base}{declined.pk}/status/", {"status": "declined", "reason": "Full."})

    frozen["now"] += timedelta(days=179)  # 189 days after the close, 179 after the decline
    call_command("purge_requests", stdout=StringIO())
    assert set(ConsultationRequest.objects.values_list("pk", flat=True)) == {
        declined.pk,
        still_open.pk,
    }
    frozen["now"] += timedelta(days=2)
    assert purge_expired_requests.call() == 1  # the scheduled task does the same
    assert list(ConsultationRequest.objects.values_list("pk", flat=True)) == [still_open.pk]
    # The trail outlives the requests: it names them by reference only.
    assert AuditEvent.objects.filter(subject_id=str(closed.pk)).exists()
