"""From written to published: the hold, the moderation queue, reports, bursts and the rating."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.reviews.models import Report, Review, ReviewLink, Status
from careatlas.reviews.upkeep import publish_held, purge_expired_links
from tests.practice_personas import person, signed_in
from tests.review_personas import (
    SCORES,
    the_review,
    visit_for,
    write,
)

pytestmark = pytest.mark.django_db
LATER = timedelta(hours=25)


@pytest.fixture
def moderator(db) -> Client:
    """Mo moderates reviews: may view and change reviews and replies in the back office."""
    mo = person("mo-moderator", is_staff=True)
    mo.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reviews",
            codename__in=["view_review", "change_review", "view_reply", "change_reply"],
        )
    )
    return signed_in(mo)


def decide(moderator: Client, action: str, review: Review, reason: str | None = None):
    data = {"action": action, "_selected_action": [review.pk]}
    if reason is not None:
        data |= {"apply": "1", "reason": reason}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return moderator.post("/admin/reviews/review/", data, follow=True)


def publish(now=None) -> str:
    """Run the hourly job: the command as cron runs it, or its function with a later clock."""
    if now is not None:
        return f"Published {publish_held(now)} review(s)."
    out = StringIO()
    call_command("publish_held_reviews", stdout=out)
    return out.getvalue()


def rating(visit) -> tuple[int, str | None]:
    person = visit.practice.practitioner
    person.refresh_from_db()
    average = person.review_average
    return person.review_count, None if average is None else str(average)


def test_a_clean_review_is_held_then_published_by_the_hourly_command(visit, settings):
    settings.REVIEW_HOLD_HOURS = 24
    write(Client(), visit)
    review = the_review(visit)
    assert review.status == Status.HELD and review.flags == []
    assert timedelta(hours=23) < review.publish_after - timezone.now() <= timedelta(hours=24)
    assert "Published 0 review(s)." in publish()
    assert rating(visit) == (0, None)
    assert "Published 1 review(s)." in publish(timezone.now() + LATER)
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED and review.published_at is not None
    assert rating(visit) == (1, "4.00")
    assert "Status: Published" in Client().get(visit.link_path).content.decode()


def test_a_flagged_review_waits_for_a_moderator_and_its_author_is_told_why(visit):
    write(Client(), visit, text="Call Linda Chu on 212-555-0101 about it")
    review = the_review(visit)
    assert review.status == Status.PENDING and review.publish_after is None
    assert {f["rule"] for f in review.flags} == {"phone", "full_name"}
    page = Client().get(visit.link_path).content.decode()
    assert "Waiting for a moderator" in page and "a phone number" in page
    publish(timezone.now() + LATER)
    review.refresh_from_db()
    assert review.status == Status.PENDING


def test_the_shown_name_is_checked_too(visit):
    write(Client(), visit, display_name="pat@example.net")
    assert [f["rule"] for f in the_review(visit).flags] == ["email"]


def test_a_moderator_approves_and_the_decision_is_audited(visit, moderator):
    write(Client(), visit, text="THE BEST OFFICE IN TOWN, THANK YOU ALL")
    review = the_review(visit)
    queue = moderator.get("/admin/reviews/review/").content.decode()
    assert "all_caps" in queue
    detail = moderator.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()
    assert "Written in capitals" in detail
    decide(moderator, "approve", review)
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED and rating(visit) == (1, "4.00")
    [event] = AuditEvent.objects.about(review).filter(action="review.approved")
    assert (event.old_value, event.new_value, event.actor_label) == (
        "pending",
        "published",
        "mo-moderator@example.org",
    )


def test_a_rejection_needs_a_reason_which_is_emailed_to_the_author(visit, moderator):
    write(Client(), visit, text="Dr Reyes is a bastard")
    review = the_review(visit)
    mail.outbox.clear()
    asked = decide(moderator, "reject", review)
    assert "Reason the author will read" in asked.content.decode()
    assert the_review(visit).status == Status.PENDING
    decide(moderator, "reject", review, reason="")
    assert the_review(visit).status == Status.PENDING and not mail.outbox
    decide(moderator, "reject", review, reason="Please describe the care without insults.")
    review.refresh_from_db()
    assert review.status == Status.REJECTED
    [message] = mail.outbox
    assert message.to == ["pat@example.net"]
    assert "Please describe the care without insults." in message.body
    assert AuditEvent.objects.about(review).filter(action="review.rejected").exists()
    # The author sees the reason at the link, changes the text, and it is checked again.
    assert "Please describe the care" in Client().get(visit.link_path).content.decode()
    Client().post(visit.link_path + "edit/", {**SCORES, "text": "Dr Reyes was abrupt."})
    assert the_review(visit).status == Status.HELD


def test_no_delete_in_the_back_office(visit, moderator):
    write(Client(), visit)
    review = the_review(visit)
    assert moderator.get(f"/admin/reviews/review/{review.pk}/delete/").status_code == 403
    assert "delete_selected" not in moderator.get("/admin/reviews/review/").content.decode()


def _published(visit) -> Review:
    write(Client(), visit)
    publish(timezone.now() + LATER)
    return the_review(visit)


def test_editing_a_published_review_is_checked_again(visit):
    review = _published(visit)
    Client().post(visit.link_path + "edit/", {**SCORES, "overall": "2", "text": "Fine."})
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED and rating(visit) == (1, "2.00")
    Client().post(visit.link_path + "edit/", {**SCORES, "text": "Ask for Linda Chu."})
    review.refresh_from_db()
    assert review.status == Status.PENDING and rating(visit) == (0, None)


def test_deleting_a_published_review_updates_the_rating(visit):
    _published(visit)
    Client().post(visit.link_path + "delete/")
    assert rating(visit) == (0, None)


def test_anyone_may_report_a_published_review_which_goes_back_to_the_queue(visit, moderator):
    review = _published(visit)
    url = f"/reviews/{review.pk}/report/"
    form = Client().get(url).content.decode()
    assert (
        "What is wrong with this review?" in form
        and "no-store" in Client().get(url)["Cache-Control"]
    )
    assert Client().post(url, {"reason": ""}).status_code == 400
    sent = Client().post(url, {"reason": "private", "details": "It names my neighbour."})
    assert "a moderator will read the review" in sent.content.decode()
    review.refresh_from_db()
    assert review.status == Status.PENDING and rating(visit) == (0, None)
    assert Report.objects.get().reason == "private"
    # Once off the page, it cannot be reported again until a moderator decides.
    assert Client().get(url).status_code == 404
    queue = moderator.get("/admin/reviews/review/").content.decode()
    assert (
        "Shares private or medical details"
        in moderator.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()
    )
    assert queue.count("<tr") >= 2
    decide(moderator, "approve", review)
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED and rating(visit) == (1, "4.00")
    assert Report.objects.get().resolved_at is not None


def test_reports_are_rate_limited_per_browser(office, mailoutbox, settings):
    settings.REVIEW_REPORTS_PER_DAY = 2
    reviews = []
    for n in range(3):
        pat = visit_for(office, email=f"pat{n}@example.net")
        write(Client(REMOTE_ADDR=f"198.51.100.{n}"), pat)
        reviews.append(the_review(pat))
    publish(timezone.now() + LATER)
    reporter = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Reporter")
    for review in reviews[:2]:
        reporter.post(f"/reviews/{review.pk}/report/", {"reason": "fake"})
    locked = reporter.post(f"/reviews/{reviews[2].pk}/report/", {"reason": "fake"})
    assert locked.status_code == 429 and Report.objects.count() == 2
    assert Review.objects.get(pk=reviews[2].pk).status == Status.PUBLISHED
    # Another browser is counted on its own.
    other = Client(REMOTE_ADDR="203.0.113.10", HTTP_USER_AGENT="Reporter")
    assert other.post(f"/reviews/{reviews[2].pk}/report/", {"reason": "fake"}).status_code == 200


def test_a_burst_from_one_browser_sends_all_its_reviews_to_a_moderator(
    office, mailoutbox, settings
):
    settings.REVIEW_BURST_COUNT = 3
    same = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Bot/1.0"}
    visits = [visit_for(office, email=f"p{n}@example.net") for n in range(4)]
    write(Client(**same), visits[0])
    write(Client(**same), visits[1])
    assert {the_review(v).status for v in visits[:2]} == {Status.HELD}
    write(Client(**same), visits[2])
    assert {the_review(v).status for v in visits[:3]} == {Status.PENDING}
    assert all("burst" in {f["rule"] for f in the_review(v).flags} for v in visits[:3])
    write(Client(REMOTE_ADDR="198.51.100.8", HTTP_USER_AGENT="Bot/1.0"), visits[3])
    assert the_review(visits[3]).status == Status.HELD
    assert "198.51.100.7" not in str(Review.objects.values_list("fingerprint", flat=True))


def test_expired_links_lose_their_address_and_unused_ones_go(office, mailoutbox):
    used, unused = visit_for(office), visit_for(office, email="sam@example.net")
    write(Client(), used)
    later = timezone.now() + timedelta(days=200)
    assert purge_expired_links(later) == (1, 1)
    assert list(ReviewLink.objects.all()) == [used.link] and used.link.email == ""
    assert the_review(used).fingerprint == "" and not ReviewLink.objects.filter(
        request=unused.request
    )
    out = StringIO()
    call_command("purge_review_links", stdout=out)  # nothing has expired by today's clock
    assert "Deleted 0 unused link(s); erased 0 address(es)." in out.getvalue()


def test_a_rejection_when_the_address_is_gone_sends_nothing(visit, moderator):
    write(Client(), visit, text="Ask Linda Chu")
    ReviewLink.objects.update(email="")
    mail.outbox.clear()
    decide(moderator, "reject", the_review(visit), reason="Names a member of staff.")
    assert the_review(visit).status == Status.REJECTED and not mail.outbox


def test_the_hourly_job_can_be_handed_to_the_task_worker(visit, settings):
    settings.REVIEW_HOLD_HOURS = 0
    write(Client(), visit)
    out = StringIO()
    call_command("publish_held_reviews", "--enqueue", stdout=out)  # immediate backend in tests
    assert out.getvalue().startswith("Queued as task")
    assert the_review(visit).status == Status.PUBLISHED
