"""The practice's inbox: who may read a request, status changes the patient sees, notes, the
response-time target and the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from careatlas.consultations.models import ConsultationRequest
from careatlas.core.audit import AuditEvent
from tests.consultation_personas import send, status_link
from tests.practice_personas import join, make_clinic, own, person, signed_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "patient_with_token",
    "owner",
    "staff_here",
    "staff_elsewhere",
    "other_practice",
    "editor",
    "anonymous",
]
IN = 302  # sent to the sign-in page
FLAG = 'class="overdue-flag"'  # the "Overdue" mark on a row


@pytest.fixture
def world(office):
    """Pat sent a request to Dana's uptown office. Sam works uptown, Lee downtown; Omar is
    on another practice's staff; Eddie is a CareAtlas editor."""
    sam, lee, omar = person("sam"), person("lee"), person("omar")
    join(sam, office.practice, office.clinic.uptown)
    join(lee, office.practice, office.clinic.downtown)
    west = make_clinic(" West")
    join(omar, own(person("olga"), west.organization))
    mail.outbox.clear()
    link = status_link(send(Client(), office))
    return {
        "office": office,
        "request": ConsultationRequest.objects.get(),
        "status_link": link,
        "clients": {
            "patient_with_token": Client(),
            "owner": signed_in(office.practice.owners().get().user),
            "staff_here": signed_in(sam),
            "staff_elsewhere": signed_in(lee),
            "other_practice": signed_in(omar),
            "editor": signed_in(person("eddie", is_staff=True, is_superuser=True)),
            "anonymous": Client(),
        },
    }


MATRIX = [
    ("status page by token", "get", "{token}", [200, 200, 200, 200, 200, 200, 200]),
    ("inbox", "get", "/practice/{p}/requests/", [IN, 200, 200, 200, 404, 404, IN]),
    ("request", "get", "/practice/{p}/requests/{r}/", [IN, 200, 200, 403, 404, 404, IN]),
    ("export", "get", "/practice/{p}/requests/{r}/export/", [IN, 200, 200, 403, 404, 404, IN]),
    ("notes", "post", "/practice/{p}/requests/{r}/notes/", [IN, 302, 302, 403, 404, 404, IN]),
    ("status", "post", "/practice/{p}/requests/{r}/status/", [IN, 302, 302, 403, 404, 404, IN]),
    ("request via another practice", "get", "/practice/{o}/requests/{r}/",
     [IN, 404, 404, 404, 404, 404, IN]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "method", "path", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_who_may_open_a_request(world, what, method, path, expected):
    other = ConsultationRequest.objects.exclude(practice=world["request"].practice).first()
    url = path.format(
        token=world["status_link"],
        p=world["request"].practice_id,
        r=world["request"].pk,
        o=world["office"].practice.pk + 1000 if other is None else other.practice_id,
    )
    data = {"status": "contacted", "notes": "Called back."} if method == "post" else None
    answers = {}
    for persona in PERSONAS:
        client = world["clients"][persona]
        answers[persona] = getattr(client, method)(url, data).status_code
    assert answers == dict(zip(PERSONAS, expected, strict=True))


def test_the_inbox_lists_requests_without_patient_details(world):
    owner = world["clients"]["owner"]
    inbox = f"/practice/{world['request'].practice_id}/requests/"
    html = owner.get(inbox).content.decode()
    assert world["request"].reference in html
    assert "Pat Morgan" not in html
    # Sam works uptown, where Pat wrote to; Lee works downtown and does not see it.
    assert world["request"].reference in world["clients"]["staff_here"].get(inbox).content.decode()
    downtown = world["clients"]["staff_elsewhere"].get(inbox).content.decode()
    assert world["request"].reference not in downtown and "No open requests" in downtown
    assert (
        "no-store"
        in owner.get(f"/practice/{world['request'].practice_id}/requests/")["Cache-Control"]
    )


def test_the_practice_is_told_of_a_new_request_by_a_link_only(office, mailoutbox):
    sam, lee = person("sam"), person("lee")
    join(sam, office.practice, office.clinic.uptown)
    join(lee, office.practice, office.clinic.downtown)
    send(Client(), office)
    found = ConsultationRequest.objects.get()
    to_practice = [m for m in mailoutbox if m.to != ["pat@example.net"]]
    # Dana (owner) and Sam (uptown); not Lee, who cannot open an uptown request.
    assert sorted(m.to[0] for m in to_practice) == ["dana@example.org", "sam@example.org"]
    for message in to_practice:
        assert f"/practice/{office.practice.pk}/requests/{found.pk}/" in message.body
        for detail in ("Pat", "Morgan", "pat@example.net", "1970", "Aetna", "back pain"):
            assert detail not in message.body and detail not in message.subject


def test_a_status_change_shows_on_the_status_page_and_emails_the_patient(world, mailoutbox):
    owner, found = world["clients"]["owner"], world["request"]
    mailoutbox.clear()
    url = f"/practice/{found.practice_id}/requests/{found.pk}/status/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert owner.post(url, {"status": "scheduled"}).status_code == 302
    assert "Status: Scheduled" in Client().get(world["status_link"]).content.decode()
    # A scheduled visit also brings Pat a review link (tests/test_reviews_links.py).
    updates = [m for m in mailoutbox if "/reviews/link/" not in m.body]
    assert [m.to for m in updates] == [["pat@example.net"]]
    assert "Scheduled" in updates[0].body and found.reference in updates[0].body


def test_a_decline_needs_a_reason_and_the_patient_reads_it(world):
    owner, found = world["clients"]["owner"], world["request"]
    url = f"/practice/{found.practice_id}/requests/{found.pk}/status/"
    refused = owner.post(url, {"status": "declined", "reason": ""})
    assert refused.status_code == 400
    assert "Tell the patient why" in refused.content.decode()
    owner.post(url, {"status": "declined", "reason": "We only see adults."})
    html = Client().get(world["status_link"]).content.decode()
    assert "Status: Declined" in html and "We only see adults." in html
    found.refresh_from_db()
    assert found.finished_at is not None


def test_notes_are_for_the_practice_only(world):
    owner, found = world["clients"]["owner"], world["request"]
    owner.post(f"/practice/{found.practice_id}/requests/{found.pk}/notes/", {"notes": "VIP-note"})
    assert (
        "VIP-note"
        in owner.get(f"/practice/{found.practice_id}/requests/{found.pk}/").content.decode()
    )
    assert "VIP-note" not in Client().get(world["status_link"]).content.decode()


def test_requests_past_the_response_target_are_marked_overdue(world, settings):
    settings.CONSULTATION_RESPONSE_BUSINESS_DAYS = 2
    owner, found = world["clients"]["owner"], world["request"]
    inbox = f"/practice/{found.practice_id}/requests/"
    assert FLAG not in owner.get(inbox).content.decode()
    # Sent on a Friday: two business days run to Tuesday, so Wednesday is overdue.
    friday = timezone.now() - timedelta(days=(timezone.localdate().weekday() - 4) % 7 + 7)
    ConsultationRequest.objects.filter(pk=found.pk).update(created_at=friday)
    assert FLAG in owner.get(inbox).content.decode()
    owner.post(f"{inbox}{found.pk}/status/", {"status": "contacted"})
    assert FLAG not in owner.get(inbox).content.decode()


def test_every_view_export_and_status_change_is_in_the_audit_trail(world):
    owner, found = world["clients"]["owner"], world["request"]
    base = f"/practice/{found.practice_id}/requests/{found.pk}/"
    owner.get(base)
    export = owner.get(f"{base}export/")
    assert "Pat Morgan" in export.content.decode()
    assert export["Content-Disposition"] == f'attachment; filename="request-{found.reference}.txt"'
    owner.post(f"{base}status/", {"status": "contacted"})
    Client().get(world["status_link"])
    events = AuditEvent.objects.about(found).order_by("at", "id")
    assert [e.action for e in events] == [
        "consultation.received",
        "consultation.viewed",
        "consultation.exported",
        "consultation.status_changed",
        "consultation.viewed_by_patient",
    ]
    assert events[1].actor_label == "dana@example.org"
    assert (events[3].old_value, events[3].new_value) == ("new", "contacted")
    for event in events:
        text = " ".join(str(v) for v in vars(event).values())
        assert "Pat" not in text and "pat@example.net" not in text and "Aetna" not in text


def test_the_office_sees_which_language_the_patient_wrote_in(world):
    owner, found = world["clients"]["owner"], world["request"]
    detail = f"/practice/{found.practice_id}/requests/{found.pk}/"
    assert "<dt>Wrote in</dt><dd>English</dd>" in owner.get(detail).content.decode()
    ConsultationRequest.objects.filter(pk=found.pk).update(language="es")
    assert "<dt>Wrote in</dt><dd>Spanish</dd>" in owner.get(detail).content.decode()
