"""A claimed practice for the fact tests: Dr Nadia Osei at Riverside Family Practice.

Olu Bello works the front desk there and keeps the listing current; he signs in as
`olu@riverside.example`, an address that must never show on a public page.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from careatlas.providers.claiming import mark_claimed
from careatlas.providers.models import Location, Practitioner, PractitionerRole
from tests.provider_factories import RoleFactory

OFFICE_EMAIL = "olu@riverside.example"
FACT_PAGES = "tests.fact_urls"


@dataclass
class Practice:
    practitioner: Practitioner
    role: PractitionerRole
    location: Location
    office: Client
    user: User

    def edit_url(self, name: str, pk: int) -> str:
        return f"/test-facts/{self.practitioner.npi}/{name}/{pk}/"

    @property
    def confirm_all_url(self) -> str:
        return f"/test-facts/{self.practitioner.npi}/confirm-all/"


def build_practice(claimed_days_ago: int = 5, **role_fields) -> Practice:
    role = RoleFactory(
        practitioner__first_name="Nadia",
        practitioner__last_name="Osei",
        location__organization__name="Riverside Family Practice",
        **role_fields,
    )
    mark_claimed(role.practitioner, timezone.localdate() - datetime.timedelta(claimed_days_ago))
    user = User.objects.create_user(
        f"olu-{role.practitioner.npi}", OFFICE_EMAIL, "correct-horse-battery"
    )
    office = Client()
    office.force_login(user)
    role.refresh_from_db()
    return Practice(role.practitioner, role, role.location, office, user)
