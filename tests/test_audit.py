"""The audit trail keeps every event as written: no update or delete gets through."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from careatlas.core.audit import AuditEvent, record

pytestmark = pytest.mark.django_db


def test_an_event_records_who_what_and_the_change():
    editor = get_user_model().objects.create_user("ed", email="ed@example.org")
    event = record(
        "fact.edit", actor=editor, subject=editor, field="email", old="a@x.org", new="b@x.org"
    )
    stored = AuditEvent.objects.about(editor).get()
    assert stored == event
    assert (stored.actor_id, stored.actor_label) == (editor.pk, "ed@example.org")
    assert (stored.field, stored.old_value, stored.new_value) == ("email", "a@x.org", "b@x.org")


def test_an_anonymous_event_has_no_actor():
    event = record("signin.failed", new="")
    assert event.actor is None and event.actor_label == ""


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = record("claim.approved")
    event.action = "claim.rejected"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update_behind_the_orms_back():
    event = record("claim.approved")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'forged' WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).action == "claim.approved"


def test_deleting_the_actor_keeps_the_trail():
    user = get_user_model().objects.create_user("gone", email="gone@example.org")
    record("staff.removed", actor=user)
    user.delete()
    event = AuditEvent.objects.get(action="staff.removed")
    assert event.actor_id is not None and event.actor_label == "gone@example.org"
