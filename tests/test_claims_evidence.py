"""A patient sees Medicare claims as evidence: on profiles, and to filter and sort a search.

Claims are loaded with `import_utilization`, as an operator would; the profile and the
search page are read through the HTTP client, and the search interface directly, on
whichever database the run uses (set DATABASE_URL for PostgreSQL too).
"""

import re
from html import unescape

import pytest

from careatlas.procedures.models import Procedure
from careatlas.providers.geocoding import geocode
from careatlas.providers.medicare import DATASET_URL
from careatlas.search.interface import GeoPoint, ProviderQuery, find_providers
from careatlas.search.interface import rebuild_provider_index as rebuild
from tests.provider_factories import (
    LocationFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    valid_npi,
)
from tests.utilization_files import claim, import_claims, write_claims

pytestmark = pytest.mark.django_db

OMT = "osteopathic-manual-treatment"
FIND = "/providers/"


def _near(zip_code: str = "10001") -> GeoPoint:
    found = geocode(zip_code)
    return GeoPoint(found.latitude, found.longitude, found.label)


@pytest.fixture
def clinic(content_pack, tmp_path):
    """Three DOs within a mile of ZIP 10001 and one in Boston, then 2023 claims:

    Adams: OMT 120, chiropractic 900 (total 1,020); Baker: OMT 450; Cruz: offers OMT with no
    claims (fewer than 11 Medicare patients, or none); Diaz (Boston): OMT 700.
    """
    people = {}
    for n, (name, lat, lon) in enumerate(
        [
            ("Adams", 40.7484, -73.9967),
            ("Baker", 40.7505, -73.9934),
            ("Cruz", 40.7527, -73.9772),
            ("Diaz", 42.3601, -71.0589),
        ],
        start=50,
    ):
        location = LocationFactory(latitude=lat, longitude=lon, line1=f"{n} Test Street")
        role = RoleFactory(
            location=location, practitioner__last_name=name, practitioner__npi=valid_npi(n)
        )
        add_specialty_code(role, "204D00000X")  # osteopathic medicine, as a guide prefills
        people[name.lower()] = role.practitioner
    offer(people["cruz"].roles.get(), Procedure.objects.get(slug=OMT))
    rebuild()
    rows = [
        claim(people["adams"].npi, "98925", "O", services=80),
        claim(people["adams"].npi, "98926", "F", services=40),
        claim(people["adams"].npi, "98940", "O", services=900),
        claim(people["baker"].npi, "98927", "O", services=450),
        claim(people["diaz"].npi, "98925", "O", services=700),
    ]
    import_claims(write_claims(tmp_path / "2023.csv", rows), 2023)
    return people


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _names(results) -> list[str]:
    return [hit.name.split(",")[0].split()[-1].lower() for hit in results.hits]


# Profiles


def test_the_profile_says_how_often_the_provider_performed_the_procedure(patient, clinic):
    html = _page(patient, clinic["adams"].get_absolute_url())
    text = _text(html)
    assert "Performed 120 times for Medicare patients in 2023 (CMS)" in text
    assert "Performed 900 times for Medicare patients in 2023 (CMS)" in text
    section = re.search(r'<section aria-labelledby="claims-h">.*?</section>', html, re.S)[0]
    assert f'href="{DATASET_URL}"' in section
    assert 'href="/procedures/osteopathic-manual-treatment/"' in section
    # Why a procedure can be missing, in the page's own words.
    assert "fewer than 11 Medicare patients in a year" in _text(section)
    # The procedures table shows the claims verification as the offer's badge.
    table = re.search(r'<table class="procedures">.*?</table>', html, re.S)[0]
    assert "via claims data" in _text(table)


def test_a_profile_without_claims_has_no_claims_section(patient, clinic):
    html = _page(patient, clinic["cruz"].get_absolute_url())
    assert 'id="claims-h"' not in html
    assert "for Medicare patients" not in html


def test_the_profile_shows_the_latest_year(patient, clinic, tmp_path):
    baker = clinic["baker"]
    import_claims(
        write_claims(tmp_path / "2024.csv", [claim(baker.npi, "98927", services=61)]), 2024
    )
    text = _text(_page(patient, baker.get_absolute_url()))
    assert "Performed 61 times for Medicare patients in 2024 (CMS)" in text
    assert "in 2023" not in text


def test_the_cpt_descriptor_never_reaches_a_page(patient, clinic):
    for person in clinic.values():
        html = _page(patient, person.get_absolute_url())
        assert "CPT descriptor" not in html
    search = _page(patient, f"{FIND}?location=10001&procedure={OMT}&sort=volume")
    assert "CPT descriptor" not in search


# Search


def test_sort_by_volume_uses_the_procedure_searched_for(clinic):
    by_omt = find_providers(ProviderQuery(procedure=OMT, near=_near(), sort="volume"))
    assert _names(by_omt) == ["baker", "adams", "cruz"]
    assert [(h.procedure_volume, h.volume_year) for h in by_omt.hits] == [
        (450, 2023),
        (120, 2023),
        (None, None),
    ]
    # Without a procedure: the total over every procedure we list.
    by_total = find_providers(ProviderQuery(near=_near(), sort="volume"))
    assert _names(by_total) == ["adams", "baker", "cruz"]
    assert [h.procedure_volume for h in by_total.hits] == [1020, 450, None]
    # The text naming one procedure counts as choosing it.
    by_text = find_providers(ProviderQuery(text="osteopathic manual", near=_near(), sort="volume"))
    assert _names(by_text) == ["baker", "adams", "cruz"]


def test_volumes_are_shown_whatever_the_order(clinic):
    nearest = find_providers(ProviderQuery(procedure=OMT, near=_near()))
    assert _names(nearest) == ["adams", "baker", "cruz"]
    assert [h.procedure_volume for h in nearest.hits] == [120, 450, None]


def test_filter_by_a_minimum_of_medicare_services(clinic):
    at_least = {
        n: _names(find_providers(ProviderQuery(procedure=OMT, near=_near(), min_volume=n)))
        for n in (1, 200, 500)
    }
    assert at_least == {1: ["adams", "baker"], 200: ["baker"], 500: []}
    # Without a procedure the total counts: Adams's chiropractic makes 1,020.
    total = find_providers(ProviderQuery(near=_near(), min_volume=1000))
    assert _names(total) == ["adams"]
    assert total.total == 1


def test_a_minimum_without_a_place_searches_the_whole_country(clinic):
    found = find_providers(ProviderQuery(procedure=OMT, min_volume=100, sort="volume"))
    assert _names(found) == ["diaz", "baker", "adams"]
    assert found.total == 3
    by_name = find_providers(ProviderQuery(procedure=OMT, min_volume=100, sort="name"))
    assert _names(by_name) == ["adams", "baker", "diaz"]


def test_the_search_page_filters_sorts_and_shows_volumes(patient, clinic):
    html = _page(patient, f"{FIND}?location=10001&procedure={OMT}&min_volume=100&sort=volume")
    cards = re.findall(
        r'<li class="provider-hit".*?</li>\s*(?=<li class="provider-hit"|</ol>)', html, re.S
    )
    texts = [_text(card) for card in cards]
    assert len(texts) == 2
    assert "Baker" in texts[0] and "450 Medicare services in 2023" in texts[0]
    assert "Adams" in texts[1] and "120 Medicare services in 2023" in texts[1]
    select = re.search(r'<select name="min_volume".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == ["100"]
    assert "Medicare claims for the procedure" in html
    # The filter is one of the page's filters: it stays in shared URLs and is counted.
    assert "min_volume=100" in unescape(re.search(r'data-query="([^"]*)"', html)[1])
    without = _page(patient, f"{FIND}?location=10001&procedure={OMT}&sort=volume")
    count = re.compile(r'<span class="filter-count"> \((\d+)\)</span>')
    assert int(count.search(html)[1]) == int(count.search(without)[1]) + 1


def test_any_minimum_can_be_shared_in_a_link(patient, clinic):
    html = _page(patient, f"{FIND}?location=10001&procedure={OMT}&min_volume=300")
    select = re.search(r'<select name="min_volume".*?</select>', html, re.S)[0]
    assert '<option value="300" selected>At least 300 a year</option>' in select
    assert "Baker" in _text(html) and "Adams" not in _text(html)


def test_a_minimum_that_is_not_a_number_is_explained(patient, clinic):
    html = _page(patient, f"{FIND}?location=10001&min_volume=lots")
    assert "Choose one of the options, or a whole number such as 50." in html
    zero = _page(patient, f"{FIND}?location=10001&min_volume=0")
    assert "The minimum must be 1 or more." in zero
