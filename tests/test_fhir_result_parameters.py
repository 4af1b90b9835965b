"""What generic FHIR clients add to a search: _summary, _total, _elements, _sort and
`Prefer: handling`, each answered as FHIR R4 describes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careatlas.search.interface import rebuild_provider_index
from tests.fhir_client import entries, extension, fhir_get, ids, link
from tests.provider_factories import PractitionerFactory
from tests.provider_search_world import Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

SUBSETTED = "SUBSETTED"
ZIP_10001 = "40.7484|-73.9967|25|mi"


@pytest.fixture
def trio(db) -> dict[str, str]:
    """Three practitioners named Quill, created in an order their names do not follow."""
    made = {}
    for first, last in (("Cora", "Quillby"), ("Abe", "Quillan"), ("Bea", "Quillan")):
        made[f"{first} {last}"] = PractitionerFactory(first_name=first, last_name=last).npi
    rebuild_provider_index()  # name searches go through the search index
    return made


@pytest.fixture
def world(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _tags(resource: dict) -> set[str]:
    return {tag["code"] for tag in resource.get("meta", {}).get("tag", ())}


def test_summary_count_gives_the_total_and_no_entries(patient, trio):
    bundle = fhir_get(patient, "/fhir/Practitioner?family=quill&_summary=count")
    assert bundle["total"] == 3
    assert "entry" not in bundle
    assert "_summary=count" in link(bundle, "self")


def test_summary_true_keeps_only_summary_elements_and_says_so(patient, trio):
    full = entries(fhir_get(patient, "/fhir/Practitioner?family=quill"))[0]
    summary = entries(fhir_get(patient, "/fhir/Practitioner?family=quill&_summary=true"))[0]
    assert summary["name"] == full["name"] and summary["identifier"] == full["identifier"]
    assert "extension" in full and "extension" not in summary  # not a summary element
    assert SUBSETTED in _tags(summary) and SUBSETTED not in _tags(full)


def test_summary_data_and_false_give_the_whole_resource(patient, trio):
    full = fhir_get(patient, "/fhir/Practitioner?family=quill")
    assert entries(fhir_get(patient, "/fhir/Practitioner?family=quill&_summary=false")) == entries(
        full
    )
    assert entries(fhir_get(patient, "/fhir/Practitioner?family=quill&_summary=data")) == entries(
        full
    )


def test_elements_keeps_the_named_elements_id_and_meta(patient, trio):
    bundle = fhir_get(patient, "/fhir/Practitioner?family=quill&_elements=name,gender")
    for practitioner in entries(bundle):
        assert set(practitioner) <= {"resourceType", "id", "meta", "name", "gender"}
        assert "name" in practitioner and SUBSETTED in _tags(practitioner)
    assert "_elements=name%2Cgender" in link(bundle, "self")


def test_elements_with_an_element_the_resource_does_not_have_is_refused(patient, trio):
    outcome = fhir_get(patient, "/fhir/Practitioner?_elements=name,shoeSize", status=400)
    assert "shoeSize" in outcome["issue"][0]["diagnostics"]


def test_a_read_takes_summary_and_elements_too(patient, trio):
    npi = trio["Abe Quillan"]
    read = fhir_get(patient, f"/fhir/Practitioner/{npi}?_elements=identifier")
    assert set(read) == {"resourceType", "id", "meta", "identifier"}
    assert "qualification" not in fhir_get(patient, f"/fhir/Practitioner/{npi}?_summary=true")
    fhir_get(patient, f"/fhir/Practitioner/{npi}?_summary=count", status=400)


def test_total_none_skips_the_count_and_still_pages(patient, trio):
    with CaptureQueriesContext(connection) as queries:
        first = fhir_get(patient, "/fhir/Practitioner?family=quill&_total=none&_count=2")
    assert "total" not in first
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert link(first, "last") is None and link(first, "next")
    second = fhir_get(patient, link(first, "next"))
    assert len(ids(first)) == 2 and len(ids(second)) == 1
    assert link(second, "next") is None
    assert set(ids(first) + ids(second)) == set(trio.values())


@pytest.mark.parametrize("mode", ["accurate", "estimate"])
def test_total_accurate_and_estimate_give_the_exact_total(patient, trio, mode):
    assert fhir_get(patient, f"/fhir/Practitioner?family=quill&_total={mode}")["total"] == 3


def test_sort_by_family_then_given_and_descending(patient, trio):
    by_name = fhir_get(patient, "/fhir/Practitioner?family=quill&_sort=family,given")
    assert ids(by_name) == [trio["Abe Quillan"], trio["Bea Quillan"], trio["Cora Quillby"]]
    backwards = fhir_get(patient, "/fhir/Practitioner?family=quill&_sort=-family,-given")
    assert ids(backwards) == ids(by_name)[::-1]
    assert "_sort=-family%2C-given" in link(backwards, "self")


def test_sort_keeps_its_order_across_pages(patient, trio):
    first = fhir_get(patient, "/fhir/Practitioner?family=quill&_sort=given&_count=2")
    second = fhir_get(patient, link(first, "next"))
    assert ids(first) + ids(second) == [
        trio["Abe Quillan"],
        trio["Bea Quillan"],
        trio["Cora Quillby"],
    ]


def test_sort_by_something_unsortable_is_refused_naming_what_is(patient, trio):
    outcome = fhir_get(patient, "/fhir/Practitioner?_sort=identifier", status=400)
    assert "family" in outcome["issue"][0]["diagnostics"]


def test_sort_with_near_is_refused_because_near_sorts_by_distance(patient, world):
    fhir_get(patient, f"/fhir/Location?near={ZIP_10001}&_sort=name", status=400)


def test_strict_handling_refuses_an_unknown_parameter(patient, trio):
    for headers in ({}, {"HTTP_PREFER": "handling=strict"}):
        outcome = fhir_get(patient, "/fhir/Practitioner?family=quill&colour=blue", 400, **headers)
        assert "colour" in outcome["issue"][0]["diagnostics"]


def test_lenient_handling_ignores_unknown_parameters_and_says_which(patient, trio):
    bundle = fhir_get(
        patient,
        "/fhir/Practitioner?family=quillan&colour=blue&_include=Practitioner:shoe",
        HTTP_PREFER="return=minimal, handling=lenient",
    )
    assert set(ids(bundle)) == {trio["Abe Quillan"], trio["Bea Quillan"]}
    (outcome,) = entries(bundle, "outcome")
    assert outcome["resourceType"] == "OperationOutcome"
    said = " ".join(issue["diagnostics"] for issue in outcome["issue"])
    assert "colour" in said and "Practitioner:shoe" in said
    assert {issue["severity"] for issue in outcome["issue"]} == {"warning"}
    assert "colour" not in link(bundle, "self")  # the self link shows what was applied
    assert bundle["total"] == 2


def test_lenient_handling_still_refuses_a_malformed_value(patient, trio):
    fhir_get(
        patient, "/fhir/Practitioner?_lastUpdated=yesterday", 400, HTTP_PREFER="handling=lenient"
    )


def test_strict_and_lenient_answers_are_cached_apart(patient, trio):
    url = "/fhir/Practitioner?family=quill&colour=blue"
    fhir_get(patient, url, 200, HTTP_PREFER="handling=lenient")
    fhir_get(patient, url, 400)
    response = patient.get(url, HTTP_PREFER="handling=lenient")
    assert response.status_code == 200 and "Prefer" in response["Vary"]


def test_lenient_includes_keep_the_known_ones(patient, world):
    bundle = fhir_get(
        patient,
        f"/fhir/PractitionerRole?location.near={ZIP_10001}"
        "&_include=PractitionerRole:location&_include=PractitionerRole:nowhere",
        HTTP_PREFER="handling=lenient",
    )
    assert entries(bundle, "include") and entries(bundle, "outcome")
    assert all(extension(e["search"], "http://hl7.org/fhir/StructureDefinition/location-distance")
               for e in bundle["entry"] if e["search"]["mode"] == "match")  # fmt: skip


def test_metadata_says_strict_is_the_default(patient):
    statement = fhir_get(patient, "/fhir/metadata")
    documentation = statement["rest"][0]["documentation"]
    assert "handling=lenient" in documentation and "strict" in documentation


@pytest.mark.parametrize(
    "search",
    [
        f"Location?near={ZIP_10001}",
        f"PractitionerRole?location.near={ZIP_10001}",
        f"PractitionerRole?specialty=204D00000X&location.near={ZIP_10001}",
    ],
)
def test_summary_count_near_a_point_counts_what_a_page_finds(patient, world, search):
    full = fhir_get(patient, f"/fhir/{search}&_count=100")
    counted = fhir_get(patient, f"/fhir/{search}&_summary=count")
    assert counted["total"] == full["total"] == len(ids(full)) > 0
    assert "entry" not in counted
