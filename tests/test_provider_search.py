"""Provider search: a patient looks for a provider near a place, by name, specialty or need.

Runs through the search interface (`careatlas.search.interface`) on whichever database the
test run uses; run it with DATABASE_URL set too, so SQLite and PostgreSQL both answer.
Each test gets the directory of tests/provider_search_world.py (the real content pack, named
providers at measured distances) inside its own transaction.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from careatlas.providers.geocoding import distance_miles
from careatlas.providers.models import Practitioner
from careatlas.search.interface import (
    MAX_PAGE_SIZE,
    GeoPoint,
    ProviderQuery,
    autocomplete_providers,
    find_providers,
    rebuild_provider_index,
    reindex_practitioners,
)
from tests.provider_search_world import build_directory, moved, provider, zip_point

pytestmark = pytest.mark.django_db


def point(place: GeoPoint) -> tuple[float, float]:
    return (place.latitude, place.longitude)


@pytest.fixture
def directory(content_pack) -> SimpleNamespace:
    return build_directory()


def names(results) -> list[str]:
    return [hit.name.split(",")[0] for hit in results.hits]


def near(directory, **fields) -> ProviderQuery:
    return ProviderQuery(near=directory.nyc, **fields)


def test_specialty_near_a_zip_comes_back_nearest_first_with_what_a_card_shows(directory):
    results = find_providers(near(directory, specialty="osteopathic-medicine"))
    assert names(results) == [
        "Dana Rodriguez",
        "Dora Diagonal",
        "Ina Insideedge",
    ]
    assert results.total == 3
    dana = results.hits[0]
    assert dana.distance_miles == pytest.approx(0, abs=1e-6)
    assert dana.specialties == ["Osteopathic Medicine"]
    assert dana.npi == directory.dana.npi
    assert dana.url == directory.dana.get_absolute_url()
    assert dana.address == "12 Example Street, New York, NY 10001"
    assert (dana.verified, dana.board_certified) == (True, True)
    assert (dana.accepting_new_patients, dana.telehealth, dana.is_demo) == (True, True, False)
    assert [round(h.distance_miles, 2) for h in results.hits[1:]] == [24.97, 24.99]


def test_the_radius_edge_is_cut_at_the_exact_distance(directory):
    results = find_providers(near(directory, radius_miles=25))
    found = set(names(results))
    assert {"Ina Insideedge", "Dora Diagonal"} <= found
    assert not {"Otto Outsideedge", "Olga Southwest"} & found
    wider = set(names(find_providers(near(directory, radius_miles=50))))
    assert {"Otto Outsideedge", "Olga Southwest"} <= wider
    assert all(h.distance_miles <= 25 for h in results.hits)


def test_distances_match_known_ones(directory):
    # New York 10001 to San Francisco 94103 is about 4,129 km.
    sf = zip_point("94103")
    miles = distance_miles(point(directory.nyc), point(sf))
    assert miles * 1.609344 == pytest.approx(4129, abs=5)
    far = find_providers(near(directory, radius_miles=100, text="Adelphia"))
    (phil,) = far.hits
    # ZIP centroids 10001 and 19103 are 82.9 miles (133.5 km) apart.
    assert phil.distance_miles * 1.609344 == pytest.approx(133.5, abs=0.1)
    assert find_providers(near(directory, radius_miles=50, text="Adelphia")).total == 0


def test_alaska_and_hawaii_are_searched_like_anywhere_else(directory):
    around = lambda point, **f: ProviderQuery(near=point, **f)  # noqa: E731
    assert names(find_providers(around(directory.anchorage, radius_miles=5))) == ["Aleq Northstar"]
    (east,) = find_providers(around(directory.fairbanks, radius_miles=25)).hits
    assert east.distance_miles == pytest.approx(20, abs=0.01)
    assert find_providers(around(directory.fairbanks, radius_miles=10)).total == 0
    assert names(find_providers(around(directory.honolulu, radius_miles=5))) == ["Kai Makani"]
    everyone_near_nyc = names(find_providers(near(directory, radius_miles=100, page_size=50)))
    assert not {"Aleq Northstar", "Kai Makani", "Nuna Eastfair"} & set(everyone_near_nyc)


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"accepting_new_patients": True}, {"Dana Rodriguez", "Priya Shah"}),
        ({"telehealth": True}, {"Dana Rodriguez"}),
        ({"insurance": "harbor-ppo"}, {"Dana Rodriguez"}),
        ({"language": "es"}, {"Dana Rodriguez"}),
        ({"language": "hi"}, {"Priya Shah"}),
        ({"sex": "male"}, {"Sam Okafor"}),
        ({"board_certified": True}, {"Dana Rodriguez"}),
        ({"verified": True}, {"Dana Rodriguez", "Priya Shah"}),
        ({"accessibility": ("step_free",)}, {"Dana Rodriguez", "Priya Shah"}),
        ({"accessibility": ("step_free", "elevator")}, {"Dana Rodriguez"}),
        ({"specialty": "chiropractic"}, {"Sam Okafor"}),
        ({"procedure": "chiropractic-manipulation"}, {"Sam Okafor"}),
        ({"procedure": "osteopathic-manual-treatment"}, {"Dana Rodriguez"}),
        ({"sex": "female", "verified": True, "language": "hi"}, {"Priya Shah"}),
    ],
)
def test_every_filter_keeps_only_the_providers_that_fit(directory, fields, expected):
    results = find_providers(near(directory, radius_miles=15, **fields))
    assert set(names(results)) == expected
    assert results.total == len(expected)


def test_verified_follows_the_clock_without_a_reindex(directory, monkeypatch):
    # The index stores until when each fact stays current, so badges age on their own:
    # verifications made 10 days ago are stale 200 days from now.
    query = near(directory, radius_miles=15, verified=True)
    assert find_providers(query).total == 2
    later = timezone.localdate() + datetime.timedelta(days=200)
    monkeypatch.setattr(timezone, "localdate", lambda: later)
    assert find_providers(query).total == 0


def test_sorts_by_distance_name_rating_and_volume(directory):
    by_distance = names(find_providers(near(directory, radius_miles=15)))
    assert by_distance == ["Dana Rodriguez", "Priya Shah", "Sam Okafor"]
    by_name = find_providers(near(directory, radius_miles=15, sort="name"))
    assert names(by_name) == ["Sam Okafor", "Dana Rodriguez", "Priya Shah"]
    # Nobody has enough reviews for a rating: rating ties, and distance decides.
    by_rating = find_providers(near(directory, radius_miles=15, sort="rating"))
    assert names(by_rating) == by_distance
    by_volume = find_providers(near(directory, radius_miles=15, sort="volume"))
    assert names(by_volume) == by_distance
    assert any("volume" in note for note in by_volume.notes)
    # A minimum rating leaves out everyone without enough reviews (tests/test_review_search).
    assert find_providers(near(directory, radius_miles=15, min_rating=4.5)).total == 0


def test_pages_are_capped_and_consecutive(directory):
    for n in range(MAX_PAGE_SIZE + 5):
        provider("Pat", f"Pager{n:02d}", moved(directory.nyc, 40 + n / 10, 270))
    reindex_practitioners(
        Practitioner.objects.filter(last_name__startswith="Pager").values_list("pk", flat=True)
    )
    query = dict(radius_miles=50, text="pat", sort="name")
    first = find_providers(near(directory, page_size=500, **query))
    assert first.page_size == MAX_PAGE_SIZE and len(first.hits) == MAX_PAGE_SIZE
    assert first.total == MAX_PAGE_SIZE + 5 and first.pages == 2
    second = find_providers(near(directory, page=2, page_size=500, **query))
    assert names(second) == [f"Pat Pager{n:02d}" for n in range(50, 55)]
    assert names(first)[:2] == ["Pat Pager00", "Pat Pager01"]
    beyond = find_providers(near(directory, page=9, page_size=500, **query))
    assert beyond.hits == [] and beyond.total == MAX_PAGE_SIZE + 5 and beyond.page > beyond.pages


def test_empty_results_say_why(directory):
    ocean = ProviderQuery(near=GeoPoint(35.0, -40.0), radius_miles=100)
    assert find_providers(ocean).total == 0
    nonsense = find_providers(near(directory, text="qwxzv"))
    assert nonsense.total == 0 and nonsense.notes
    unknown = find_providers(near(directory, specialty="astrology"))
    assert unknown.total == 0 and "astrology" in unknown.notes[0]


@pytest.mark.parametrize("typed", ["Rodriguez", "rodriguez", "Rodriguz", "Rodrigez", "Rodrig"])
def test_names_are_found_with_typos_and_partial_words(directory, typed):
    results = find_providers(near(directory, text=typed))
    assert names(results) == ["Dana Rodriguez"]
    if typed.lower() in ("rodriguz", "rodrigez"):
        assert results.corrected_text == "rodriguez"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("manipulative", ["Dana Rodriguez", "Sam Okafor"]),
        ("manipulatve", ["Dana Rodriguez", "Sam Okafor"]),
        ("osteopathic manipulative treatment", ["Dana Rodriguez"]),
        ("chiropractor", ["Sam Okafor"]),
        ("physio", ["Priya Shah"]),
        ("low back pain", ["Dana Rodriguez", "Sam Okafor"]),
        ("Dr Rodriguez DO", ["Dana Rodriguez"]),
        ("okafor chiropractic", ["Sam Okafor"]),
        ("okafor osteopathic", []),
    ],
)
def test_text_finds_specialties_procedures_and_conditions(directory, typed, expected):
    assert names(find_providers(near(directory, radius_miles=15, text=typed))) == expected


def test_without_a_place_search_is_nationwide_by_name(directory):
    results = find_providers(ProviderQuery(text="rodriguez"))
    assert names(results) == ["Dana Rodriguez"]
    assert results.hits[0].distance_miles is None
    every_do = find_providers(ProviderQuery(specialty="osteopathic-medicine"))
    assert names(every_do)[:3] == ["Phil Adelphia", "Dora Diagonal", "Nuna Eastfair"]
    assert every_do.total == 9 and not every_do.total_is_lower_bound  # Ivy is inactive


@pytest.mark.parametrize("typed", ["rod", "Rodrig", "Rodrigz", "dana rod", "DANA RODRIGUEZ"])
def test_autocomplete_suggests_names_as_they_are_typed(directory, typed):
    suggestions = autocomplete_providers(typed)
    assert [s.label for s in suggestions] == ["Dana Rodriguez, DO"]
    assert suggestions[0].url == directory.dana.get_absolute_url()
    assert suggestions[0].npi == directory.dana.npi
    assert suggestions[0].detail == "New York, NY"


def test_autocomplete_waits_for_two_letters(directory):
    assert autocomplete_providers("r") == []
    assert autocomplete_providers("  ") == []


def test_deactivated_providers_are_hidden_until_reactivated(
    directory, django_capture_on_commit_callbacks
):
    assert find_providers(near(directory, text="Ivy")).total == 0
    assert autocomplete_providers("ivy") == []
    with django_capture_on_commit_callbacks(execute=True):
        Practitioner.objects.filter(pk=directory.hidden.pk).update(active=True)
        directory.hidden.refresh_from_db()
        directory.hidden.save()
    assert names(find_providers(near(directory, text="Ivy"))) == ["Ivy Rodriguez"]
    with django_capture_on_commit_callbacks(execute=True):
        directory.dana.active = False
        directory.dana.save()
    assert names(find_providers(near(directory, text="Rodriguez"))) == ["Ivy Rodriguez"]


def test_an_admin_edit_is_searchable_once_saved(
    directory, admin_client, django_capture_on_commit_callbacks
):
    sam = directory.sam
    form = {
        "npi": sam.npi,
        "first_name": "Sam",
        "last_name": "Okonkwo",
        "credentials": "DC",
        "sex": "male",
        "languages": "en, fr",
        "education": sam.education,
        "active": "on",
    }
    for prefix in ("licenses", "certifications", "roles", "verifications"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/providers/practitioner/{sam.pk}/change/", form)
    assert response.status_code == 302
    assert names(find_providers(near(directory, text="Okonkwo", language="fr"))) == ["Sam Okonkwo"]
    assert find_providers(near(directory, text="Okafor")).total == 0
    assert [s.label for s in autocomplete_providers("okonk")] == ["Sam Okonkwo, DC"]


def test_moving_a_location_moves_its_providers(directory, django_capture_on_commit_callbacks):
    place = directory.priya.roles.get().location
    with django_capture_on_commit_callbacks(execute=True):
        place.latitude, place.longitude = moved(directory.nyc, 30, 0)
        place.save()
    assert "Priya Shah" not in names(find_providers(near(directory, radius_miles=25)))
    (priya,) = find_providers(near(directory, radius_miles=50, text="shah")).hits
    assert priya.distance_miles == pytest.approx(30, abs=0.01)


def test_seeded_demo_providers_are_indexed_with_the_models_rules(directory):
    call_command("seed_demo_providers", count=120, seed=5, chunk=60, verbosity=0)
    rebuild_provider_index()
    demo = Practitioner.objects.demo().active()
    verified = set(demo.verified().values_list("pk", flat=True))
    some = demo.order_by("pk").first()
    place = some.roles.first().location
    results = find_providers(
        ProviderQuery(near=GeoPoint(place.latitude, place.longitude), radius_miles=5, page_size=50)
    )
    assert some.pk in {h.practitioner_id for h in results.hits}
    for hit in results.hits:
        if hit.is_demo:
            assert hit.verified == (hit.practitioner_id in verified), hit.name
    nationwide = find_providers(ProviderQuery(verified=True, page_size=50))
    assert nationwide.total == len(verified) + 2  # and Dana and Priya


def test_renamed_providers_reindexed_together_keep_name_order(directory):
    """Several names change at once (an NPPES update): each lands in its new place."""
    every_do = Practitioner.objects.filter(
        roles__specialties__specialty__slug="osteopathic-medicine", active=True
    ).distinct()
    renamed = list(every_do.order_by("pk")[:5])
    for practitioner, last_name in zip(
        renamed, ["Zimmer", "Aaronson", "Mills", "Abbot", "Young"], strict=True
    ):
        practitioner.last_name = last_name
    Practitioner.objects.bulk_update(renamed, ["last_name"])  # no receivers: index is stale
    reindex_practitioners([p.pk for p in renamed])
    found = find_providers(ProviderQuery(specialty="osteopathic-medicine", page_size=20))
    last_names = [name.split()[-1] for name in names(found)]
    assert {"Zimmer", "Aaronson", "Mills", "Abbot", "Young"} <= set(last_names)
    assert last_names == sorted(last_names)
