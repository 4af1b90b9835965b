"""An owner invites office staff by email, limits them to locations, and removes them."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from careatlas.core.audit import AuditEvent
from careatlas.practices.models import Invitation, Membership
from tests.practice_personas import join, last_link, make_clinic, own, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(clinic):
    return own(person("dana"), clinic.practitioner)


@pytest.fixture
def owner(practice):
    return signed_in(practice.memberships.get().user)


def _invite(owner, practice, email="sam@example.org", scope="all", locations=()):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return owner.post(
            f"/practice/{practice.pk}/team/invite/",
            {"email": email, "scope": scope, "locations": [loc.pk for loc in locations]},
        )


def test_an_invited_assistant_joins_for_one_location_only(clinic, practice, owner):
    response = _invite(owner, practice, scope="some", locations=[clinic.downtown])
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["sam@example.org"]
    link = last_link()
    assert "sam" not in link and "example.org" not in link
    home = owner.get(f"/practice/{practice.pk}/").content.decode()
    assert "sam@example.org" in home and "Invitations waiting" in home

    sam = signed_in(person("sam"))
    assert (
        "Riverside" in sam.get(link).content.decode() or "Reyes" in sam.get(link).content.decode()
    )
    joined = sam.post(link, follow=True)
    assert joined.redirect_chain[-1][0] == f"/practice/{practice.pk}/"
    page = joined.content.decode()
    assert "Welcome to the team" in page
    assert "Downtown office" in page and "Uptown office" not in page
    membership = Membership.objects.get(user__username="sam")
    assert membership.role == "staff" and not membership.all_locations
    assert list(membership.locations.all()) == [clinic.downtown]
    assert sam.get(f"/practice/{practice.pk}/locations/{clinic.downtown.pk}/").status_code == 200
    assert sam.get(f"/practice/{practice.pk}/locations/{clinic.uptown.pk}/").status_code == 403
    # Staff see no team controls and no audit trail.
    assert "Invite office staff" not in page
    assert sam.get(f"/practice/{practice.pk}/audit/").status_code == 403


def test_an_invitation_link_works_once(practice, owner):
    _invite(owner, practice)
    link = last_link()
    sam = signed_in(person("sam"))
    sam.post(link)
    again = sam.post(link)
    assert again.status_code == 404
    assert "expired, was already used or was cancelled" in again.content.decode()
    assert Membership.objects.filter(user__username="sam").count() == 1


def test_an_invitation_expires_after_seven_days(practice, owner, monkeypatch):
    _invite(owner, practice)
    link = last_link()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = signed_in(person("sam")).post(link)
    assert response.status_code == 404
    assert not Membership.objects.filter(user__username="sam").exists()


def test_an_invitation_is_for_the_address_it_was_sent_to(practice, owner):
    _invite(owner, practice)
    link = last_link()
    eve = signed_in(person("eve"))
    refused = eve.post(link)
    assert "sent to a different email address" in refused.content.decode()
    assert not Membership.objects.filter(user__username="eve").exists()
    # The rightful invitee can still use it.
    signed_in(person("sam")).post(link)
    assert Membership.objects.filter(user__username="sam").exists()


def test_an_invitation_to_a_second_confirmed_address_of_the_account_works(practice, owner):
    """Sam signed up with a personal address; the practice invites his work one."""
    sam = person("sam")
    client = signed_in(sam)
    work = EmailAddress.objects.create(user=sam, email="sam.front-desk@riverside.example")
    _invite(owner, practice, email="Sam.Front-Desk@riverside.example")
    link = last_link()
    assert "sent to a different email address" in client.post(link).content.decode()
    work.verified = True  # after he follows allauth's confirmation link
    work.save()
    client.post(link)
    assert Membership.objects.filter(user=sam, practice=practice).exists()


def test_an_invitee_signs_in_before_accepting(patient, practice, owner):
    _invite(owner, practice)
    response = patient.get(last_link())
    assert response.status_code == 302 and "login" in response["Location"]
    assert "example.org" not in response["Location"]


def test_a_cancelled_invitation_no_longer_opens(practice, owner):
    _invite(owner, practice)
    link = last_link()
    invitation = Invitation.objects.get()
    owner.post(f"/practice/{practice.pk}/invitations/{invitation.pk}/cancel/")
    assert signed_in(person("sam")).post(link).status_code == 404


def test_removed_staff_lose_access_on_their_next_request(clinic, practice, owner):
    sam = person("sam")
    membership = join(sam, practice)
    staff = signed_in(sam)
    assert staff.get(f"/practice/{practice.pk}/").status_code == 200
    response = owner.post(f"/practice/{practice.pk}/team/{membership.pk}/remove/", follow=True)
    assert "They no longer have access" in response.content.decode()
    assert staff.get(f"/practice/{practice.pk}/").status_code == 404
    assert staff.get(f"/practice/{practice.pk}/locations/{clinic.uptown.pk}/").status_code == 404
    event = AuditEvent.objects.for_practice(practice.key).get(action="team.removed")
    assert event.old_value == "sam@example.org" and event.actor_label == "dana@example.org"


def test_an_owner_cannot_be_removed_from_the_team_page(practice, owner):
    owner_membership = practice.memberships.get()
    response = owner.post(f"/practice/{practice.pk}/team/{owner_membership.pk}/remove/")
    assert response.status_code == 404
    assert practice.memberships.filter(pk=owner_membership.pk).exists()


def test_owners_read_their_practices_audit_trail(practice, owner):
    _invite(owner, practice)
    signed_in(person("sam")).post(last_link())
    page = owner.get(f"/practice/{practice.pk}/audit/").content.decode()
    for what in ("Claim approved", "Staff invited", "Staff joined"):
        assert what in page
    assert "s•••@example.org" in page
    # Another practice's events are not there.
    other = own(person("olga"), make_clinic(" West").organization)
    AuditEvent.objects.create(action="team.invited", practice_key=other.key, new_value="x•••@x")
    assert "x•••@x" not in owner.get(f"/practice/{practice.pk}/audit/").content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not an address", "scope": "all"}, "Enter an email address such as"),
        ({"email": "", "scope": "all"}, "Enter the email address to send the invitation to."),
        ({"email": "a@example.org", "scope": "some"}, "Tick at least one location"),
        ({"email": "a@example.org", "scope": "everything"}, "Choose all locations or some."),
        (
            {"email": "a@example.org", "scope": "some", "locations": ["999999"]},
            "Tick only locations of this practice.",
        ),
    ],
)
def test_the_invitation_form_says_what_to_fix(practice, owner, data, error):
    response = owner.post(f"/practice/{practice.pk}/team/invite/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Invitation.objects.exists()
