"""An editor maintains the directory in the back office; public profiles follow at once."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from careatlas.providers.models import Practitioner
from tests.accounts_personas import staff_with_mfa_client
from tests.provider_factories import (
    CertificationFactory,
    LicenseFactory,
    RoleFactory,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_editor(db) -> Client:
    """Ed, who keeps provider records up to date."""
    user = User.objects.create_user(
        "ed-directory", "ed@example.org", "correct-horse", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="providers"))
    return staff_with_mfa_client(user)


@pytest.fixture
def listed():
    role = RoleFactory()
    LicenseFactory(practitioner=role.practitioner)
    CertificationFactory(practitioner=role.practitioner)
    verify(role.practitioner, "identity")
    verify(role.location, "address")
    return role


@pytest.mark.parametrize(
    "model",
    [
        "practitioner",
        "organization",
        "location",
        "practitionerrole",
        "statelicense",
        "boardcertification",
        "insuranceplan",
        "verification",
        "incorrectinforeport",
        "offeredprocedure",
    ],
)
def test_every_list_opens(directory_editor, listed, model):
    assert directory_editor.get(f"/admin/providers/{model}/").status_code == 200


def test_change_pages_open_with_their_inlines(directory_editor, listed):
    pages = [
        f"/admin/providers/practitioner/{listed.practitioner.pk}/change/",
        f"/admin/providers/location/{listed.location.pk}/change/",
        f"/admin/providers/organization/{listed.organization.pk}/change/",
        f"/admin/providers/practitionerrole/{listed.pk}/change/",
    ]
    for url in pages:
        response = directory_editor.get(url)
        assert response.status_code == 200, url
    html = directory_editor.get(pages[0]).content.decode()
    assert "Verifications" in html and "State licenses" in html


def test_search_by_npi(directory_editor, listed):
    response = directory_editor.get(
        "/admin/providers/practitioner/", {"q": listed.practitioner.npi}
    )
    assert listed.practitioner.last_name in response.content.decode()


def test_an_edit_shows_on_the_public_profile_at_once(directory_editor, patient, listed):
    practitioner = listed.practitioner
    assert "Dana" in patient.get(practitioner.get_absolute_url()).content.decode()
    url = f"/admin/providers/practitioner/{practitioner.pk}/change/"
    form = {
        "npi": practitioner.npi,
        "first_name": "Dana",
        "last_name": practitioner.last_name,
        "credentials": "d.o., faaos",
        "sex": "female",
        "languages": "en, es",
        "education": practitioner.education,
        "active": "on",
    }
    for prefix in ("licenses", "certifications", "roles", "verifications"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = directory_editor.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Practitioner.objects.get(pk=practitioner.pk).credentials == ["DO", "FAAOS"]
    html = patient.get(practitioner.get_absolute_url()).content.decode()
    assert "DO, FAAOS</h1>" in html
