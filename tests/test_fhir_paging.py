"""A directory client pages through search results by following the Bundle's links."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careatlas.procedures.models import Procedure
from careatlas.search.interface import rebuild_provider_index
from tests.fhir_client import fhir_get, ids, link
from tests.provider_factories import (
    LocationFactory,
    PractitionerFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)
from tests.provider_search_world import OSTEOPATHIC, build_neighbourhood

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(db) -> list[str]:
    """Seven practitioners named Paget, in id order, indexed for name search."""
    made = [PractitionerFactory(last_name=f"Paget{i}").npi for i in range(7)]
    rebuild_provider_index()
    return made


def _follow(patient, url: str, relation: str = "next") -> list[dict]:
    bundles = []
    while url:
        bundles.append(fhir_get(patient, url))
        url = link(bundles[-1], relation)
        assert len(bundles) < 50, "links never end"
    return bundles


def test_next_links_walk_every_match_once_then_stop(patient, seven, settings):
    settings.SITE_URL = "https://directory.example"
    bundles = _follow(patient, "/fhir/Practitioner?family=paget&_count=3")

    assert [len(ids(b)) for b in bundles] == [3, 3, 1]
    assert [i for b in bundles for i in ids(b)] == seven
    assert {b["total"] for b in bundles} == {7}
    first = bundles[0]
    assert link(first, "self").startswith("https://directory.example/fhir/Practitioner?")
    assert link(first, "previous") is None
    assert link(first, "last") == link(bundles[-1], "self")
    assert all(link(b, "first") == link(first, "self") for b in bundles)


def test_previous_links_walk_back_to_the_first_page(patient, seven):
    last = fhir_get(patient, "/fhir/Practitioner?family=paget&_count=2&page=4")
    back = _follow(patient, link(last, "self"), "previous")
    assert [ids(b) for b in back] == [seven[6:], seven[4:6], seven[2:4], seven[:2]]


def test_paging_keeps_every_other_parameter(patient, seven):
    page = fhir_get(patient, "/fhir/Practitioner?family:contains=aget&given=dana&_count=5")
    assert "family%3Acontains=aget" in link(page, "next")
    assert "given=dana" in link(page, "next")
    assert ids(fhir_get(patient, link(page, "next"))) == seven[5:]


def test_count_zero_gives_the_total_only_and_large_counts_are_capped(patient, seven):
    counted = fhir_get(patient, "/fhir/Practitioner?family=paget&_count=0")
    assert counted["total"] == 7 and "entry" not in counted
    capped = fhir_get(patient, "/fhir/Practitioner?family=paget&_count=5000")
    assert "_count=100" in link(capped, "self")
    assert len(ids(capped)) == 7


def test_a_page_past_the_end_is_empty_and_points_back(patient, seven):
    beyond = fhir_get(patient, "/fhir/Practitioner?family=paget&_count=3&page=9")
    assert beyond["total"] == 7 and "entry" not in beyond
    assert "page=3" in link(beyond, "previous")
    assert link(beyond, "next") is None


def test_default_page_size_is_twenty(patient, db):
    for i in range(23):
        PractitionerFactory(last_name=f"Many{i}")
    rebuild_provider_index()
    first = fhir_get(patient, "/fhir/Practitioner?family=many")
    assert len(ids(first)) == 20 and "_count=20" in link(first, "self")


def test_near_results_page_in_distance_order(patient, content_pack):
    build_neighbourhood()
    # Two more people in the same building as the nearest, so ties break by id.
    for _ in range(2):
        RoleFactory(location=LocationFactory(latitude=40.7506, longitude=-73.9972))
    rebuild_provider_index()
    query = "/fhir/PractitionerRole?location.near=40.7484|-73.9967|100|mi&_count=2"
    pages = _follow(patient, query)
    distances = [
        entry["search"]["extension"][0]["valueDistance"]["value"]
        for page in pages
        for entry in page.get("entry", ())
    ]
    assert len(distances) == pages[0]["total"] == 7  # Farrow is in Los Angeles
    assert distances == sorted(distances)
    all_ids = [i for page in pages for i in ids(page)]
    assert len(set(all_ids)) == len(all_ids)


def test_a_page_costs_the_same_queries_however_many_resources_it_holds(patient, content_pack):
    def add_roles(count: int) -> None:
        for _ in range(count):
            role = RoleFactory()
            add_specialty_code(role, OSTEOPATHIC)
            verify(role.practitioner, "identity")
            verify(role, "specialty")
            offer(role, Procedure.objects.get(slug="osteopathic-manual-treatment"))

    def queries() -> int:
        cache.clear()  # neither the page cache nor the rate limit may hide a query
        with CaptureQueriesContext(connection) as captured:
            bundle = fhir_get(
                patient,
                f"/fhir/PractitionerRole?specialty={OSTEOPATHIC}&_include=PractitionerRole:"
                "practitioner&_include=PractitionerRole:location&_include=PractitionerRole:"
                "organization&_include=PractitionerRole:service",
            )
        assert bundle["total"] == len(ids(bundle))
        return len(captured)

    add_roles(2)
    few = queries()
    add_roles(8)
    assert queries() == few
