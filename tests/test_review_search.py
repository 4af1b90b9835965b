"""A patient filters and sorts providers by rating, on the finder and through the API.

Near ZIP 10001: Chen (3.3 mi) has 5 reviews averaging 4.8, Brooks (3.8 mi) 6 averaging 3.5,
Alvarez (0.2 mi, the nearest) 4 five-star reviews, too few to judge, and Dunn (1.9 mi) none.
"""

import pytest

from careatlas.search.interface import ProviderQuery, find_providers, rebuild_provider_index
from tests.provider_search_world import Neighbourhood, build_neighbourhood, zip_point
from tests.review_factories import reviews_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(content_pack) -> Neighbourhood:
    world = build_neighbourhood()
    reviews_for(world.chen, [5, 5, 5, 5, 4])  # 4.8
    reviews_for(world.brooks, [4, 4, 3, 3, 4, 3])  # 3.5
    reviews_for(world.alvarez, [5, 5, 5, 5])  # four: no average
    rebuild_provider_index()
    return world


def _search(client, **params):
    response = client.get("/api/v1/providers", {"location": "10001", "radius": 25, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _names(world: Neighbourhood, body: dict) -> list[str]:
    personas = world.names()
    return [personas[hit["name"]] for hit in body["results"]]


def test_rating_sort_lists_too_few_reviews_after_every_rated_provider(client, rated):
    body = _search(client, sort="rating")
    # Alvarez's four five-star reviews never rank her as a five-star provider.
    assert _names(rated, body)[:4] == ["chen", "brooks", "alvarez", "dunn"]


def test_minimum_rating_keeps_only_rated_providers_that_reach_it(client, rated):
    assert _names(rated, _search(client, min_rating="4")) == ["chen"]
    assert _names(rated, _search(client, min_rating="3", sort="rating")) == ["chen", "brooks"]
    assert _names(rated, _search(client, min_rating="3.5")) == ["chen", "brooks"]
    assert _names(rated, _search(client, min_rating="4.81")) == []
    assert _names(rated, _search(client, min_rating="4.8")) == ["chen"]


def test_hits_carry_the_rating_or_null_when_too_few(client, rated):
    hits = {hit["name"]: hit for hit in _search(client, sort="rating")["results"]}
    assert hits[rated.chen.display_name]["rating"] == 4.8
    assert hits[rated.chen.display_name]["review_count"] == 5
    assert hits[rated.alvarez.display_name]["rating"] is None
    assert hits[rated.alvarez.display_name]["review_count"] == 4
    assert hits[rated.dunn.display_name]["review_count"] == 0


@pytest.mark.parametrize("value", ["0", "5.5", "abc", "4.555", "nan"])
def test_a_minimum_rating_out_of_range_is_a_field_error(client, rated, value):
    response = client.get("/api/v1/providers", {"location": "10001", "min_rating": value})
    assert response.status_code == 400
    assert "min_rating" in response.content.decode()


def test_the_finder_offers_the_rating_filter_and_sort_and_says_who_is_left_out(client, rated):
    page = client.get("/providers/", {"location": "10001", "min_rating": "4"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="4" selected>4 stars or more</option>' in html
    assert '<option value="rating">Rating (verified patient reviews)</option>' in html
    assert "fewer than 5 reviews have no average" in html
    assert rated.chen.display_name in html and rated.alvarez.display_name not in html
    assert "4.8 out of 5 from 5 reviews" in html


def test_the_finder_says_too_few_to_judge_on_a_card(client, rated):
    html = client.get("/providers/", {"location": "10001", "sort": "rating"}).content.decode()
    assert "Fewer than 5 reviews: too few to judge (4 reviews)" in html


def test_filter_choices_list_the_minimum_ratings(client, rated):
    choices = client.get("/api/v1/providers/filters").json()["min_rating"]
    assert [c["value"] for c in choices] == ["", "3", "4", "4.5"]


def test_engine_applies_the_rating_with_or_without_a_place(rated):
    here = zip_point("10001")
    nearby = find_providers(ProviderQuery(near=here, sort="rating", min_rating=3))
    assert [h.name for h in nearby.hits] == [rated.chen.display_name, rated.brooks.display_name]
    # Nationwide: the same rule over the first candidates in name order.
    anywhere = find_providers(ProviderQuery(sort="rating", min_rating=3))
    assert [h.name for h in anywhere.hits] == [rated.chen.display_name, rated.brooks.display_name]
