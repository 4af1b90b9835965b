"""A patient follows a doctor's hospital affiliation to the hospital's page, and back."""

import csv
import json
import re

import pytest

from careatlas.providers.models import Organization, Practitioner
from tests.provider_factories import PractitionerFactory, RoleFactory, verify
from tests.registry_files import NAPLES_NPI, import_naples
from tests.registry_files import excerpt as _excerpt
from tests.registry_files import load as _load

pytestmark = pytest.mark.django_db

NAPLES = "/providers/hospitals/100018/naples-community-hospital/"


@pytest.fixture
def naples(content_pack, real_data, tmp_path) -> Practitioner:
    """Dr Perez-Rodriguez from Care Compare, then Florida's hospitals from CMS and HIFLD."""
    import_naples(real_data, tmp_path)
    return Practitioner.objects.get(npi=NAPLES_NPI)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_hospital_page_shows_cms_facts_and_affiliated_clinicians(patient, naples):
    html = _html(patient.get(NAPLES))
    assert '<h1 id="organization-h">Naples Community Hospital</h1>' in html
    assert "350 7th St N, Naples, FL 34102" in html
    assert 'href="tel:+12396245000"' in html
    assert "Acute Care Hospitals" in html and "Voluntary non-profit - Private" in html
    assert "3 out of 5 stars" in html and "CMS Certification Number" in html
    assert "Source: CMS Hospital General Information." in html
    assert f'href="{naples.get_absolute_url()}">Socrates Perez-Rodriguez, MD</a>' in html
    assert "Internal Medicine Physician" in html  # NUCC's name, with NUCC's attribution
    assert "NUCC Health Care Provider Taxonomy code set" in html
    crumbs = re.search(r'<nav id="breadcrumbs".*?</nav>', html, re.S)[0]
    assert "Find a doctor" in crumbs and 'aria-current="page">Naples Community Hospital' in crumbs
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    hospital = data["@graph"][0]
    assert hospital["@type"] == "Hospital" and hospital["name"] == "Naples Community Hospital"
    assert hospital["identifier"]["value"] == "100018"
    assert hospital["address"]["postalCode"] == "34102" and "geo" in hospital
    assert data["@graph"][1]["@type"] == "BreadcrumbList"


def test_the_profile_lists_registry_facts_with_their_sources(patient, naples):
    html = _html(patient.get(naples.get_absolute_url()))
    section = re.search(r'<section aria-labelledby="registry-h">.*?</section>', html, re.S)[0]
    # Care Compare names no school for him ("OTHER"), only the year.
    assert "Graduated from professional school" in section and "1981" in section
    assert "Accepts Medicare assignment" in section
    assert f'<a href="{NAPLES}">Naples Community Hospital</a>' in section
    assert "Physicians Regional Medical Center - Pine Ridge" in section
    assert section.count("Source: CMS Care Compare") == 4
    assert "Internal Medicine Physician (207R00000X)" in section
    assert "nucc.org" in section


def test_nppes_dates_show_with_the_identity_badge(patient, content_pack):
    role = RoleFactory(
        practitioner__enumerated_on="2006-05-23", practitioner__registry_updated_on="2024-02-01"
    )
    verify(role.practitioner, "identity")
    html = _html(patient.get(role.practitioner.get_absolute_url()))
    section = re.search(r'<section aria-labelledby="registry-h">.*?</section>', html, re.S)[0]
    assert "NPI assigned on" in section and "May 23, 2006" in section
    assert "Registry record last updated" in section and "Feb. 1, 2024" in section
    assert "Source: NPPES, the national NPI registry" in section
    assert "badge-verified" in section


def test_a_profile_without_registry_facts_has_no_empty_section(patient, content_pack):
    role = RoleFactory()
    assert 'aria-labelledby="registry-h"' not in _html(
        patient.get(role.practitioner.get_absolute_url())
    )


def test_a_hospital_known_only_from_affiliations_says_so(
    patient, content_pack, real_data, tmp_path
):
    dac = real_data / "providers" / "cms_dac_national_downloadable_excerpt.csv"
    _load(
        "import_care_compare",
        _excerpt(dac, tmp_path / "d.csv", lambda line: line.startswith("1215911011,")),
    )
    html = _html(patient.get(NAPLES))
    assert "We know this hospital only from clinicians’ affiliations so far" in html
    assert "Socrates Perez-Rodriguez" in html


def test_wrong_slugs_redirect_and_unknown_hospitals_are_not_found(patient, naples):
    response = patient.get("/providers/hospitals/100018/old-name/")
    assert response.status_code == 301 and response["Location"] == NAPLES
    assert patient.get("/providers/hospitals/999999/anything/").status_code == 404
    Organization.objects.filter(ccn="100018").update(active=False)
    assert patient.get(NAPLES).status_code == 404


def test_hospital_pages_are_cached_for_anonymous_visitors(patient, naples):
    first = patient.get(NAPLES)
    assert "public" in first["Cache-Control"]
    assert patient.get(NAPLES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_many_clinicians_are_listed_a_page_at_a_time_and_inactive_ones_not_at_all(patient, naples):
    hospital = Organization.objects.get(ccn="100018")
    for n in range(60):
        PractitionerFactory(last_name=f"Zz{n:02d}").hospital_affiliations.add(hospital)
    gone = PractitionerFactory(last_name="Aagone", active=False)
    gone.hospital_affiliations.add(hospital)
    first = _html(patient.get(NAPLES))
    assert "61 clinicians are listed." in first and "Page 1 of 2" in first
    assert "Aagone" not in first
    second = _html(patient.get(NAPLES + "?page=2"))
    assert "Zz59" in second and 'rel="prev"' in second


def test_a_group_practice_has_a_page_listing_its_clinicians(
    patient, content_pack, real_data, tmp_path
):
    dac = real_data / "providers" / "cms_dac_national_downloadable_excerpt.csv"
    with dac.open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    with (tmp_path / "g.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in rows:
            if row[0] == "1215925722":  # Dr Mueller, in a group practice from now on
                row[header.index(" org_nm")] = "FOX VALLEY FAMILY PHYSICIANS SC"
                row[header.index(" org_pac_id")] = "4210155301"
                writer.writerow(row)
    _load("import_care_compare", tmp_path / "g.csv")
    practice = Organization.objects.get(kind="practice")
    url = "/providers/practices/4210155301/fox-valley-family-physicians-sc/"
    html = _html(patient.get(url))
    assert "Group practice" in html and "Fox Valley Family Physicians SC" in html
    assert "Christine M Mueller" in html
    assert "Source: CMS Care Compare." in html
    profile = _html(patient.get(Practitioner.objects.get(npi="1215925722").get_absolute_url()))
    assert f'<a href="{url}">{practice.name}</a>' in profile
    assert "University of Chicago, Pritzker School of Medicine, graduated 1988" in profile


def test_hospital_pages_and_their_clinicians_are_in_the_sitemap(patient, naples):
    index = _html(patient.get("/sitemap.xml"))
    assert "/sitemap-organizations.xml" in index and "/sitemap-providers.xml" in index
    assert NAPLES in _html(patient.get("/sitemap-organizations.xml"))
    assert naples.get_absolute_url() in _html(patient.get("/sitemap-providers.xml"))
