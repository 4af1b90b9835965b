"""Review links: who gets one, when, and what a link lets its holder do (and nothing more)."""

import io
import logging
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.reviews import mail as mail_tasks
from careatlas.reviews.models import Review, ReviewLink, Status
from tests.consultation_personas import send
from tests.practice_personas import join, person, signed_in
from tests.review_personas import (
    SCORES,
    link_in_mail,
    move_to,
    the_review,
    visit_for,
    write,
)

pytestmark = pytest.mark.django_db


def test_a_scheduled_visit_emails_pat_a_single_link(visit):
    [message] = [m for m in mail.outbox if "/reviews/link/" in m.body]
    assert message.to == ["pat@example.net"]
    assert "Riverside" in message.subject or visit.practice.name in message.subject
    assert "never pay or reward" in message.body
    link = visit.link
    token = visit.link_path.split("/")[-2]
    # Only the token's digest is stored, and the address is encrypted at rest.
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert link.email == "pat@example.net"
    assert (link.expires_at - link.created_at) == timedelta(days=90)


def test_the_stored_address_is_encrypted(visit):
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM reviews_reviewlink")
        [(stored,)] = cursor.fetchall()
    assert stored and "pat@example.net" not in stored


def test_closing_after_scheduling_sends_no_second_link(visit):
    mail.outbox.clear()
    move_to(visit.request, "closed")
    assert ReviewLink.objects.count() == 1
    assert not [m for m in mail.outbox if "/reviews/link/" in m.body]


def test_a_closed_request_gets_a_link_too(office, mailoutbox):
    closed = visit_for(office, status="closed")
    assert closed.link.request == closed.request


@pytest.mark.parametrize("status", ["contacted", "declined"])
def test_no_link_without_a_visit(office, mailoutbox, status):
    send(Client(), office)
    move_to(office.practice.consultation_requests.get(), status)
    assert not ReviewLink.objects.exists()


def test_a_request_without_an_email_gets_no_link(office, mailoutbox):
    send(Client(), office, contact_method="phone", email="", phone="212-555-0199")
    move_to(office.practice.consultation_requests.get(), "scheduled")
    assert not ReviewLink.objects.exists()
    assert not [m for m in mailoutbox if "/reviews/link/" in m.body]


def test_no_link_to_an_address_of_the_practices_own_staff(office, mailoutbox):
    sam = person("sam")
    join(sam, office.practice)
    send(Client(), office, email="SAM@example.org")
    found = office.practice.consultation_requests.get()
    move_to(found, "scheduled")
    assert not ReviewLink.objects.exists()
    assert AuditEvent.objects.about(found).filter(action="review.link_withheld_member").exists()


def test_no_link_to_any_address_a_member_added_to_their_account(office, mailoutbox):
    sam = person("sam")
    join(sam, office.practice)
    EmailAddress.objects.create(user=sam, email="sam.private@example.net", verified=False)
    send(Client(), office, email="sam.private@example.net")
    move_to(office.practice.consultation_requests.get(), "closed")
    assert not ReviewLink.objects.exists()


def test_the_link_opens_the_form_with_accessible_score_groups(visit):
    page = Client().get(visit.link_path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert html.count("<fieldset") == 4 and "<legend>Bedside manner</legend>" in html
    assert "Verified visit" in html and 'href="/about/reviews/"' in html


def test_writing_once_then_the_link_shows_the_review_and_its_status(visit):
    client = Client()
    answer = write(client, visit)
    assert answer.status_code == 302 and answer["Location"] == visit.link_path
    review = the_review(visit)
    assert review.status == Status.HELD and review.shown_name == "Verified patient"
    assert (review.overall, review.wait_time) == (4, 3)
    page = client.get(visit.link_path).content.decode()
    assert "Status: Passed our checks" in page and "Dr Reyes listened" in page
    # Single use: posting again writes nothing new and changes nothing.
    write(client, visit, overall="1", text="Changed my mind")
    assert Review.objects.count() == 1 and the_review(visit).overall == 4


def test_bad_answers_get_clear_field_errors_not_a_500(visit):
    answer = write(Client(), visit, overall="9", wait_time="", text="x" * 2001)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Choose an overall score from 1 to 5." in html
    assert "Choose a score from 1 to 5 for the wait time." in html
    assert "Keep it to 2000 characters or fewer (you typed 2001)." in html
    assert not Review.objects.exists()


def test_an_unknown_or_expired_link_gets_one_page_that_hints_at_nothing(visit):
    unknown = Client().get("/reviews/link/not-a-real-token-at-all/")
    ReviewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(visit.link_path)
    assert unknown.status_code == expired.status_code == 404
    assert "This review link is not valid" in expired.content.decode()
    strip = str.replace
    assert strip(unknown.content.decode(), "not-a-real-token-at-all", "") == strip(
        expired.content.decode(), visit.link_path.split("/")[-2], ""
    )
    assert write(Client(), visit).status_code == 404 and not Review.objects.exists()


def test_the_author_edits_by_the_same_link(visit):
    client = Client()
    write(client, visit)
    edit = visit.link_path + "edit/"
    assert re.search(r'name="overall" value="4"[^>]*checked', client.get(edit).content.decode())
    client.post(edit, {**SCORES, "overall": "2", "text": "Second thoughts.", "display_name": "Pat"})
    review = the_review(visit)
    assert (review.overall, review.text, review.shown_name) == (2, "Second thoughts.", "Pat")


def test_deleting_asks_first_then_erases_the_review_and_the_address(visit):
    client = Client()
    write(client, visit)
    confirm = client.get(visit.link_path + "delete/")
    assert "Yes, delete my review" in confirm.content.decode() and Review.objects.exists()
    done = client.post(visit.link_path + "delete/")
    assert "Your review is deleted" in done.content.decode()
    assert not Review.objects.exists() and visit.link.email == ""
    # The link wrote its one review: it cannot write another.
    assert "cannot be used again" in client.get(visit.link_path).content.decode()
    write(client, visit)
    assert not Review.objects.exists()


def test_edit_and_delete_need_a_written_review(visit):
    for suffix in ("edit/", "delete/"):
        answer = Client().get(visit.link_path + suffix)
        assert answer.status_code == 302 and answer["Location"] == visit.link_path


def test_a_signed_in_member_of_the_practice_is_refused(visit):
    sam = person("sam")
    join(sam, visit.practice)
    client = signed_in(sam)
    page = client.get(visit.link_path)
    assert page.status_code == 403 and "cannot review a practice you work for" in (
        page.content.decode()
    )
    assert write(client, visit).status_code == 403 and not Review.objects.exists()
    # Someone signed in elsewhere (another practice's owner, a patient with an account) may.
    assert write(signed_in(person("omar")), visit).status_code == 302


def test_posting_needs_the_csrf_token(visit):
    client = Client(enforce_csrf_checks=True)
    assert write(client, visit).status_code == 403 and not Review.objects.exists()


def test_posts_are_rate_limited_per_address(visit, settings):
    settings.REVIEW_POSTS_PER_IP_HOUR = 2
    client = Client()
    write(client, visit, overall="")
    write(client, visit, overall="")
    locked = write(client, visit)
    assert locked.status_code == 429 and "Retry-After" in locked
    assert "Too many attempts for now" in locked.content.decode()
    assert not Review.objects.exists()


def test_tokens_never_reach_the_logs(visit):
    token = visit.link_path.split("/")[-2]
    ReviewLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # What the site's own log handler writes (settings.LOGGING), whichever logger spoke.
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        Client().get(visit.link_path)
        Client().get(visit.link_path + "edit/")
        Client().get("/consultations/status/" + token + "/")
    finally:
        console.setStream(previous)
    assert "Not Found" in written.getvalue(), "Django logs 404s: there must be something to redact"
    assert token not in written.getvalue()
    assert "/reviews/link/[token]/" in written.getvalue()
    assert "/consultations/status/[token]/" in written.getvalue()


def test_the_queue_holds_neither_the_address_nor_the_token(office, mailoutbox, monkeypatch):
    queued = []
    task = mail_tasks.email_link

    class Recorder:
        def enqueue(self, *args):
            queued.append(args)
            return task.enqueue(*args)

    monkeypatch.setattr(mail_tasks, "email_link", Recorder())
    pat = visit_for(office)
    [args] = queued
    assert "pat@example.net" not in repr(args) and pat.link_path.split("/")[-2] not in repr(args)
    assert link_in_mail() == pat.link_path
