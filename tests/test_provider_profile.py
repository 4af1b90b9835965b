"""A patient opens a provider's profile: every fact with its badge, and machine-readable data."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from careatlas.procedures.models import Procedure
from careatlas.providers.services import directory_changed
from tests.provider_factories import (
    CertificationFactory,
    InsurancePlanFactory,
    LicenseFactory,
    LocationFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # Page caches and rate-limit counters live in the cache; each test starts clean.
    cache.clear()


@pytest.fixture
def dr_reyes(content_pack):
    """Dr Dana Reyes, DO: one practice in Manhattan, osteopathic manual treatment, two plans."""
    location = LocationFactory(organization__name="Riverside Spine Clinic")
    role = RoleFactory(
        location=location,
        practitioner__first_name="Dana",
        practitioner__last_name="Reyes",
        practitioner__credentials=["d.o."],
        practitioner__bio="Treats back and neck pain with hands-on care.",
    )
    practitioner = role.practitioner
    add_specialty_code(role, "204D00000X")
    omt = offer(
        role, Procedure.objects.get(slug="osteopathic-manual-treatment"), Decimal(80), Decimal(120)
    )
    role.insurance_plans.add(InsurancePlanFactory(name="Example Health PPO"))
    license_ = LicenseFactory(practitioner=practitioner, number="301234")
    CertificationFactory(practitioner=practitioner)
    verify(practitioner, "identity", days_ago=20)
    verify(license_, "license", days_ago=20, method="document")
    verify(location, "phone", days_ago=400, method="office_confirmation")
    verify(omt, "procedure_offered", days_ago=30, method="claims_data")
    return practitioner


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_npi_alone_and_a_wrong_slug_redirect_to_the_canonical_profile(patient, dr_reyes):
    canonical = f"/providers/{dr_reyes.npi}/dana-reyes/"
    assert dr_reyes.get_absolute_url() == canonical
    for url in (f"/providers/{dr_reyes.npi}/", f"/providers/{dr_reyes.npi}/old-name/"):
        response = patient.get(url)
        assert response.status_code == 301
        assert response["Location"] == canonical


def test_profile_shows_every_fact_with_its_badge(patient, dr_reyes):
    html = _html(patient.get(dr_reyes.get_absolute_url()))
    assert html.count("<h1") == 1
    assert "Dana Reyes, DO</h1>" in html  # credentials normalised from "d.o."
    assert "Osteopathic Medicine" in html  # NUCC 204D00000X mapped to our specialty
    assert "Verified provider" in html
    assert "12 Example Street, New York, NY 10001" in html
    assert '<a href="tel:+12125550123">(212) 555-0123</a>' in html
    assert "May be out of date" in html  # the phone was checked 400 days ago
    assert "via claims data" in html
    assert "via document review" in html
    assert "Step-free entrance" in html and "Accessible parking" in html
    assert "Video or phone visits available" in html
    assert "Monday</th><td>8 a.m.–5 p.m.</td>" in html
    assert "Saturday</th><td>Closed</td>" in html
    assert (
        '<a href="/procedures/osteopathic-manual-treatment/">Osteopathic Manual Treatment</a>'
        in html
    )
    assert "$80–$120" in html
    assert "Example Health PPO" in html
    assert "English, Spanish" in html
    assert "Neuromusculoskeletal Medicine" in html
    assert "NY 301234" in html
    assert "Request a consultation" in html
    assert f'href="/providers/{dr_reyes.npi}/report/"' in html


def test_real_profiles_carry_no_demo_label_and_demo_profiles_always_do(patient, dr_reyes):
    html = _html(patient.get(dr_reyes.get_absolute_url()))
    assert "Demo data" not in html
    assert 'content="noindex"' not in html
    dr_reyes.is_demo = True
    dr_reyes.save()
    directory_changed()  # as the admin does after an edit
    html = _html(patient.get(dr_reyes.get_absolute_url()))
    assert "Demo data – this provider is synthetic." in html
    assert '<meta name="robots" content="noindex">' in html


def test_json_ld_describes_the_physician_and_the_clinic(patient, dr_reyes):
    data = _json_ld(_html(patient.get(dr_reyes.get_absolute_url())))
    nodes = {node["@type"]: node for node in data["@graph"]}
    physician, clinic = nodes["Physician"], nodes["MedicalClinic"]
    assert physician["name"] == "Dana Reyes, DO"
    assert physician["identifier"]["value"] == dr_reyes.npi
    assert physician["medicalSpecialty"] == ["Osteopathic Medicine"]
    assert physician["isAcceptingNewPatients"] is True
    assert physician["address"][0]["postalCode"] == "10001"
    assert physician["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 40.7484,
        "longitude": -73.9967,
    }
    assert physician["memberOf"] == [{"@id": clinic["@id"]}]
    assert clinic["name"] == "Riverside Spine Clinic"
    assert clinic["telephone"] == "+12125550123"
    assert clinic["openingHoursSpecification"][0]["opens"] == "08:00"
    assert [c["name"] for c in nodes["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "Find a doctor",
        "Dana Reyes",
    ]


def test_json_ld_cannot_be_broken_out_of(patient, dr_reyes):
    dr_reyes.last_name = "</script><script>alert(1)</script>"
    dr_reyes.save()
    directory_changed()
    response = patient.get(dr_reyes.get_absolute_url(), follow=True)
    html = _html(response)
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["@graph"][0]["name"].startswith("Dana </script>")


def test_page_is_csp_clean_and_accessible_in_structure(patient, dr_reyes):
    response = patient.get(dr_reyes.get_absolute_url())
    html = _html(response)
    assert "Content-Security-Policy" in response.headers
    assert " style=" not in html
    # Only external scripts and JSON data blocks (never executed) may appear.
    assert re.findall(r"<script(?![^>]*(?:src=|application/(?:ld\+)?json))", html) == []
    for landmark in ("<main", "<header", "<nav", "<footer"):
        assert landmark in html
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_profile_is_cached_for_anonymous_visitors(patient, dr_reyes):
    first = patient.get(dr_reyes.get_absolute_url())
    assert "public" in first["Cache-Control"]
    again = patient.get(dr_reyes.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_profile_costs_a_fixed_number_of_queries(patient, dr_reyes, django_assert_max_num_queries):
    second = RoleFactory(practitioner=dr_reyes)
    offer(second, Procedure.objects.get(slug="acupuncture"))
    # 12, plus one each for the registry facts and the Medicare claims sections.
    with django_assert_max_num_queries(14):
        _html(patient.get(dr_reyes.get_absolute_url()))


def test_deactivated_and_unknown_providers_are_not_found(patient, dr_reyes):
    dr_reyes.active = False
    dr_reyes.save()
    directory_changed()
    assert patient.get(dr_reyes.get_absolute_url()).status_code == 404
    assert patient.get("/providers/1234567893/someone/").status_code == 404
    assert patient.get("/providers/12345/someone/").status_code == 404


def test_profile_has_a_small_map_of_its_locations(patient, dr_reyes):
    html = _html(patient.get(dr_reyes.get_absolute_url()))
    markers = json.loads(re.search(r'id="provider-map-data"[^>]*>(.*?)</script>', html, re.S)[1])
    location = dr_reyes.roles.first().location
    assert markers[0]["lat"] == round(location.latitude, 5)
    assert markers[0]["providers"][0]["url"] == "#place-1-h"
    assert 'id="place-1-h"' in html
    assert "leaflet" in html and "providers/map.js" in html


def test_a_practice_address_without_an_organization_still_makes_a_whole_profile(patient, db):
    """NPPES lists an individual's practice address with no organization: the profile names
    the place by its street, and the structured data puts the address on the Physician."""
    location = LocationFactory(organization=None, name="", line1="12 Elm Street")
    role = RoleFactory(location=location, organization=None, practitioner__last_name="Okafor")
    html = _html(patient.get(role.practitioner.get_absolute_url()))
    assert '<h3 id="place-1-h">12 Elm Street</h3>' in html
    nodes = {node["@type"]: node for node in _json_ld(html)["@graph"]}
    assert "MedicalClinic" not in nodes
    assert nodes["Physician"]["address"][0]["streetAddress"].startswith("12 Elm Street")
    assert "memberOf" not in nodes["Physician"]


def test_real_profiles_are_in_the_sitemap_and_demo_or_hidden_ones_are_not(patient, dr_reyes):
    demo = RoleFactory(practitioner__is_demo=True).practitioner
    hidden = RoleFactory(practitioner__active=False).practitioner
    assert "/sitemap-providers.xml" in _html(patient.get("/sitemap.xml"))
    sitemap = _html(patient.get("/sitemap-providers.xml"))
    assert dr_reyes.get_absolute_url() in sitemap
    assert demo.get_absolute_url() not in sitemap
    assert hidden.get_absolute_url() not in sitemap
