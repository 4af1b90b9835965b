"""Pat writes, changes and deletes a review in a browser, phone- and desktop-sized; the
policy, report and practice pages too. Every page axe-clean, none scrolls sideways, and the
forms work without JavaScript."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from careatlas.consultations.models import new_token
from careatlas.practices.models.practices import token_digest
from careatlas.reviews.models import Review, ReviewLink, Status
from careatlas.reviews.upkeep import publish_held
from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require
from tests.practice_personas import make_clinic, own, person, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SIZES = [(390, 844), (1280, 800)]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Dr Dana Reyes has claimed her practice."""
    with django_db_blocker.unblock(), live_site() as server:
        clinic = make_clinic()
        dana = person("dana")
        yield {"url": server.url, "practice": own(dana, clinic.practitioner), "dana": dana}


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def new_link(practice) -> str:
    """A link as Pat's email would carry it (the visit itself is tested elsewhere)."""
    token = new_token()
    ReviewLink.objects.create(
        practice=practice, token_hash=token_digest(token), email="pat@example.net"
    )
    return f"/reviews/link/{token}/"


def _page(browser: Browser, size: tuple[int, int], *, javascript=True, cookie="", url="") -> Page:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]},
        bypass_csp=True,
        java_script_enabled=javascript,
    )
    if cookie:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
    return context.new_page()


def _score(page: Page, group: str, label: str) -> None:
    page.get_by_role("group", name=group).get_by_label(label).check()


@pytest.mark.django_db(transaction=True)
def test_review_pages_in_a_browser(site, browser):
    # One test: a transactional test flushes the database when it ends, the module's too.
    writing_changing_and_deleting_a_review(site, browser)
    without_javascript_then_report_and_reply(site, browser)


def writing_changing_and_deleting_a_review(site, browser):
    for size in SIZES:
        where = f"{size[0]}x{size[1]}"
        page = _page(browser, size)
        page.goto(site["url"] + new_link(site["practice"]))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "How was your visit to Dana Reyes, DO?"
        )
        assert_clean(page, "review form")
        page.get_by_role("button", name="Send review").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        assert_clean(page, "review form with errors")

        _score(page, "Overall", "4 – good")
        _score(page, "Bedside manner", "5 – excellent")
        _score(page, "Explained things clearly", "4 – good")
        _score(page, "Wait time", "2 – poor")
        page.get_by_label("Your review (optional)").fill("Dr Reyes listened; the wait was long.")
        page.get_by_role("button", name="Send review").click()
        expect(page.get_by_role("heading", name="Status: Passed our checks")).to_be_visible()
        assert_clean(page, "review status")

        page.get_by_role("link", name="Change your review").click()
        expect(page.get_by_role("group", name="Wait time").get_by_label("2 – poor")).to_be_checked()
        _score(page, "Wait time", "3 – fair")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("3 out of 5")).to_be_visible()

        page.get_by_role("link", name="Delete your review").click()
        expect(page.get_by_role("button", name="Yes, delete my review")).to_be_visible()
        assert_clean(page, "delete review")
        page.get_by_role("button", name="Yes, delete my review").click()
        expect(page.get_by_role("heading", name="Your review is deleted")).to_be_visible()
        assert not Review.objects.exists(), where

        page.goto(site["url"] + "/reviews/link/no-such-token/")
        assert_clean(page, "review link not valid")
        page.goto(site["url"] + "/about/reviews/")
        expect(page.get_by_role("heading", name="What we never remove")).to_be_visible()
        assert_clean(page, "how reviews work")
        page.context.close()


def without_javascript_then_report_and_reply(site, browser):
    page = _page(browser, SIZES[0], javascript=False)
    page.goto(site["url"] + new_link(site["practice"]))
    for group in ("Overall", "Bedside manner", "Explained things clearly", "Wait time"):
        _score(page, group, "5 – excellent")
    page.get_by_label("Name to show (optional)").fill("Pat M.")
    page.get_by_role("button", name="Send review").click()
    expect(page.get_by_role("heading", name="Status: Passed our checks")).to_be_visible()
    review = Review.objects.get()
    assert review.shown_name == "Pat M." and review.status == Status.HELD
    publish_held(timezone.now() + timedelta(hours=25))
    page.context.close()

    dana = signed_in(site["dana"])
    for size in SIZES:
        office = _page(
            browser, size, cookie=dana.cookies[settings.SESSION_COOKIE_NAME].value, url=site["url"]
        )
        office.goto(f"{site['url']}/practice/{site['practice'].pk}/")
        office.get_by_role("link", name="Reviews from patients, and your replies").click()
        expect(office.get_by_text("Pat M.").first).to_be_visible()
        assert_clean(office, "practice reviews")
        office.get_by_role("link", name="Reply to the review by Pat M.").click()
        assert_clean(office, "reply form")
        office.context.close()

    for size in SIZES:
        visitor = _page(browser, size)
        visitor.goto(f"{site['url']}/reviews/{review.pk}/report/")
        assert_clean(visitor, "report a review")
        visitor.context.close()
    visitor = _page(browser, SIZES[1], javascript=False)
    visitor.goto(f"{site['url']}/reviews/{review.pk}/report/")
    visitor.get_by_label("Not a real patient, or written for pay").check()
    visitor.get_by_role("button", name="Send report").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("a moderator will read")
    review.refresh_from_db()
    assert review.status == Status.PENDING
    visitor.context.close()
