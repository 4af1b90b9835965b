"""Personas and places for the practice tests: a clinic with two offices, its owner and staff."""

import itertools
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from careatlas.practices import senders
from careatlas.practices.claiming import open_claim, practice_for
from careatlas.practices.decisions import approve_claim
from careatlas.practices.models import ClaimMethod, Membership, Practice, PracticeRole
from careatlas.providers.models import Location, Organization, Practitioner
from tests.accounts_personas import mfa_client
from tests.provider_factories import LicenseFactory, LocationFactory, RoleFactory, valid_npi

_organization_numbers = itertools.count(700000)

PASSWORD = "correct-horse-battery"


def person(name: str, **fields) -> User:
    return User.objects.create_user(name, f"{name}@example.org", PASSWORD, **fields)


def signed_in(user: User) -> Client:
    """Practice pages need a session that passed MFA: sign in with an authenticator app."""
    return mfa_client(user)


@dataclass
class Clinic:
    """Dr Dana Reyes practises at two offices of Riverside Spine Clinic (organization NPI)."""

    practitioner: Practitioner
    organization: Organization
    uptown: Location
    downtown: Location


def make_clinic(suffix: str = "") -> Clinic:
    uptown = LocationFactory(
        name=f"Uptown office{suffix}",
        phone="2125550101",
        organization__name=f"Riverside Spine Clinic{suffix}",
        organization__website="https://www.riverside-spine.example/about",
    )
    organization = uptown.organization
    organization.npi = valid_npi(next(_organization_numbers))
    organization.save()
    downtown = LocationFactory(
        name=f"Downtown office{suffix}", organization=organization, phone="2125550202"
    )
    role = RoleFactory(
        location=uptown, practitioner__first_name="Dana", practitioner__last_name="Reyes"
    )
    RoleFactory(location=downtown, practitioner=role.practitioner)
    LicenseFactory(practitioner=role.practitioner, number="NY-204567")
    return Clinic(role.practitioner, organization, uptown, downtown)


def own(user: User, subject) -> Practice:
    """The user owns the subject's practice, as after an approved claim."""
    claim = open_claim(user, practice_for(subject), ClaimMethod.PHONE)
    approve_claim(claim)
    return claim.practice


def join(user: User, practice: Practice, *locations: Location) -> Membership:
    """The user is office staff, limited to `locations` if any are given."""
    membership = Membership.objects.create(
        practice=practice, user=user, role=PracticeRole.STAFF, all_locations=not locations
    )
    membership.locations.set(locations)
    return membership


def last_code() -> str:
    """The code in the last text the locmem sender 'sent'."""
    return re.search(r"\b(\d{6})\b", senders.outbox[-1]["message"]).group(1)


def last_link() -> str:
    """The path of the last link emailed (the site's own URL stripped)."""
    return re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)


@pytest.fixture
def phone_outbox() -> list[dict[str, str]]:
    """What the locmem phone sender sent during the test, newest last."""
    senders.outbox.clear()
    yield senders.outbox
    senders.outbox.clear()


@pytest.fixture
def clinic(db, phone_outbox) -> Clinic:
    return make_clinic()
