"""An app developer reads public-registry data through the JSON API: a profile's Care Compare,
NPPES and NUCC facts with their sources, Medicare claims as evidence, and the hospital and
group practice endpoints with their clinicians.

The real Care Compare excerpt, NUCC code set and Florida's CMS hospitals are imported as an
operator would (tests/registry_files.py, shared with the hospital pages' tests); claims come
through `import_utilization` from a small file.
"""

import csv
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careatlas.procedures.models import Procedure
from careatlas.providers.medicare import DATASET, DATASET_URL
from careatlas.providers.models import Organization, Practitioner
from tests.provider_factories import PractitionerFactory, RoleFactory, add_specialty_code, verify
from tests.registry_files import NAPLES_CCN, NAPLES_NPI, excerpt, import_naples, load
from tests.utilization_files import claim, import_claims, write_claims

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
API = "/api/v1"
NAPLES_PAGE = f"/providers/hospitals/{NAPLES_CCN}/naples-community-hospital/"
FOX_VALLEY = "4210155301"
OMT = "osteopathic-manual-treatment"


@pytest.fixture
def naples(content_pack, real_data, tmp_path) -> Practitioner:
    """Dr Perez-Rodriguez from Care Compare, then Florida's hospitals from CMS and HIFLD."""
    import_naples(real_data, tmp_path)
    return Practitioner.objects.get(npi=NAPLES_NPI)


@pytest.fixture
def fox_valley(content_pack, real_data, tmp_path) -> Practitioner:
    """Dr Mueller from Care Compare, in a group practice (her rows given one)."""
    load("import_nucc", real_data / "nucc" / "nucc_taxonomy_251.csv")
    dac = real_data / "providers" / "cms_dac_national_downloadable_excerpt.csv"
    with dac.open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    with (tmp_path / "group.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in rows:
            if row[0] == "1215925722":
                row[header.index(" org_nm")] = "FOX VALLEY FAMILY PHYSICIANS SC"
                row[header.index(" org_pac_id")] = FOX_VALLEY
                writer.writerow(row)
    load("import_care_compare", tmp_path / "group.csv")
    return Practitioner.objects.get(npi="1215925722")


def _json(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:800]
    return response.json()


def _get(client, url: str, status: int = 200) -> dict:
    return _json(client.get(url.removeprefix(SITE)), status)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


# Profiles: registry facts


def test_a_profile_gives_care_compare_facts_with_their_sources(patient, naples):
    body = _get(patient, f"{API}/providers/{NAPLES_NPI}")
    registry = body["registry"]
    # Care Compare names no school for him ("OTHER"), only the year.
    assert registry["medical_school"] == {
        "name": None,
        "graduation_year": 1981,
        "source": "CMS Care Compare",
    }
    assignment = registry["medicare_assignment"]
    assert (assignment["code"], assignment["label"]) == ("Y", "Accepts Medicare assignment")
    assert assignment["note"].startswith("Takes Medicare’s approved amount as full payment")
    assert assignment["source"] == "CMS Care Compare"
    hospitals = registry["hospital_affiliations"]
    assert [h["name"] for h in hospitals] == [
        "Naples Community Hospital",
        "Physicians Regional Medical Center - Pine Ridge",
    ]
    assert hospitals[0] == {
        "name": "Naples Community Hospital",
        "ccn": NAPLES_CCN,
        "url": f"{SITE}{NAPLES_PAGE}",
        "api_url": f"{SITE}{API}/hospitals/{NAPLES_CCN}",
        "source": "CMS Care Compare",
    }
    assert registry["group_practices"] == []
    assert registry["provider_types"] == [
        {"code": "207R00000X", "name": "Internal Medicine Physician", "source": "CMS Care Compare"}
    ]
    assert "NUCC Health Care Provider Taxonomy code set" in body["taxonomy_attribution"]
    assert body["claims"] is None


def test_the_api_and_the_profile_page_say_the_same(patient, naples):
    body = _get(patient, f"{API}/providers/{NAPLES_NPI}")
    html = patient.get(naples.get_absolute_url()).content.decode()
    section = _text(
        re.search(r'<section aria-labelledby="registry-h">.*?</section>', html, re.S)[0]
    )
    registry = body["registry"]
    for hospital in registry["hospital_affiliations"]:
        assert hospital["name"] in section
        assert f'href="{hospital["url"].removeprefix(SITE)}"' in html
    for kind in registry["provider_types"]:
        assert f"{kind['name']} ({kind['code']})" in section
    assert registry["medicare_assignment"]["label"] in section
    assert body["taxonomy_attribution"] in section


def test_a_group_practice_links_both_ways(patient, fox_valley):
    body = _get(patient, f"{API}/providers/{fox_valley.npi}")
    assert body["registry"]["medical_school"] == {
        "name": "University of Chicago, Pritzker School of Medicine",
        "graduation_year": 1988,
        "source": "CMS Care Compare",
    }
    [practice] = body["registry"]["group_practices"]
    assert practice["name"] == "Fox Valley Family Physicians SC"
    assert practice["pac_id"] == FOX_VALLEY and practice["source"] == "CMS Care Compare"
    assert (
        practice["url"]
        == f"{SITE}/providers/practices/{FOX_VALLEY}/fox-valley-family-physicians-sc/"
    )
    found = _get(patient, practice["api_url"])
    assert (found["name"], found["pac_id"]) == (practice["name"], FOX_VALLEY)
    assert found["source"] == "CMS Care Compare"
    assert found["address"]["lines"][-1].startswith("Elgin, IL")
    assert "facts" not in found  # CMS's hospital facts are for hospitals only
    [mueller] = found["clinicians"]["results"]
    assert mueller["name"] == "Christine M Mueller"
    assert mueller["provider_types"] == ["Family Medicine Physician"]
    assert mueller["api_url"] == f"{SITE}{API}/providers/{fox_valley.npi}"
    assert "NUCC" in found["clinicians"]["taxonomy_attribution"]
    assert patient.get(found["url"].removeprefix(SITE)).status_code == 200


def test_nppes_dates_come_with_the_identity_badge(patient, content_pack):
    role = RoleFactory(
        practitioner__enumerated_on="2006-05-23", practitioner__registry_updated_on="2024-02-01"
    )
    verify(role.practitioner, "identity")
    body = _get(patient, f"{API}/providers/{role.practitioner.npi}")
    record = body["registry"]["npi_record"]
    assert (record["enumerated_on"], record["registry_updated_on"]) == ("2006-05-23", "2024-02-01")
    assert record["source"] == "NPPES, the national NPI registry"
    assert record["identity"]["status"] == "verified"
    assert record["identity"]["status_text"] == body["identity"]["status_text"]


def test_a_profile_without_registry_facts_says_nothing_of_them(patient, content_pack):
    role = RoleFactory()
    body = _get(patient, f"{API}/providers/{role.practitioner.npi}")
    assert body["registry"] == {
        "medical_school": None,
        "medicare_assignment": None,
        "group_practices": [],
        "hospital_affiliations": [],
        "provider_types": [],
        "npi_record": None,
    }
    assert body["claims"] is None and body["taxonomy_attribution"] is None


# Profiles: Medicare claims


@pytest.fixture
def adams(content_pack, tmp_path) -> Practitioner:
    """A DO with 2023 claims: OMT 80 + 40 services, chiropractic manipulation 900."""
    role = RoleFactory(practitioner__last_name="Adams")
    add_specialty_code(role, "204D00000X")
    npi = role.practitioner.npi
    rows = [
        claim(npi, "98925", "O", services=80),
        claim(npi, "98926", "F", services=40),
        claim(npi, "98940", "O", services=900),
    ]
    import_claims(write_claims(tmp_path / "2023.csv", rows), 2023)
    return role.practitioner


def test_claims_say_how_often_each_procedure_was_performed(patient, adams):
    body = _get(patient, f"{API}/providers/{adams.npi}")
    claims = body["claims"]
    assert (claims["source"], claims["source_url"]) == (DATASET, DATASET_URL)
    assert claims["suppression_threshold"] == 11
    assert [(c["procedure"], c["services"], c["year"]) for c in claims["procedures"]] == [
        ("chiropractic-manipulation", 900, 2023),
        (OMT, 120, 2023),
    ]
    omt = claims["procedures"][1]
    assert omt["name"] == Procedure.objects.get(slug=OMT).guides.get(language="en").title
    assert omt["text"] == "Performed 120 times for Medicare patients in 2023 (CMS)"
    assert omt["url"] == f"{SITE}/procedures/{OMT}/"
    assert _get(patient, omt["api_url"])["slug"] == OMT
    # The sentences are the profile's, without the markup.
    page = _text(patient.get(adams.get_absolute_url()).content.decode())
    for line in claims["procedures"]:
        assert line["text"] in page
    # The figures are aggregates: nothing about patients or the CPT descriptors.
    raw = patient.get(f"{API}/providers/{adams.npi}").content.decode()
    assert "beneficiar" not in raw and "CPT descriptor" not in raw


def test_claims_show_the_newest_year(patient, adams, tmp_path):
    import_claims(
        write_claims(tmp_path / "2024.csv", [claim(adams.npi, "98925", services=61)]), 2024
    )
    claims = _get(patient, f"{API}/providers/{adams.npi}")["claims"]["procedures"]
    assert [(c["procedure"], c["services"], c["year"]) for c in claims] == [
        ("chiropractic-manipulation", 900, 2023),
        (OMT, 61, 2024),
    ]
    assert claims[1]["text"] == "Performed 61 times for Medicare patients in 2024 (CMS)"


# Hospitals


def test_a_hospital_gives_cms_facts_location_and_clinicians(patient, naples):
    body = _get(patient, f"{API}/hospitals/{NAPLES_CCN}")
    assert (body["name"], body["ccn"]) == ("Naples Community Hospital", NAPLES_CCN)
    assert body["url"] == f"{SITE}{NAPLES_PAGE}"
    assert body["address"] == {
        "lines": ["350 7th St N", "Naples, FL 34102"],
        "city": "Naples",
        "state": "FL",
        "zip_code": "34102",
    }
    assert (body["phone"], body["phone_display"]) == ("2396245000", "(239) 624-5000")
    assert body["point"]["latitude"] == pytest.approx(26.15, abs=0.05)
    assert body["point"]["longitude"] == pytest.approx(-81.80, abs=0.05)
    assert body["facts"] == {
        "known": True,
        "hospital_type": "Acute Care Hospitals",
        "ownership": "Voluntary non-profit - Private",
        "emergency_services": True,
        "star_rating": 3,
        "source": "CMS Hospital General Information",
    }
    assert body["source"] == "CMS Hospital General Information"
    clinicians = body["clinicians"]
    assert (clinicians["total"], clinicians["page"], clinicians["pages"]) == (1, 1, 1)
    assert clinicians["results"] == [
        {
            "npi": NAPLES_NPI,
            "name": "Socrates Perez-Rodriguez, MD",
            "provider_types": ["Internal Medicine Physician"],
            "url": f"{SITE}{naples.get_absolute_url()}",
            "api_url": f"{SITE}{API}/providers/{NAPLES_NPI}",
        }
    ]
    assert "nucc.org" in clinicians["taxonomy_attribution"]
    assert clinicians["links"] == {
        "self": f"{SITE}{API}/hospitals/{NAPLES_CCN}",
        "next": None,
        "previous": None,
    }
    # What the hospital's page shows.
    page = _text(patient.get(NAPLES_PAGE).content.decode())
    for text in ("Acute Care Hospitals", "3 out of 5 stars", "(239) 624-5000", "350 7th St N"):
        assert text in page


def test_clinicians_come_a_page_at_a_time_and_inactive_ones_not_at_all(patient, naples):
    hospital = Organization.objects.get(ccn=NAPLES_CCN)
    for n in range(60):
        PractitionerFactory(last_name=f"Zz{n:02d}").hospital_affiliations.add(hospital)
    PractitionerFactory(last_name="Aagone", active=False).hospital_affiliations.add(hospital)
    first = _get(patient, f"{API}/hospitals/{NAPLES_CCN}?page_size=25")["clinicians"]
    assert (first["total"], first["page_size"], first["pages"]) == (61, 25, 3)
    assert first["results"][0]["name"] == "Socrates Perez-Rodriguez, MD"  # by last name
    assert "Aagone" not in str(first)
    assert first["links"]["next"] == f"{SITE}{API}/hospitals/{NAPLES_CCN}?page=2&page_size=25"
    third = _get(patient, first["links"]["next"].replace("page=2", "page=3"))["clinicians"]
    assert [p["name"] for p in third["results"]] == [f"Dana Zz{n}, DO" for n in range(49, 60)]
    assert third["links"]["next"] is None
    assert third["links"]["previous"] == f"{SITE}{API}/hospitals/{NAPLES_CCN}?page=2&page_size=25"
    seen = {p["npi"] for p in first["results"]} | {p["npi"] for p in third["results"]}
    assert len(seen) == 36
    capped = _get(patient, f"{API}/hospitals/{NAPLES_CCN}?page_size=500")["clinicians"]
    assert (capped["page_size"], len(capped["results"]), capped["pages"]) == (50, 50, 2)
    past = _get(patient, f"{API}/hospitals/{NAPLES_CCN}?page=9")["clinicians"]
    assert (past["page"], past["results"], past["total"]) == (9, [], 61)
    assert past["links"]["previous"].endswith("?page=2")


def test_a_long_clinician_list_costs_no_more_queries(patient, naples):
    def queries() -> int:
        cache.clear()  # answers are cached server side; count a fresh one
        with CaptureQueriesContext(connection) as captured:
            _get(patient, f"{API}/hospitals/{NAPLES_CCN}")
        return len(captured)

    few = queries()
    hospital = Organization.objects.get(ccn=NAPLES_CCN)
    for n in range(30):
        role = RoleFactory(practitioner__last_name=f"Many{n:02d}")
        add_specialty_code(role, "207R00000X")
        role.practitioner.hospital_affiliations.add(hospital)
    assert queries() == few


def test_a_hospital_known_only_from_affiliations_says_so(
    patient, content_pack, real_data, tmp_path
):
    dac = real_data / "providers" / "cms_dac_national_downloadable_excerpt.csv"
    load(
        "import_care_compare",
        excerpt(dac, tmp_path / "d.csv", lambda line: line.startswith(f"{NAPLES_NPI},")),
    )
    body = _get(patient, f"{API}/hospitals/{NAPLES_CCN}")
    assert body["facts"]["known"] is False
    assert body["address"] is None and body["point"] is None and body["phone"] is None
    assert body["facts"]["star_rating"] is None and body["facts"]["hospital_type"] is None
    assert [p["npi"] for p in body["clinicians"]["results"]] == [NAPLES_NPI]


def test_unknown_and_inactive_organizations_are_not_found(patient, naples):
    not_found = {
        "code": "not_found",
        "message": "No such organization is listed.",
        "field": None,
        "details": [],
    }
    assert _get(patient, f"{API}/hospitals/999999", 404)["error"] == not_found
    assert _get(patient, f"{API}/practices/{FOX_VALLEY}", 404)["error"] == not_found
    Organization.objects.filter(ccn=NAPLES_CCN).update(active=False)
    assert _get(patient, f"{API}/hospitals/{NAPLES_CCN}", 404)["error"] == not_found
    # An inactive hospital is no longer offered as a link from the profile either.
    registry = _get(patient, f"{API}/providers/{NAPLES_NPI}")["registry"]
    assert NAPLES_CCN not in {h["ccn"] for h in registry["hospital_affiliations"]}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("hospitals/10001", "ccn"),
        ("hospitals/10001x", "ccn"),
        ("practices/42101553", "pac_id"),
        (f"hospitals/{NAPLES_CCN}?page=0", "page"),
        (f"hospitals/{NAPLES_CCN}?page_size=abc", "page_size"),
        (f"practices/{FOX_VALLEY}?lang=fr", "lang"),
    ],
)
def test_bad_parameters_are_400s_naming_the_field(patient, content_pack, path, field):
    error = _get(patient, f"{API}/{path}", 400)["error"]
    assert (error["code"], error["field"]) == ("invalid_parameter", field)
