"""The gazetteer knows US places the way people say them (issue 15); these are its tuning cases.

The measure on strings the tuning never saw is tests/test_place_resolution.py.
"""

import pytest

from careatlas.providers.gazetteer_source import PLACES_FILE, extract_places, read_places
from careatlas.providers.geocoding import distance_miles, geocode


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Queens", "Queens, NY"),
        ("Queens, NY", "Queens, NY"),
        ("queens ny", "Queens, NY"),
        ("Brooklyn", "Brooklyn, NY"),
        ("Bronx", "The Bronx, NY"),
        ("Chicago", "Chicago, IL"),
        ("NYC", "New York City, NY"),
        ("LA", "Los Angeles, CA"),
        ("DC", "Washington, DC"),
        ("Baton Rouge, LA", "Baton Rouge, LA"),
        ("Ft. Myers", "Fort Myers, FL"),
        ("Mt Pleasant, SC", "Mount Pleasant, SC"),
        ("Saint Louis, MO", "St. Louis, MO"),
        ("Chicago, Ill.", "Chicago, IL"),
        ("Cook County", "Cook County, IL"),
        ("Orleans Parish", "Orleans Parish, LA"),
    ],
)
def test_places_as_people_name_them(typed, label):
    found = geocode(typed)
    assert found.ok, found.message
    assert found.label == label
    assert not found.corrected


def test_queens_ny_is_the_borough_not_queensbury():
    queens, queensbury = geocode("Queens, NY"), geocode("Queensbury, NY")
    assert distance_miles(queens.point, queensbury.point) > 150
    assert distance_miles(queens.point, geocode("11375").point) < 5


@pytest.mark.parametrize(
    ("typed", "label"),
    [("Chicgo", "Chicago, IL"), ("Sna Diego", "San Diego, CA"), ("Huston", "Houston, TX")],
)
def test_misspellings_within_two_letters_are_read_as_the_place(typed, label):
    found = geocode(typed)
    assert found.ok and found.corrected
    assert found.label == label


def test_a_typo_of_a_big_city_still_offers_the_small_place_spelt_that_way():
    assert "Huston, ID" in geocode("Huston").alternatives


def test_a_bare_city_picks_the_most_populous_and_offers_the_others():
    found = geocode("Portland")
    assert found.label == "Portland, OR"
    assert "Portland, ME" in found.alternatives


def test_a_state_alone_asks_for_a_city_and_offers_its_biggest():
    found = geocode("Texas")
    assert not found.ok
    assert found.suggestions[:3] == ["Houston, TX", "San Antonio, TX", "Dallas, TX"]
    assert geocode("Washington").label == "Washington, DC"  # the city people mean


def test_an_unknown_place_offers_the_nearest_spellings():
    found = geocode("Albuqxyz")
    assert not found.ok
    assert "could not find Albuqxyz" in found.message


def test_an_address_is_placed_by_its_zip():
    assert geocode("350 5th Ave, New York, NY 10118-0110").label == "10118 (New York, NY)"


def test_the_place_list_in_the_repository_is_the_packages_us_rows():
    rows = read_places(PLACES_FILE)
    extracted = extract_places()
    assert len(rows) == len(extracted) > 20_000
    first = extracted[0]
    assert (rows[0]["geonameid"], rows[0]["name"], rows[0]["state"]) == tuple(
        str(v) for v in first[:3]
    )
    assert PLACES_FILE.read_text(encoding="utf-8").startswith("# US places from GeoNames")
