"""Hostile input on every practice form: a field error or a refusal, never a 500; CSRF; no
personal details in logs or addresses."""

import itertools
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careatlas.practices.models import Claim, Invitation
from tests.practice_personas import join, own, person, signed_in
from tests.test_request_bounds import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlimited(settings):
    # A 429 would hide what the values do.
    for name in ("ACCOUNT", "NPI", "IP"):
        setattr(settings, f"CLAIM_ATTEMPTS_PER_{name}", 0)


def _fuzz(client, url: str, valid: dict, files: tuple[str, ...] = ()) -> set[int]:
    answered, failures = set(), []
    for field, value in itertools.product(list(valid) + list(files), VALUES):
        data = {**valid, field: value}
        for name in files:
            if name != field:
                data[name] = SimpleUploadedFile("f.pdf", b"%PDF-1.4 x", "application/pdf")
        status = client.post(url, data).status_code
        answered.add(status)
        if status >= 500:
            failures.append((status, url, field, value))
    assert failures == []
    return answered


def test_claim_forms_never_fail_on_hostile_values(clinic, unlimited):
    client = signed_in(person("mallory"))
    npi = clinic.practitioner.npi
    org = clinic.organization.npi
    phone = {"location": clinic.uptown.pk, "channel": "text"}
    answered = {client.post(f"/for-providers/claim/{npi}/phone/", phone).status_code}
    answered |= _fuzz(client, f"/for-providers/claim/{npi}/phone/", phone)
    claim = Claim.objects.get()
    answered |= _fuzz(client, f"/for-providers/claims/{claim.pk}/code/", {"code": "123456"})
    answered |= _fuzz(
        client, f"/for-providers/claim/{org}/email/", {"email": "a@riverside-spine.example"}
    )
    answered |= _fuzz(client, f"/for-providers/claim/{npi}/documents/", {}, ("license", "photo_id"))
    for value in VALUES:
        status = client.get("/for-providers/", {"npi": value}).status_code
        answered.add(status)
        assert status < 500, value
    assert {200, 302, 400} <= answered


def test_team_forms_never_fail_on_hostile_values(clinic, unlimited):
    practice = own(person("dana"), clinic.practitioner)
    owner = signed_in(practice.memberships.get().user)
    valid = {"email": "sam@example.org", "scope": "some", "locations": clinic.uptown.pk}
    answered = _fuzz(owner, f"/practice/{practice.pk}/team/invite/", valid)
    assert {200, 400} <= answered  # field errors, and NUL bytes refused before the view
    sam = signed_in(person("sam"))
    for value in ["x", "a" * 300, "%00", "..", "' OR 1=1", "\u202e"]:
        status = sam.post(f"/practice/invitations/{value}/").status_code
        assert status in (404, 400), value


def test_the_staff_decision_form_never_fails(clinic):
    officer = signed_in(person("olivia", is_staff=True, is_superuser=True))
    own(person("dana"), clinic.practitioner)
    claim = Claim.objects.get()
    for value in VALUES:
        data = {"action": "revoke", "_selected_action": [claim.pk], "apply": "1", "reason": value}
        assert officer.post("/admin/practices/claim/", data).status_code < 500, value


def test_forms_refuse_a_post_without_the_csrf_token(clinic):
    dana = person("dana")
    practice = own(dana, clinic.practitioner)
    careful = Client(enforce_csrf_checks=True)
    careful.cookies = signed_in(dana).cookies
    assert (
        careful.post(
            f"/for-providers/claim/{clinic.practitioner.npi}/phone/",
            {"location": clinic.uptown.pk, "channel": "text"},
        ).status_code
        == 403
    )
    assert (
        careful.post(
            f"/practice/{practice.pk}/team/invite/", {"email": "sam@example.org", "scope": "all"}
        ).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_nothing_personal_is_logged(clinic, caplog):
    caplog.set_level(logging.DEBUG)
    dana = person("dana")
    client = signed_in(dana)
    client.post(
        f"/for-providers/claim/{clinic.practitioner.npi}/phone/",
        {"location": clinic.uptown.pk, "channel": "text"},
    )
    client.post(
        f"/for-providers/claim/{clinic.organization.npi}/email/",
        {"email": "dana.private@riverside-spine.example"},
    )
    practice = own(person("olga"), clinic.organization)
    join(dana, practice)
    signed_in(practice.memberships.get(role="owner").user).post(
        f"/practice/{practice.pk}/team/invite/", {"email": "sam.home@example.org", "scope": "all"}
    )
    logged = caplog.text
    for personal in ("2125550101", "555-0101", "dana.private", "sam.home", "dana@example.org"):
        assert personal not in logged
