"""A patient reads a provider's reviews on the profile: the rating, the chart, the reviews."""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from careatlas.reviews.models import Status
from careatlas.reviews.ratings import mean_score, refresh_rating
from careatlas.search.interface import ProviderQuery, find_providers, rebuild_provider_index
from tests.provider_factories import LocationFactory, RoleFactory
from tests.provider_search_world import zip_point
from tests.review_factories import ReplyFactory, ReviewFactory, practice_of, reviews_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def dr_reyes(content_pack):
    role = RoleFactory(
        location=LocationFactory(), practitioner__first_name="Dana", practitioner__last_name="Reyes"
    )
    rebuild_provider_index()
    return role.practitioner


def _page(client, practitioner, **params) -> str:
    response = client.get(practitioner.get_absolute_url(), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _graph(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    nodes = json.loads(block)["@graph"]
    return next(node for node in nodes if node["@type"] == "Physician")


def _section(html: str) -> str:
    return html[html.index('id="reviews"') : html.index("</section>", html.index('id="reviews"'))]


def test_the_mean_is_of_published_overall_scores_rounded_half_up(dr_reyes):
    reviews_for(dr_reyes, [5, 4, 4, 4, 4, 4, 4, 4])  # 33 / 8 = 4.125
    practice = practice_of(dr_reyes)
    ReviewFactory(practice=practice, overall=1, status=Status.PENDING, published_at=None)
    ReviewFactory(practice=practice, overall=1, status=Status.REJECTED, published_at=None)
    ReviewFactory(practice=practice, overall=1, status=Status.HELD, published_at=None)
    refresh_rating(practice)
    dr_reyes.refresh_from_db()
    assert dr_reyes.review_count == 8
    assert dr_reyes.review_average == Decimal("4.13")  # half up, not to even
    assert mean_score(4.005) == Decimal("4.01") and mean_score(None) is None


def test_four_reviews_are_listed_but_too_few_to_judge(client, dr_reyes):
    reviews_for(dr_reyes, [5, 5, 5, 5])
    html = _page(client, dr_reyes)
    section = _section(html)
    assert "Fewer than 5 reviews: too few to judge" in section
    assert "4 reviews – too few to judge" in html  # the header line
    assert section.count("Verified visit") == 4
    assert "star-chart" not in section and "Bedside manner</dt>" not in section
    assert "Rated " not in html
    graph = _graph(html)
    assert "aggregateRating" not in graph and "review" not in graph


def test_five_reviews_show_the_average_chart_and_sub_scores(client, dr_reyes):
    reviews_for(dr_reyes, [5, 5, 4, 4, 3], bedside_manner=5, wait_time=2)  # 4.2
    html = _page(client, dr_reyes)
    section = _section(html)
    assert "Rated 4.2 out of 5 from 5 reviews" in section
    assert "too few to judge" not in html
    # The chart is drawn for the eye and told in a table for everyone else.
    assert re.search(r'<svg class="star-chart-svg"[^>]*aria-hidden="true"', section)
    rows = re.findall(r'<tr><th scope="row">(\d) stars?</th><td>(\d+)</td><td>(\d+)%</td>', section)
    assert rows == [
        ("5", "2", "40"),
        ("4", "2", "40"),
        ("3", "1", "20"),
        ("2", "0", "0"),
        ("1", "0", "0"),
    ]
    assert "<dt>Bedside manner</dt><dd>5.0 out of 5</dd>" in section
    assert "<dt>Explained things clearly</dt><dd>4.0 out of 5</dd>" in section
    assert "<dt>Wait time</dt><dd>2.0 out of 5</dd>" in section


def test_json_ld_rates_the_physician_only_from_five_reviews(client, dr_reyes):
    reviews_for(dr_reyes, [5, 5, 4, 4, 3], text="Kind & thorough.", display_name="J. P.")
    graph = _graph(_page(client, dr_reyes))
    assert graph["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.2,
        "reviewCount": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert len(graph["review"]) == 5
    first = graph["review"][0]
    assert first["author"] == {"@type": "Person", "name": "J. P."}
    assert first["reviewRating"]["ratingValue"] == 3  # newest first
    assert first["reviewBody"] == "Kind & thorough."


def test_reviews_are_newest_first_ten_a_page_with_rel_links(client, dr_reyes):
    made = reviews_for(dr_reyes, [4] * 23)
    first = _section(_page(client, dr_reyes))
    ids = [int(pk) for pk in re.findall(r'<li class="review" id="review-(\d+)"', first)]
    assert ids == [review.pk for review in reversed(made)][:10]
    url = dr_reyes.get_absolute_url()
    assert (
        f'<a href="{url}?reviews_page=2#reviews" rel="next">' in first and 'rel="prev"' not in first
    )
    assert "Page 1 of 3" in first
    last = _section(_page(client, dr_reyes, reviews_page="3"))
    assert len(re.findall(r'<li class="review"', last)) == 3
    assert f'<a href="{url}?reviews_page=2#reviews" rel="prev">' in last
    assert 'rel="next"' not in last
    # Nonsense pages fall back to a real one rather than an error.
    assert "Page 1 of 3" in _section(_page(client, dr_reyes, reviews_page="abc"))
    assert "Page 3 of 3" in _section(_page(client, dr_reyes, reviews_page="999"))


def test_each_review_shows_its_published_reply_and_a_report_link(client, dr_reyes):
    answered, pending, plain = reviews_for(dr_reyes, [2, 3, 5])
    ReplyFactory(review=answered, text="We are sorry about the wait.")
    ReplyFactory(review=pending, text="Not yet screened.", status=Status.PENDING, published_at=None)
    section = _section(_page(client, dr_reyes))
    assert "Reply from the practice" in section and "We are sorry about the wait." in section
    assert "Not yet screened." not in section
    for review in (answered, pending, plain):
        assert f'href="/reviews/{review.pk}/report/" rel="nofollow"' in section
    assert '<a href="/about/reviews/">How reviews work</a>' in section


def test_demo_reviews_say_they_are_synthetic(client, dr_reyes):
    reviews_for(dr_reyes, [4], is_demo=True)
    section = _section(_page(client, dr_reyes))
    assert "Demo review" in section and "not written by a patient" in section


def test_review_text_and_names_are_escaped(client, dr_reyes):
    reviews_for(dr_reyes, [1], text="<script>alert(1)</script>", display_name="<b>Eve</b>")
    section = _section(_page(client, dr_reyes))
    assert "<script>alert(1)" not in section and "&lt;script&gt;" in section
    assert "<b>Eve</b>" not in section and "&lt;b&gt;Eve&lt;/b&gt;" in section


def test_no_reviews_says_who_can_write_one(client, dr_reyes):
    section = _section(_page(client, dr_reyes))
    assert "No reviews yet" in section and "How reviews work" in section


def _rated_near(min_rating: float) -> list[str]:
    query = ProviderQuery(near=zip_point("10001"), min_rating=min_rating)
    return [hit.name for hit in find_providers(query).hits]


def test_publishing_and_removing_a_review_refreshes_pages_and_search(
    client, dr_reyes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviews_for(dr_reyes, [5, 5, 5, 4])
    assert "too few to judge" in _page(client, dr_reyes)  # now cached
    assert _rated_near(4) == []
    with django_capture_on_commit_callbacks(execute=True):
        fifth = reviews_for(dr_reyes, [4])[0]  # published: 4.6 from 5
    assert "Rated 4.6 out of 5 from 5 reviews" in _page(client, dr_reyes)
    assert _rated_near(4.5) == [dr_reyes.display_name]
    with django_capture_on_commit_callbacks(execute=True):
        fifth.status = Status.PENDING  # reported: back to the queue
        fifth.save()
        refresh_rating(practice_of(dr_reyes))
    assert "too few to judge" in _page(client, dr_reyes)
    assert _rated_near(1) == []


def test_the_api_profile_summarises_the_reviews(client, dr_reyes):
    reviews_for(dr_reyes, [5, 4, 4, 4, 4, 4])
    body = client.get(f"/api/v1/providers/{dr_reyes.npi}").json()
    assert body["reviews"] == {"count": 6, "rating": 4.17, "enough_to_judge": True}


def test_the_published_date_is_shown_by_month(client, dr_reyes):
    reviews_for(dr_reyes, [3], published_at=datetime(2026, 3, 14, 15, tzinfo=UTC))
    assert '<time datetime="2026-03-14">March 2026</time>' in _section(_page(client, dr_reyes))
