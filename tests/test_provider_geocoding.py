"""A patient types a ZIP, a ZIP+4 or a city; we find it offline or say how to fix it."""

import pytest

from careatlas.providers.geocoding import distance_miles, geocode

KM_PER_MILE = 1.609344


def test_zip_resolves_with_a_readable_label():
    place = geocode("10001")
    assert place.ok
    assert place.label == "10001 (New York, NY)"
    assert place.latitude == pytest.approx(40.75, abs=0.05)
    assert place.longitude == pytest.approx(-74.0, abs=0.05)


@pytest.mark.parametrize("text", ["10001-1234", "100011234", " 10001 1234 "])
def test_zip_plus_four_resolves_to_its_zip(text):
    assert geocode(text).label == "10001 (New York, NY)"


def test_new_york_to_san_francisco_is_about_4129_km():
    new_york, san_francisco = geocode("10001"), geocode("94103")
    km = distance_miles(new_york.point, san_francisco.point) * KM_PER_MILE
    assert km == pytest.approx(4129, rel=0.01)


def test_distance_to_itself_is_zero_and_symmetric():
    a, b = geocode("60601").point, geocode("02108").point
    assert distance_miles(a, a) == 0
    assert distance_miles(a, b) == pytest.approx(distance_miles(b, a))


@pytest.mark.parametrize(
    ("zip_code", "state"), [("99501", "AK"), ("99701", "AK"), ("96813", "HI"), ("96720", "HI")]
)
def test_alaska_and_hawaii_resolve(zip_code, state):
    place = geocode(zip_code)
    assert place.ok and place.label.endswith(f", {state})")


def test_hawaii_is_far_from_the_mainland():
    honolulu, los_angeles = geocode("96813"), geocode("90012")
    assert 2500 < distance_miles(honolulu.point, los_angeles.point) < 2600


@pytest.mark.parametrize(
    "text", ["Springfield, IL", "springfield il", "Springfield, Illinois", "SPRINGFIELD,IL"]
)
def test_city_and_state_resolve_to_the_city_centroid(text):
    place = geocode(text)
    assert place.ok and place.label == "Springfield, IL"
    # The centroid of Springfield's ZIPs is in central Illinois.
    assert place.latitude == pytest.approx(39.8, abs=0.2)
    assert place.longitude == pytest.approx(-89.65, abs=0.2)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("St. Louis, MO", "St. Louis, MO"),
        ("Fort Worth TX", "Fort Worth, TX"),
        ("Mt. Vernon, NY", "Mount Vernon, NY"),
        ("Washington, District of Columbia", "Washington, DC"),
    ],
)
def test_common_ways_of_writing_places(text, label):
    assert geocode(text).label == label


def test_misspelt_city_is_read_as_the_close_name_in_that_state():
    result = geocode("Sprngfield, IL")
    assert result.ok and result.corrected
    assert result.label == "Springfield, IL"


def test_a_name_far_from_any_place_suggests_the_nearest_spellings():
    result = geocode("Sprngfieldxx, IL")
    assert not result.ok
    assert "could not find Sprngfieldxx, IL" in result.message
    assert "Springfield, IL" in result.suggestions


def test_city_without_state_picks_the_most_populous_and_offers_the_others():
    result = geocode("Springfield")
    assert result.ok and result.label == "Springfield, MO"
    assert {"Springfield, IL", "Springfield, MA"} <= set(result.alternatives)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Enter a ZIP code"),
        ("123", "5 digits"),
        ("1234567", "5 digits"),
        ("00000", "could not find ZIP code 00000"),
        ("Paris, ZZ", "do not recognise the state ZZ"),
        ("zzzz", "5-digit ZIP"),
        ("Texas", "whole state"),
    ],
)
def test_unresolvable_input_says_what_to_type(text, says):
    result = geocode(text)
    assert not result.ok
    assert says in result.message
