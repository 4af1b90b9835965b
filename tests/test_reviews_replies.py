"""The practice's side: its Reviews page, one screened reply per review, no way to remove one."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.reviews.models import Reply, Review, Status
from careatlas.reviews.upkeep import publish_held
from tests.practice_personas import join, make_clinic, own, person, signed_in
from tests.review_personas import the_review, write

pytestmark = pytest.mark.django_db
PERSONAS = ["owner", "staff", "other_practice", "no_mfa_member", "anonymous"]
IN = 302  # to sign-in, or to set up a second factor


@pytest.fixture
def world(visit):
    """Pat's review is published. Sam is Dana's office staff; Omar works for another practice;
    Nina joined Dana's team but never set up a second factor."""
    write(Client(), visit, display_name="Pat M.")
    publish_held(timezone.now() + timedelta(hours=25))
    sam, omar, nina = person("sam"), person("omar"), person("nina")
    join(sam, visit.practice)
    join(omar, own(person("olga"), make_clinic(" West").organization))
    join(nina, visit.practice)
    no_mfa = Client()
    no_mfa.force_login(nina)
    return {
        "visit": visit,
        "review": the_review(visit),
        "clients": {
            "owner": signed_in(visit.practice.owners().get().user),
            "staff": signed_in(sam),
            "other_practice": signed_in(omar),
            "no_mfa_member": no_mfa,
            "anonymous": Client(),
        },
    }


def reply_url(world) -> str:
    return reverse("reviews:reply", args=[world["visit"].practice.pk, world["review"].pk])


def post_reply(client: Client, world, text: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reply_url(world), {"text": text})


MATRIX = [
    ("reviews page", "get", "list", [200, 200, 404, IN, IN]),
    ("reply form", "get", "reply", [200, 200, 404, IN, IN]),
    ("reply", "post", "reply", [302, 302, 404, IN, IN]),
]


@pytest.mark.parametrize(("what", "method", "page", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_who_may_see_and_reply(world, what, method, page, expected):
    practice = world["visit"].practice.pk
    url = (
        reverse("reviews:practice_reviews", args=[practice]) if page == "list" else reply_url(world)
    )
    answers = {}
    for persona in PERSONAS:
        client = world["clients"][persona]
        Reply.objects.all().delete()  # each persona meets an unanswered review
        data = {"text": "Thank you for taking the time to write."} if method == "post" else None
        answers[persona] = getattr(client, method)(url, data).status_code
    assert answers == dict(zip(PERSONAS, expected, strict=True))
    no_mfa = world["clients"]["no_mfa_member"].get(url)
    assert "/accounts/2fa/" in no_mfa["Location"]


def test_the_reviews_page_lists_published_reviews_with_a_reply_link(world):
    page = world["clients"]["staff"].get(
        reverse("reviews:practice_reviews", args=[world["visit"].practice.pk])
    )
    html = page.content.decode()
    assert "Pat M." in html and "Dr Reyes listened" in html
    assert "Reply to the review by Pat M." in html and "no-store" in page["Cache-Control"]


def test_the_practice_home_links_to_its_reviews(world):
    practice = world["visit"].practice.pk
    home = world["clients"]["owner"].get(f"/practice/{practice}/").content.decode()
    assert reverse("reviews:practice_reviews", args=[practice]) in home


def test_a_clean_reply_is_published_once(world):
    owner = world["clients"]["owner"]
    form = owner.get(reply_url(world)).content.decode()
    assert "Never confirm that the reviewer is your patient" in form
    post_reply(owner, world, "Thank you for the kind words. Anyone can call the office.")
    reply = Reply.objects.get()
    assert reply.status == Status.PUBLISHED and reply.published_at is not None
    assert AuditEvent.objects.about(reply).filter(action="reply.written").exists()
    again = post_reply(world["clients"]["staff"], world, "A second reply")
    assert again.status_code == 302 and Reply.objects.count() == 1
    assert Reply.objects.get().text.startswith("Thank you for the kind words")


@pytest.mark.parametrize(
    "text",
    [
        "Thank you, Pat M., we are glad you came.",
        "We are sorry your appointment ran late.",
        "Your treatment plan is in your chart; call 212-555-0101.",
    ],
)
def test_a_reply_that_could_confirm_a_patient_waits_for_a_moderator(world, text):
    answer = post_reply(world["clients"]["owner"], world, text)
    assert answer.status_code == 302
    reply = Reply.objects.get()
    assert reply.status == Status.PENDING and reply.flags
    listing = world["clients"]["owner"].get(
        reverse("reviews:practice_reviews", args=[world["visit"].practice.pk])
    )
    assert "waiting for a moderator" in listing.content.decode()


def test_an_empty_or_long_reply_gets_a_field_error(world):
    owner = world["clients"]["owner"]
    assert "Write your reply." in post_reply(owner, world, "").content.decode()
    long = post_reply(owner, world, "x" * 2001)
    assert long.status_code == 400 and not Reply.objects.exists()


def test_a_rejected_reply_is_explained_and_may_be_written_again(world):
    post_reply(world["clients"]["owner"], world, "We hope your treatment helped.")
    mo = person("mo", is_staff=True)
    mo.user_permissions.add(*Permission.objects.filter(codename__in=["view_reply", "change_reply"]))
    reply = Reply.objects.get()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        signed_in(mo).post(
            "/admin/reviews/reply/",
            {
                "action": "reject",
                "_selected_action": [reply.pk],
                "apply": "1",
                "reason": "It confirms the reviewer is a patient.",
            },
        )
    reply.refresh_from_db()
    assert reply.status == Status.REJECTED
    [message] = mail.outbox
    assert message.to == ["dana@example.org"] and "confirms the reviewer" in message.body
    post_reply(world["clients"]["owner"], world, "Thank you for writing.")
    assert Reply.objects.get().status == Status.PUBLISHED


def test_only_published_reviews_can_be_answered(world):
    Review.objects.update(status=Status.PENDING)
    assert world["clients"]["owner"].get(reply_url(world)).status_code == 404


def test_a_practice_has_no_way_to_remove_hide_or_reorder_reviews(world):
    owner, review = world["clients"]["owner"], world["review"]
    practice = world["visit"].practice.pk
    for path in (
        f"/practice/{practice}/reviews/{review.pk}/delete/",
        f"/practice/{practice}/reviews/{review.pk}/hide/",
        f"/practice/{practice}/reviews/{review.pk}/",
    ):
        assert owner.post(path).status_code == 404
    page = owner.get(
        reverse("reviews:practice_reviews", args=[practice]), {"order": "best", "hide": review.pk}
    ).content.decode()
    assert "Dr Reyes listened" in page and "<form" not in page.split("<main")[-1]
    # The back office, where reviews are decided, refuses the practice's owner outright.
    assert owner.get("/admin/reviews/review/").status_code == 302
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED
