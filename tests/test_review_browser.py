"""A patient's browser on a profile with reviews, at phone and desktop sizes: axe-core clean,
no sideways scrolling, paging through reviews without JavaScript."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from careatlas.search.interface import rebuild_provider_index
from tests.browser import AXE, assert_clean, live_site, running_chromium
from tests.conftest import require
from tests.provider_factories import RoleFactory
from tests.review_factories import ReplyFactory, reviews_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SIZES = [(390, 844), (1280, 800)]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Dr Reyes with 12 reviews (one a demo review, two answered) and Dr Okafor with three."""
    with (
        django_db_blocker.unblock(),
        live_site() as server,
    ):
        reyes = RoleFactory(practitioner__first_name="Dana", practitioner__last_name="Reyes")
        scores = [5, 4, 5, 3, 5, 4, 2, 5, 4, 5, 1, 5]
        made = reviews_for(
            reyes.practitioner,
            scores,
            text="Dr Reyes explained what the treatment does and what to expect afterwards. "
            "The wait was longer than I hoped.",
            display_name="Jordan P.",
        )
        reviews_for(reyes.practitioner, [4], is_demo=True, text="A made-up demo review.")
        ReplyFactory(review=made[-1], text="Thank you. We have added a second front-desk shift.")
        ReplyFactory(review=made[-2], text="We are sorry to hear this; please call the office.")
        okafor = RoleFactory(practitioner__first_name="Sam", practitioner__last_name="Okafor")
        reviews_for(okafor.practitioner, [5, 5, 4])
        rebuild_provider_index()
        yield {
            "url": server.url,
            "rated": reyes.practitioner.get_absolute_url(),
            "few": okafor.practitioner.get_absolute_url(),
        }


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _page(browser: Browser, size: tuple[int, int], **options) -> Iterator[Page]:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("which", ["rated", "few"])
def test_profiles_with_reviews_are_clean_at_phone_and_desktop_sizes(site, browser, which, size):
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for page in _page(browser, size, bypass_csp=True):
        page.goto(site["url"] + site[which] + "#reviews")
        reviews = page.locator("#reviews")
        if which == "rated":
            expect(reviews.get_by_text("Rated 4.0 out of 5 from 13 reviews")).to_be_visible()
            chart = page.locator(".star-chart-svg")
            box = chart.bounding_box()
            assert box and box["width"] <= size[0] and box["height"] > 60
        else:
            expect(reviews.get_by_text("Fewer than 5 reviews: too few to judge")).to_be_visible()
        assert_clean(page, f"reviews on the {which} profile")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_finder_with_the_rating_filter_is_clean(site, browser, size):
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    for page in _page(browser, size, bypass_csp=True):
        page.goto(site["url"] + "/providers/?location=10001&min_rating=4&sort=rating")
        expect(page.get_by_text("Rated 4.0 out of 5 from 13 reviews")).to_have_count(0)
        expect(page.get_by_text("4.0 out of 5 from 13 reviews")).to_be_visible()
        assert_clean(page, "finder with a minimum rating")


def test_older_reviews_open_without_javascript(site, browser):
    for page in _page(browser, SIZES[0], java_script_enabled=False):
        page.goto(site["url"] + site["rated"])
        reviews = page.locator("#reviews")
        assert reviews.locator("li.review").count() == 10
        assert reviews.get_by_text("Demo review", exact=True).is_visible()  # the newest
        reviews.get_by_role("link", name="Older reviews").click()
        assert "reviews_page=2" in page.url
        assert page.locator("#reviews li.review").count() == 3
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
        expect(page.get_by_text("We have added a second front-desk shift")).to_have_count(0)
        page.get_by_role("link", name="Newer reviews").click()
        expect(page.get_by_text("We have added a second front-desk shift")).to_be_visible()
