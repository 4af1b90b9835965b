"""A provider claims their profile with a code sent to the practice phone on file."""

import datetime
import re

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.practices import senders
from careatlas.practices.models import Claim, ClaimStatus, Proof
from tests.practice_personas import last_code, own, person, signed_in
from tests.test_settings_security import STRONG_KEY, _django

pytestmark = pytest.mark.django_db


def _ask_for_code(client, npi, location, channel="text", **extra):
    return client.post(
        f"/for-providers/claim/{npi}/phone/",
        {"location": location.pk, "channel": channel},
        **extra,
    )


def test_profile_invites_the_provider_to_claim_it(patient, clinic):
    page = patient.get(clinic.practitioner.get_absolute_url()).content.decode()
    assert "Is this you?" in page
    assert f'href="/for-providers/claim/{clinic.practitioner.npi}/"' in page


def test_for_providers_page_finds_a_profile_by_npi(patient, clinic):
    found = patient.get("/for-providers/", {"npi": clinic.practitioner.npi})
    assert "Dana Reyes" in found.content.decode()
    assert f"/for-providers/claim/{clinic.practitioner.npi}/" in found.content.decode()
    unknown = patient.get("/for-providers/", {"npi": "1234567893"})
    assert "No listed provider or organization has this NPI." in unknown.content.decode()
    typo = patient.get("/for-providers/", {"npi": "1234567890"})
    assert "not a valid NPI" in typo.content.decode()


def test_claiming_needs_an_account(patient, clinic):
    response = patient.get(f"/for-providers/claim/{clinic.practitioner.npi}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_code_to_the_practice_phone_makes_the_claimant_owner(clinic):
    dana = person("dana")
    client = signed_in(dana)
    npi = clinic.practitioner.npi
    start = client.get(f"/for-providers/claim/{npi}/").content.decode()
    assert "Get a code at the practice phone number" in start
    assert "From the NPPES registry; to change it, update NPPES" in start
    assert "https://nppes.cms.hhs.gov/" in start

    form = client.get(f"/for-providers/claim/{npi}/phone/").content.decode()
    assert "(212) 555-0101" in form and "(212) 555-0202" in form
    sent = _ask_for_code(client, npi, clinic.downtown, channel="voice")
    claim = Claim.objects.get(user=dana)
    assert sent["Location"] == f"/for-providers/claims/{claim.pk}/code/"
    assert senders.outbox[-1]["phone"] == "2125550202"
    assert senders.outbox[-1]["channel"] == "voice"
    # A voice call reads the digits one by one.
    spoken = re.search(r"\b(\d(?: \d){5})\b", senders.outbox[-1]["message"]).group(1)
    code = spoken.replace(" ", "")

    # The code is stored as a keyed hash, never as typed.
    proof = Proof.objects.get(claim=claim)
    assert code not in proof.secret_hash and code not in proof.salt

    done = client.post(f"/for-providers/claims/{claim.pk}/code/", {"code": code}, follow=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert done.redirect_chain[-1][0] == f"/practice/{claim.practice_id}/"
    page = done.content.decode()
    assert "Your claim is approved" in page
    assert "Dana Reyes" in page and "NY-204567" in page
    actions = list(
        AuditEvent.objects.for_practice(f"practitioner:{npi}").values_list("action", flat=True)
    )
    assert {"claim.started", "claim.code_sent", "claim.approved"} <= set(actions)
    # The code used once does not work twice.
    assert Proof.objects.get(claim=claim).used_at is not None


def test_five_wrong_codes_lock_the_code(clinic, settings):
    client = signed_in(person("mallory"))
    npi = clinic.practitioner.npi
    _ask_for_code(client, npi, clinic.uptown)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    claim = Claim.objects.get()
    url = f"/for-providers/claims/{claim.pk}/code/"
    for attempt in range(1, 5):
        page = client.post(url, {"code": wrong}).content.decode()
        assert "That code is not right" in page, attempt
    assert "Too many wrong codes" in client.post(url, {"code": wrong}).content.decode()
    # Even the right code no longer opens it: a new code must be sent.
    assert "Too many wrong codes" in client.post(url, {"code": code}).content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROVING
    assert AuditEvent.objects.filter(action="claim.code_failed").count() == 5


def test_a_code_expires_after_ten_minutes(clinic, monkeypatch):
    client = signed_in(person("dana"))
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    code = last_code()
    claim = Claim.objects.get()
    sent_at = timezone.now()
    monkeypatch.setattr(
        timezone, "now", lambda: sent_at + datetime.timedelta(minutes=10, seconds=1)
    )
    page = client.post(f"/for-providers/claims/{claim.pk}/code/", {"code": code})
    assert "That code has expired" in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROVING


def test_a_code_still_works_just_before_it_expires(clinic, monkeypatch):
    client = signed_in(person("dana"))
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    code = last_code()
    claim = Claim.objects.get()
    sent_at = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: sent_at + datetime.timedelta(minutes=9))
    client.post(f"/for-providers/claims/{claim.pk}/code/", {"code": code})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_asking_again_retires_the_earlier_code(clinic):
    client = signed_in(person("dana"))
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    first = last_code()
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    second = last_code()
    claim = Claim.objects.get()
    if first != second:
        page = client.post(f"/for-providers/claims/{claim.pk}/code/", {"code": first})
        assert "not right" in page.content.decode()
    client.post(f"/for-providers/claims/{claim.pk}/code/", {"code": second})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_codes_are_limited_per_account(clinic, settings):
    settings.CLAIM_ATTEMPTS_PER_ACCOUNT = 2
    client = signed_in(person("dana"))
    for _ in range(2):
        assert _ask_for_code(client, clinic.practitioner.npi, clinic.uptown).status_code == 302
    refused = _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts for now" in refused.content.decode()
    assert len(senders.outbox) == 2
    # The same account is refused for another NPI too; another account is not.
    assert _ask_for_code(client, clinic.organization.npi, clinic.uptown).status_code == 429
    other = signed_in(person("dan"))
    assert _ask_for_code(other, clinic.practitioner.npi, clinic.uptown).status_code == 302


def test_codes_are_limited_per_npi(clinic, settings):
    settings.CLAIM_ATTEMPTS_PER_NPI = 2
    for name in ("ann", "ben"):
        client = signed_in(person(name))
        assert _ask_for_code(client, clinic.practitioner.npi, clinic.uptown).status_code == 302
    third = signed_in(person("cat"))
    assert _ask_for_code(third, clinic.practitioner.npi, clinic.uptown).status_code == 429
    # Another NPI is unaffected.
    assert _ask_for_code(third, clinic.organization.npi, clinic.uptown).status_code == 302


def test_codes_are_limited_per_address(clinic, settings):
    settings.CLAIM_ATTEMPTS_PER_IP = 2
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for name in ("ann", "ben"):
        client = signed_in(person(name))
        _ask_for_code(client, clinic.practitioner.npi, clinic.uptown, **here)
    third = signed_in(person("cat"))
    assert _ask_for_code(third, clinic.organization.npi, clinic.uptown, **here).status_code == 429
    elsewhere = {"REMOTE_ADDR": "198.51.100.8"}
    assert (
        _ask_for_code(third, clinic.organization.npi, clinic.uptown, **elsewhere).status_code == 302
    )


def test_wrong_codes_count_towards_the_limit(clinic, settings):
    settings.CLAIM_ATTEMPTS_PER_ACCOUNT = 3
    client = signed_in(person("mallory"))
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    claim = Claim.objects.get()
    url = f"/for-providers/claims/{claim.pk}/code/"
    wrong = f"{(int(last_code()) + 1) % 10**6:06d}"
    assert client.post(url, {"code": wrong}).status_code == 200
    assert client.post(url, {"code": wrong}).status_code == 200
    assert client.post(url, {"code": wrong}).status_code == 429


def test_a_second_claim_on_a_claimed_profile_goes_to_staff_review(clinic):
    dana = person("dana")
    own(dana, clinic.practitioner)
    newcomer = signed_in(person("newcomer"))
    start = newcomer.get(f"/for-providers/claim/{clinic.practitioner.npi}/").content.decode()
    assert "Someone already manages this profile" in start
    _ask_for_code(newcomer, clinic.practitioner.npi, clinic.uptown)
    claim = Claim.objects.get(user__username="newcomer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = newcomer.post(
            f"/for-providers/claims/{claim.pk}/code/", {"code": last_code()}, follow=True
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert "already claimed" in claim.review_note
    assert "Our staff will review your claim" in response.content.decode()
    # The owner is told; the newcomer has no access, and the owner still has.
    assert mail.outbox[-1].to == ["dana@example.org"]
    assert "Someone else has claimed" in mail.outbox[-1].subject
    assert newcomer.get(f"/practice/{claim.practice_id}/").status_code == 404
    assert signed_in(dana).get(f"/practice/{claim.practice_id}/").status_code == 200


def test_someone_elses_claim_is_not_found(clinic):
    client = signed_in(person("dana"))
    _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    claim = Claim.objects.get()
    stranger = signed_in(person("stranger"))
    assert stranger.get(f"/for-providers/claims/{claim.pk}/code/").status_code == 404
    assert (
        stranger.post(f"/for-providers/claims/{claim.pk}/code/", {"code": last_code()}).status_code
        == 404
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROVING


def test_without_a_phone_sender_the_phone_method_is_not_offered(clinic, settings):
    settings.PHONE_CODE_SENDER = "careatlas.practices.senders.DisabledSender"
    client = signed_in(person("dana"))
    start = client.get(f"/for-providers/claim/{clinic.practitioner.npi}/").content.decode()
    assert "practice phone number" not in start
    assert "Upload your license and a photo ID" in start
    assert client.get(f"/for-providers/claim/{clinic.practitioner.npi}/phone/").status_code == 404


def test_no_phone_number_or_code_appears_in_addresses(clinic):
    client = signed_in(person("dana"))
    response = _ask_for_code(client, clinic.practitioner.npi, clinic.uptown)
    assert "555" not in response["Location"] and last_code() not in response["Location"]


def test_production_refuses_to_print_codes_to_the_console():
    env = {"CAREATLAS_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "a.example"}
    console = {"PHONE_CODE_SENDER": "careatlas.practices.senders.ConsoleSender"}
    refused = _django(env | console, "check")
    assert refused.returncode != 0
    assert "PHONE_CODE_SENDER is the console sender" in refused.stderr
    staging = _django(env | console | {"PHONE_CODE_CONSOLE_IN_PRODUCTION": "true"}, "check")
    assert "PHONE_CODE_SENDER" not in staging.stderr
    default = _django(env, "check")
    assert "PHONE_CODE_SENDER" not in default.stderr
