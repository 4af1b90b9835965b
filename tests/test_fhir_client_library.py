"""A plan's app reads the directory with fhirpy, a maintained FHIR client library, over real
HTTP: searches, paging, includes, counts and reads work the way the library expects."""

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from tests.provider_factories import PractitionerFactory
from tests.provider_search_world import OSTEOPATHIC, Neighbourhood, build_neighbourhood

# The server runs in another thread, so the data must be committed for it to see.
pytestmark = pytest.mark.django_db(transaction=True)

NUCC = "http://nucc.org/provider-taxonomy"
ZIP_10001 = "40.7484|-73.9967|25|mi"


@pytest.fixture
def directory_url(live_server, settings) -> str:
    # Bundle links are built from SITE_URL; point it at the live server so they can be followed.
    settings.SITE_URL = live_server.url
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    return f"{live_server.url}/fhir"


@pytest.fixture
def fhir(directory_url) -> SyncFHIRClient:
    return SyncFHIRClient(directory_url, extra_headers={"Accept": "application/fhir+json"})


@pytest.fixture
def lenient_fhir(directory_url) -> SyncFHIRClient:
    return SyncFHIRClient(
        directory_url,
        extra_headers={"Accept": "application/fhir+json", "Prefer": "handling=lenient"},
    )


@pytest.fixture
def world(content_pack) -> Neighbourhood:
    return build_neighbourhood()


@pytest.fixture
def kellers(db) -> list[str]:
    return [PractitionerFactory(first_name=f"K{i}", last_name="Keller").npi for i in range(7)]


def test_search_fetch_all_follows_next_links_to_every_match(fhir, kellers):
    found = fhir.resources("Practitioner").search(family="keller").limit(3).fetch_all()
    assert sorted(p["id"] for p in found) == sorted(kellers)


def test_sorted_search_comes_back_in_the_asked_order(fhir, kellers):
    found = fhir.resources("Practitioner").search(family="keller").sort("-given").fetch_all()
    assert [p["name"][0]["given"][0] for p in found] == [f"K{i}" for i in range(6, -1, -1)]


def test_count_needs_lenient_handling_for_fhirpys_extra_parameter(fhir, lenient_fhir, kellers):
    # fhirpy's count() sends _count=0 and _totalMethod=count, a parameter of another server.
    assert lenient_fhir.resources("Practitioner").search(family="keller").count() == 7
    with pytest.raises(OperationOutcome, match="_totalMethod"):
        fhir.resources("Practitioner").search(family="keller").count()


def test_summary_count_and_total_through_fetch_raw(fhir, kellers):
    counted = fhir.resources("Practitioner").search(family="keller", _summary="count").fetch_raw()
    assert counted["total"] == 7 and not counted.get("entry")
    uncounted = fhir.resources("Practitioner").search(family="keller", _total="none").fetch_raw()
    assert "total" not in uncounted and len(uncounted["entry"]) == 7


def test_elements_trims_what_the_library_gets(fhir, kellers):
    (first,) = fhir.resources("Practitioner").search(_id=kellers[0]).elements("name").fetch()
    assert set(first) <= {"resourceType", "id", "meta", "name"}


def test_read_by_id_and_by_reference(fhir, kellers):
    read = fhir.get("Practitioner", kellers[0])
    assert read["identifier"][0]["value"] == kellers[0]
    assert fhir.reference("Practitioner", kellers[1]).to_resource()["id"] == kellers[1]
    with pytest.raises(ResourceNotFound):
        fhir.get("Practitioner", "1234567893")


def test_roles_near_with_includes_resolve_their_references(fhir, world):
    bundle = (
        fhir.resources("PractitionerRole")
        .search(specialty=f"{NUCC}|{OSTEOPATHIC}", **{"location.near": ZIP_10001})
        .include("PractitionerRole", "practitioner")
        .include("PractitionerRole", "location")
        .fetch_raw()
    )
    matches = [e for e in bundle["entry"] if e["search"]["mode"] == "match"]
    included = {e["fullUrl"] for e in bundle["entry"] if e["search"]["mode"] == "include"}
    assert matches
    for entry in matches:
        role = entry["resource"]
        for target in (role["practitioner"]["reference"], role["location"][0]["reference"]):
            assert any(url.endswith("/" + target) for url in included), target


def test_revinclude_brings_each_locations_roles(fhir, world):
    bundle = (
        fhir.resources("Location")
        .search(near=ZIP_10001)
        .revinclude("PractitionerRole", "location")
        .fetch_raw()
    )
    locations = {e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "match"}
    roles = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert roles and {r["location"][0]["reference"].split("/")[1] for r in roles} <= locations


def test_an_unknown_parameter_is_an_operation_outcome_the_library_raises(fhir, kellers):
    with pytest.raises(OperationOutcome, match="colour"):
        fhir.resources("Practitioner").search(colour="blue").fetch()
