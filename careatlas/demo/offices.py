"""Demo office accounts: a few demo practices claimed, so the request flow can be tried."""

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from careatlas.practices.claiming import open_claim, practice_for
from careatlas.practices.decisions import approve_claim
from careatlas.practices.models import ClaimMethod
from careatlas.providers.models import AcceptingPatients, Practitioner

DOMAIN = "demo-office.careatlas.example"


@dataclass(frozen=True)
class DemoOffice:
    email: str
    password: str
    profile_url: str
    name: str


@transaction.atomic
def claim_demo_practices(count: int) -> list[DemoOffice]:
    """The first `count` demo practitioners taking new patients get an owner account with a
    fresh random password (printed once, never stored in clear). Development only."""
    users = get_user_model()
    taking = (
        Practitioner.objects.filter(is_demo=True, roles__active=True)
        .filter(roles__accepting_new_patients=AcceptingPatients.YES)
        .exclude(roles__location__phone="")
        .distinct()
        .order_by("id")[:count]
    )
    offices = []
    for number, practitioner in enumerate(taking, start=1):
        email = f"office{number}@{DOMAIN}"
        password = secrets.token_urlsafe(12)
        user, _created = users.objects.get_or_create(username=email, defaults={"email": email})
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        practice = practice_for(practitioner)
        if not practice.is_claimed():
            approve_claim(open_claim(user, practice, ClaimMethod.DOCUMENTS))
        offices.append(
            DemoOffice(email, password, practitioner.get_absolute_url(), practitioner.display_name)
        )
    return offices
