"""`make run`'s demo: some demo practices claimed, with office accounts printed to sign in with."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client

from careatlas.consultations.models import ConsultationRequest
from careatlas.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_demo_offices_are_claimed_and_their_accounts_printed(settings):
    settings.ENVIRONMENT = "development"
    out = StringIO()
    call_command("seed_demo_providers", count=40, seed=3, chunk=40, demo_offices=2, stdout=out)
    printed = re.findall(r"(office\d@\S+)  password (\S+)  .* (/providers/\S+)", out.getvalue())
    assert len(printed) == 2
    for email, password, profile in printed:
        assert authenticate(username=email, password=password) is not None
        npi = profile.split("/")[2]
        html = Client().get(f"/consultations/new/{npi}/").content.decode()
        assert "Send request" in html and "does not take requests here yet" not in html


def test_demo_offices_are_refused_outside_development(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="only with CAREATLAS_ENV=development"):
        call_command("seed_demo_providers", count=5, demo_offices=1, stdout=StringIO())


def test_seeding_again_replaces_the_demo_offices_and_their_requests(settings):
    settings.ENVIRONMENT = "development"
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    call_command(
        "seed_demo_providers", count=30, seed=4, chunk=30, demo_offices=1, stdout=StringIO()
    )
    # Demo reviews need practices too; the demo office is the one with an office account.
    offices = Practice.objects.filter(memberships__isnull=False).distinct()
    practice = offices.get()
    office_account = practice.memberships.get()
    location = practice.locations().first()
    ConsultationRequest.objects.create(
        practice=practice, location=location, reference="TEST-0001", token_hash="x" * 64,
        name="Demo patient", contact_method="email",
    )  # fmt: skip
    out = StringIO()
    call_command("seed_demo_providers", count=30, seed=4, chunk=30, demo_offices=1, stdout=out)
    assert not ConsultationRequest.objects.exists()
    # Claimed afresh on the new demo data: a new office account (demo rows may reuse ids).
    assert offices.get().memberships.get().pk != office_account.pk
    assert "office1@" in out.getvalue()
