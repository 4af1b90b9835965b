"""`make run`'s demo: some demo practices claimed, with office accounts printed to sign in with."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client

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
