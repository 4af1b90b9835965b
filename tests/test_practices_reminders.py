"""Every 90 days Dana is asked, by email and on her dashboard, to confirm her facts again."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from careatlas.core.audit import AuditEvent
from careatlas.practices import reminders
from tests.practice_personas import join, own, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(clinic, clock):
    practice = own(person("dana"), clinic.practitioner)
    join(person("sam"), practice)  # staff: never emailed about confirmations
    mail.outbox.clear()
    return practice


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_confirmation_reminders", *args, stdout=out)
    return out.getvalue()


def _reminders() -> list:
    return [m for m in mail.outbox if "confirm the facts" in m.subject]


def test_no_reminder_within_90_days_of_the_claim(dana, clock):
    clock.advance(90)
    assert "0 practice(s)" in _run()
    assert _reminders() == []


def test_owners_are_reminded_once_then_again_after_the_gap(dana, clock):
    clock.advance(91)
    assert "1 practice(s)" in _run()
    [message] = _reminders()
    assert message.to == ["dana@example.org"]  # the owner, not Sam on the staff
    assert f"/practice/{dana.pk}/" in message.body
    assert "more than 90 days" in message.body
    event = AuditEvent.objects.get(action="practice.reminder_sent")
    assert event.practice_key == dana.key and event.new_value == "1 owner(s)"

    assert "0 practice(s)" in _run()  # the same day: nothing more
    clock.advance(13)
    assert "0 practice(s)" in _run()
    clock.advance(1)  # PRACTICE_REMINDER_EVERY_DAYS (14) since the first
    assert "1 practice(s)" in _run()
    assert len(_reminders()) == 2
    assert AuditEvent.objects.filter(action="practice.reminder_sent").count() == 2


def test_the_gap_is_a_setting(dana, clock, settings):
    settings.PRACTICE_REMINDER_EVERY_DAYS = 3
    clock.advance(91)
    _run()
    clock.advance(3)
    _run()
    assert len(_reminders()) == 2


def test_confirming_everything_stops_the_reminders_for_90_days(dana, clock):
    clock.advance(91)
    owner = signed_in(dana.owners().get().user)
    assert "more than 90 days" in owner.get(f"/practice/{dana.pk}/").content.decode()
    assert owner.post(f"/practice/{dana.pk}/confirm-all/").status_code == 302
    assert "more than 90 days" not in owner.get(f"/practice/{dana.pk}/").content.decode()
    clock.advance(30)
    assert "0 practice(s)" in _run()
    clock.advance(61)  # 91 days after the confirmation
    assert "1 practice(s)" in _run()


def test_the_task_sends_the_same_reminders(dana, clock, settings):
    clock.advance(100)
    result = reminders.send_confirmation_reminders.enqueue()  # the immediate backend in tests
    assert result.return_value == 1
    assert len(_reminders()) == 1
    assert reminders.send_confirmation_reminders.enqueue().return_value == 0
    clock.advance(14)
    assert "Queued as task" in _run("--enqueue")
    assert len(_reminders()) == 2


def test_an_unclaimed_practice_is_never_reminded(clinic, clock):
    clock.advance(400)
    assert "0 practice(s)" in _run()
    assert _reminders() == []
