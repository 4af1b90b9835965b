"""Claims by email link and by documents, and the staff queue that approves, rejects, revokes."""

import base64
import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.practices.models import Claim, ClaimDocument, ClaimStatus, Membership
from careatlas.providers.models import Practitioner
from tests.practice_personas import join, last_link, own, person, signed_in

pytestmark = pytest.mark.django_db

LICENSE_BYTES = b"%PDF-1.7\n% NY medical license 204567 for Dana Reyes\n" + bytes(range(256)) * 8
PHOTO_BYTES = b"\x89PNG\r\n\x1a\n" + b"photo of Dana Reyes" + bytes(range(256)) * 4


def _upload(name: str, data: bytes, declared: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=declared)


def _send_documents(client, npi, license_=None, photo=None):
    return client.post(
        f"/for-providers/claim/{npi}/documents/",
        {
            "license": license_ or _upload("license.pdf", LICENSE_BYTES, "application/pdf"),
            "photo_id": photo or _upload("id.png", PHOTO_BYTES, "image/png"),
        },
    )


@pytest.fixture
def claims_officer(db):
    officer = person("olivia-officer", is_staff=True)
    officer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="practices", codename__in=["view_claim", "change_claim"]
        )
    )
    return signed_in(officer)


def _decide(officer, action: str, claim: Claim, reason: str | None = None):
    data = {"action": action, "_selected_action": [claim.pk]}
    if reason is not None:
        data |= {"apply": "1", "reason": reason}
    # Run what a decision leaves for after its commit: the claimant's email.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return officer.post("/admin/practices/claim/", data, follow=True)


# Email link to an address at the practice's website domain.


def test_a_link_to_an_address_at_the_practice_website_proves_the_claim(clinic):
    dana = person("dana")
    client = signed_in(dana)
    npi = clinic.organization.npi
    start = client.get(f"/for-providers/claim/{npi}/").content.decode()
    assert "riverside-spine.example" in start
    wrong = client.post(f"/for-providers/claim/{npi}/email/", {"email": "dana@gmail.com"})
    assert "Use an address at riverside-spine.example" in wrong.content.decode()
    assert mail.outbox == []

    sent = client.post(
        f"/for-providers/claim/{npi}/email/", {"email": "Dana@Riverside-Spine.example"}
    )
    assert "Check your inbox" in sent.content.decode()
    assert mail.outbox[-1].to == ["Dana@Riverside-Spine.example"]
    link = last_link()
    assert "riverside" not in link.lower() and "dana" not in link.lower()

    # Opening the link asks for a click: a mail scanner's GET changes nothing.
    assert "Confirm my claim" in client.get(link).content.decode()
    claim = Claim.objects.get(user=dana)
    assert claim.status == ClaimStatus.PROVING
    done = client.post(link, follow=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert done.redirect_chain[-1][0] == f"/practice/{claim.practice_id}/"
    # The link works once.
    assert client.post(link).status_code == 302  # the claim is decided: back to the claims list
    assert Membership.objects.filter(user=dana, role="owner").count() == 1


def test_the_link_works_only_for_the_claimant_and_not_after_an_hour(clinic, monkeypatch):
    client = signed_in(person("dana"))
    npi = clinic.organization.npi
    client.post(f"/for-providers/claim/{npi}/email/", {"email": "dana@riverside-spine.example"})
    link = last_link()
    assert signed_in(person("eve")).post(link).status_code == 404
    later = timezone.now() + datetime.timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.post(link).content.decode()
    assert "This link is no longer valid" in page
    assert Claim.objects.get().status == ClaimStatus.PROVING


def test_a_forged_link_does_not_prove_anything(clinic):
    client = signed_in(person("dana"))
    npi = clinic.organization.npi
    client.post(f"/for-providers/claim/{npi}/email/", {"email": "dana@riverside-spine.example"})
    claim = Claim.objects.get()
    page = client.post(f"/for-providers/claims/{claim.pk}/confirm/not-the-token/")
    assert "This link is no longer valid" in page.content.decode()
    assert Claim.objects.get().status == ClaimStatus.PROVING


def test_a_shared_website_host_offers_no_email_link(clinic):
    clinic.organization.website = "https://www.facebook.com/riverside"
    clinic.organization.save()
    client = signed_in(person("dana"))
    assert client.get(f"/for-providers/claim/{clinic.organization.npi}/email/").status_code == 404


# Documents reviewed by staff.


def test_documents_are_stored_encrypted_and_go_to_review(clinic):
    dana = person("dana")
    response = _send_documents(signed_in(dana), clinic.practitioner.npi)
    assert response.status_code == 302
    claim = Claim.objects.get(user=dana)
    assert claim.status == ClaimStatus.IN_REVIEW
    kinds = dict(ClaimDocument.objects.values_list("kind", "content_type"))
    assert kinds == {"license": "application/pdf", "photo_id": "image/png"}
    table = connection.ops.quote_name(ClaimDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ciphertext FROM {table}")  # noqa: S608
        raw = "".join(row[0] for row in cursor.fetchall()).encode()
    for secret in (b"NY medical license 204567", b"photo of Dana Reyes"):
        assert secret not in raw
        assert base64.b64encode(secret)[:16] not in raw
    assert b"Dana" not in raw


@pytest.mark.parametrize(
    ("name", "data", "declared"),
    [
        ("license.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("license.png", b"MZ\x90\x00 a Windows program", "image/png"),
        ("license.jpg", b"GIF89a a gif in disguise", "image/jpeg"),
    ],
)
def test_an_upload_that_lies_about_its_type_is_refused(clinic, name, data, declared):
    client = signed_in(person("dana"))
    response = _send_documents(client, clinic.practitioner.npi, _upload(name, data, declared))
    assert response.status_code == 200
    assert "This file is not a PDF, JPEG or PNG." in response.content.decode()
    assert not ClaimDocument.objects.exists() and not Claim.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(clinic, settings):
    settings.CLAIM_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    client = signed_in(person("dana"))
    response = _send_documents(
        client, clinic.practitioner.npi, _upload("l.pdf", big, "application/pdf")
    )
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not ClaimDocument.objects.exists()


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(clinic, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    client = signed_in(person("dana"))
    response = _send_documents(
        client, clinic.practitioner.npi, _upload("l.pdf", big, "application/pdf")
    )
    assert response.status_code == 413
    assert "The upload is too large: at most 1 MB in all." in response.content.decode()
    assert not ClaimDocument.objects.exists()


def test_staff_read_a_document_and_each_reading_is_recorded(clinic, claims_officer):
    _send_documents(signed_in(person("dana")), clinic.practitioner.npi)
    claim = Claim.objects.get()
    document = ClaimDocument.objects.get(kind="license")
    page = claims_officer.get(f"/admin/practices/claim/{claim.pk}/change/").content.decode()
    url = f"/admin/practices/claim/{claim.pk}/documents/{document.pk}/"
    assert url in page
    download = claims_officer.get(url)
    assert download.content == LICENSE_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="claim.document_viewed").count() == 1
    # The claimant, or an editor without the permission, cannot read it there.
    assert signed_in(person("dana2")).get(url).status_code == 302  # to the admin sign-in
    editor = signed_in(person("eddie", is_staff=True))
    assert editor.get(url).status_code == 403


# The staff queue.


def test_staff_approve_a_claim_in_review_and_the_documents_are_deleted(clinic, claims_officer):
    dana = person("dana")
    _send_documents(signed_in(dana), clinic.practitioner.npi)
    claim = Claim.objects.get()
    own(person("olga"), clinic.organization)  # an approved claim, decided earlier
    queue = claims_officer.get("/admin/practices/claim/").content.decode()
    assert "Documents to check" in queue
    # The claim waiting for a decision heads the list.
    assert queue.index("Waiting for our staff to review") < queue.index(">Approved<")
    _decide(claims_officer, "approve", claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by.username == "olivia-officer"
    assert not ClaimDocument.objects.exists()
    assert signed_in(dana).get(f"/practice/{claim.practice_id}/").status_code == 200
    clinic.practitioner.refresh_from_db()
    assert clinic.practitioner.claimed_on == timezone.localdate()
    actions = set(AuditEvent.objects.about(claim).values_list("action", flat=True))
    assert {"claim.approved", "claim.documents_deleted"} <= actions
    assert mail.outbox[-1].subject == "Your claim was approved"


def test_a_rejection_needs_a_reason_which_the_claimant_reads(clinic, claims_officer):
    dana = person("dana")
    client = signed_in(dana)
    _send_documents(client, clinic.practitioner.npi)
    claim = Claim.objects.get()
    asked = _decide(claims_officer, "reject", claim, reason="")
    assert "Give a reason: the claimant reads it." in asked.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    reason = "The license number does not match the name on the photo ID."
    _decide(claims_officer, "reject", claim, reason=reason)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not ClaimDocument.objects.exists()
    assert reason in client.get("/for-providers/claims/").content.decode()
    assert reason in mail.outbox[-1].body
    event = AuditEvent.objects.about(claim).get(action="claim.rejected")
    assert event.new_value == reason and event.actor_label == "olivia-officer@example.org"


def test_staff_approve_a_second_claimant_as_another_owner(clinic, claims_officer):
    own(person("dana"), clinic.practitioner)
    partner = person("partner")
    _send_documents(signed_in(partner), clinic.practitioner.npi)
    claim = Claim.objects.get(user=partner)
    assert claim.status == ClaimStatus.IN_REVIEW
    first_claimed_on = datetime.date(2026, 1, 5)
    Practitioner.objects.filter(pk=clinic.practitioner.pk).update(claimed_on=first_claimed_on)
    _decide(claims_officer, "approve", claim)
    clinic.practitioner.refresh_from_db()
    assert clinic.practitioner.claimed_on == first_claimed_on  # the listing's clock is kept
    assert Membership.objects.filter(practice=claim.practice, role="owner").count() == 2


def test_revoking_the_only_owner_ends_everyones_access_at_once(clinic, claims_officer):
    dana, sam = person("dana"), person("sam")
    practice = own(dana, clinic.practitioner)
    join(sam, practice)
    owner, staff = signed_in(dana), signed_in(sam)
    assert owner.get(f"/practice/{practice.pk}/").status_code == 200
    assert staff.get(f"/practice/{practice.pk}/").status_code == 200
    claim = Claim.objects.get(user=dana)
    _decide(claims_officer, "revoke", claim, reason="The practice told us Dana left in 2025.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVOKED
    assert owner.get(f"/practice/{practice.pk}/").status_code == 404
    assert staff.get(f"/practice/{practice.pk}/").status_code == 404
    assert "Dana left in 2025" in owner.get("/for-providers/claims/").content.decode()
    assert AuditEvent.objects.about(claim).filter(action="claim.revoked").exists()
    clinic.practitioner.refresh_from_db()
    assert clinic.practitioner.claimed_on is None


def test_a_decision_on_a_claim_in_the_wrong_state_is_refused(clinic, claims_officer):
    practice = own(person("dana"), clinic.practitioner)
    claim = Claim.objects.get(practice=practice)
    response = _decide(claims_officer, "reject", claim, reason="Too late.")
    assert "left as they were" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
