"""Email is rendered in the request and sent by a background task the worker runs."""

import copy
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from careatlas.accounts.emails import send_email

pytestmark = pytest.mark.django_db
# The worker closes its database connection when it finishes, as a real one does between
# tasks; that would end a test's surrounding transaction, so tests that run it commit.
runs_the_worker = pytest.mark.django_db(transaction=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def test_templates(settings):
    """Templates kept beside the tests (tests/templates/email_test/) for a message of our own."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.fixture
def database_tasks(settings):
    """The production set-up: tasks wait in the database until `db_worker` runs them."""
    settings.TASKS = DATABASE_TASKS


@runs_the_worker
def test_a_message_waits_in_the_database_until_the_worker_sends_it(database_tasks, test_templates):
    send_email(
        to=["dana@clinic.example"],
        subject="Welcome to CareAtlas",
        template_name="email_test/welcome.txt",
        context={"name": "Dana"},
    )
    assert mail.outbox == []  # the request did not wait for a mail server
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"

    call_command("db_worker", "--batch", "--no-startup-delay")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@clinic.example"]
    assert message.subject == "Welcome to CareAtlas"
    assert "Hello Dana," in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "<p>Hello Dana,</p>" in message.alternatives[0].content
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


@runs_the_worker
def test_allauths_confirmation_email_goes_through_the_queue(database_tasks, client):
    client.post(
        "/accounts/signup/",
        {
            "email": "sam@clinic.example",
            "password1": "long-enough-phrase",
            "password2": "long-enough-phrase",
        },
    )
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.to for m in mail.outbox] == [["sam@clinic.example"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_a_text_only_template_sends_a_text_only_message():
    send_email(
        ["a@clinic.example"],
        "Subject\nwith a break",
        "account/email/unknown_account_message.txt",
        {},
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Subject with a break"
    assert mail.outbox[0].alternatives == []
