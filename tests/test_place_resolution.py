"""Measure: place strings people type resolve to within 10 miles of the place they mean.

The set (tests/place_queries_heldout.py) was written before the resolver ran on it; its
expected points come from the zipcodes package's ZIP centres, not from the GeoNames places
the resolver reads, so a wrong pick (Queensbury for Queens) shows as hundreds of miles.
"""

from collections import defaultdict
from functools import cache

import pytest
import zipcodes

from careatlas.providers.geocoding import distance_miles, geocode
from tests.place_queries_heldout import PLACES

WITHIN_MILES = 10
REQUIRED_SHARE = 0.95


@cache
def _zip_points() -> tuple[dict, dict, dict]:
    by_zip, by_city, by_county = {}, defaultdict(list), defaultdict(list)
    for row in zipcodes.list_all():
        if not row["lat"]:
            continue
        point = (float(row["lat"]), float(row["long"]))
        by_zip[row["zip_code"]] = point
        if row["zip_code_type"] == "STANDARD":
            by_city[(row["city"].lower(), row["state"])].append(point)
        if row["county"]:
            by_county[(row["county"].lower(), row["state"])].append(point)
    return by_zip, by_city, by_county


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def expected_point(expected: str) -> tuple[float, float]:
    """The point of a ZIP, a "City, ST" (its ZIPs' centre) or an "X County, ST"."""
    by_zip, by_city, by_county = _zip_points()
    if expected.isdigit():
        return by_zip[expected]
    name, state = (part.strip() for part in expected.rsplit(",", 1))
    key = (name.lower(), state)
    points = (by_county if name.endswith((" County", " Parish")) else by_city).get(key)
    assert points, f"{expected} is not a USPS city or county"
    return _centre(points)


def test_every_expected_place_exists_in_the_reference():
    for _typed, expected in PLACES:
        expected_point(expected)


def test_the_set_is_big_and_varied():
    assert len(PLACES) >= 300
    assert len({typed.lower() for typed, _e in PLACES}) == len(PLACES)


def test_at_least_95_percent_resolve_within_10_miles():
    misses = []
    for typed, expected in PLACES:
        found = geocode(typed)
        if not found.ok:
            misses.append((typed, expected, found.message))
            continue
        miles = distance_miles(found.point, expected_point(expected))
        if miles > WITHIN_MILES:
            misses.append((typed, expected, f"{found.label}, {miles:.0f} mi away"))
    share = 1 - len(misses) / len(PLACES)
    print(f"\n{len(PLACES) - len(misses)}/{len(PLACES)} ({share:.1%}) within {WITHIN_MILES} mi")
    for miss in misses:
        print("  miss:", *miss)
    assert share >= REQUIRED_SHARE, misses


@pytest.mark.parametrize(("typed", "expected"), [p for p in PLACES if "County" in p[1]][:3])
def test_a_county_is_found_by_its_name(typed, expected):
    assert geocode(typed).ok
