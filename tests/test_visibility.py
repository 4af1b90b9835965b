"""What is public is one rule: the index, pages, API, FHIR and sitemaps show exactly it."""

import pytest
from django.db import connection
from django.urls import reverse

from careatlas.providers.models import Location, Organization, Practitioner, PractitionerRole
from careatlas.providers.registry_presenters import organization_url
from careatlas.search.interface import rebuild_provider_index
from tests.provider_factories import (
    LocationFactory,
    OrganizationFactory,
    PractitionerFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    """A small directory with every way a row can be hidden, beside public ones."""
    listed = PractitionerFactory(last_name="Listed")
    RoleFactory(practitioner=listed)
    RoleFactory(practitioner=listed, location=LocationFactory(latitude=None, longitude=None))
    RoleFactory(practitioner=listed, active=False)  # an ended role
    deactivated = PractitionerFactory(last_name="Deactivated", active=False)  # NPI deactivated
    RoleFactory(practitioner=deactivated)
    closed = OrganizationFactory(name="Closed Clinic", active=False, kind="hospital", ccn="330999")
    # A public practitioner's role at a closed organization stays public; the organization not.
    at_closed = PractitionerFactory(last_name="AtClosed")
    RoleFactory(practitioner=at_closed, location=LocationFactory(organization=closed))
    open_hospital = OrganizationFactory(name="Open Hospital", kind="hospital", ccn="330111")
    RoleFactory(location=LocationFactory(organization=open_hospital))
    PractitionerFactory(last_name="Roleless")
    rebuild_provider_index()
    return {
        "listed": listed,
        "deactivated": deactivated,
        "closed": closed,
        "open_hospital": open_hospital,
    }


def _indexed(sql: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def test_the_provider_index_holds_exactly_the_public_rows(world):
    located = PractitionerRole.objects.public().filter(location__latitude__isnull=False)
    roles = _indexed("SELECT role_id FROM search_provider_entry")
    assert roles == set(located.values_list("pk", flat=True))
    assert roles < set(PractitionerRole.objects.values_list("pk", flat=True))
    # Names are indexed for every public practitioner, located or not: the FHIR directory
    # finds a practitioner by name through this table (the search page joins the entries).
    names = _indexed("SELECT practitioner_id FROM search_provider_name")
    assert names == set(Practitioner.objects.public().values_list("pk", flat=True))
    assert names > set(located.values_list("practitioner_id", flat=True))
    assert world["deactivated"].pk not in names


def test_the_rules_hide_what_the_directory_hides(world):
    assert not Practitioner.objects.public().filter(pk=world["deactivated"].pk).exists()
    assert PractitionerRole.objects.public().filter(practitioner=world["listed"]).count() == 2
    hidden_place = world["deactivated"].roles.get().location
    assert not Location.objects.public().filter(pk=hidden_place.pk).exists()
    assert set(Organization.objects.public().filter(kind="hospital")) == {world["open_hospital"]}


def test_pages_api_and_fhir_answer_only_for_public_rows(patient, world):
    listed, deactivated = world["listed"], world["deactivated"]
    for npi, status in ((listed.npi, 200), (deactivated.npi, 404)):
        page = reverse("providers:profile", args=[npi, "any-slug"])
        assert patient.get(page, follow=True).status_code == status
        assert patient.get(f"/api/v1/providers/{npi}").status_code == status
        assert patient.get(f"/fhir/Practitioner/{npi}").status_code == status
    hidden_place = deactivated.roles.get().location
    assert patient.get(f"/fhir/Location/{hidden_place.pk}").status_code == 404
    for ccn, status in (("330111", 200), ("330999", 404)):
        assert patient.get(f"/api/v1/hospitals/{ccn}").status_code == status
        page = reverse("providers:hospital", args=[ccn, "any-slug"])
        assert patient.get(page, follow=True).status_code == status
    closed = world["closed"]
    assert patient.get(f"/fhir/Organization/{closed.pk}").status_code == 404


def test_sitemaps_list_public_rows_only(patient, world):
    practitioners = patient.get("/sitemap-providers.xml").content.decode()
    assert world["listed"].get_absolute_url() in practitioners
    assert f"/{world['deactivated'].npi}/" not in practitioners
    organizations = patient.get("/sitemap-organizations.xml").content.decode()
    assert organization_url(world["open_hospital"]) in organizations
    assert "330999" not in organizations
