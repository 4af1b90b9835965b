"""An organization's practice confirms its locations' facts in one step and is reminded too.

Riverside Spine Clinic claims its organization NPI. Its owner, Olga, keeps the facts of its
two offices and of the practitioners' roles there; Dana Reyes's own facts (languages, bio,
photo) stay hers. Every 90 days Olga is asked to confirm again, like a practitioner's owner.
"""

import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import formats, timezone

from careatlas.core.audit import AuditEvent
from careatlas.providers.models import Organization, Verification
from careatlas.providers.registry_presenters import organization_url
from tests.practice_personas import join, own, person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(clinic, clock):
    practice = own(person("olga"), clinic.organization)
    mail.outbox.clear()
    return practice


def _run() -> str:
    out = io.StringIO()
    call_command("send_confirmation_reminders", stdout=out)
    return out.getvalue()


def test_confirm_all_confirms_the_organizations_places_and_roles_not_the_people(
    olga, clinic, clock
):
    owner = signed_in(olga.owners().get().user)
    assert owner.post(f"/practice/{olga.pk}/confirm-all/").status_code == 302

    today = timezone.localdate()
    confirmed = Verification.objects.filter(method="office_confirmation", verified_on=today)
    # Per office: hours, visits, accessibility, staff languages; per role of Dana's there:
    # new patients and insurance. Dana's own languages are not the organization's to confirm.
    assert confirmed.filter(location__in=[clinic.uptown, clinic.downtown]).count() == 8
    assert confirmed.filter(role__practitioner=clinic.practitioner).count() == 4
    assert not confirmed.filter(practitioner=clinic.practitioner).exists()
    assert set(confirmed.values_list("verified_by", flat=True)) == {clinic.organization.name}

    clinic.organization.refresh_from_db()
    assert clinic.organization.practice_confirmed_on == today
    event = AuditEvent.objects.get(action="facts.confirmed_all")
    assert event.practice_key == olga.key == f"organization:{clinic.organization.npi}"


def test_staff_of_the_organization_may_not_confirm_all(olga, clinic):
    sam = person("sam")
    join(sam, olga)
    assert signed_in(sam).post(f"/practice/{olga.pk}/confirm-all/").status_code == 403
    assert not Verification.objects.filter(method="office_confirmation").exists()


def test_an_overdue_organization_is_reminded_and_shows_the_notice(olga, clinic, clock, client):
    clinic.organization.pac_id = "4284512345"
    clinic.organization.save()
    page = organization_url(clinic.organization)
    html = client.get(page).content.decode()
    assert "This page is kept up to date by the practice." in html

    clock.advance(91)
    cache.clear()  # kept pages live minutes, not the 91 days this test skips
    assert set(Organization.objects.confirmation_overdue()) == {clinic.organization}
    assert "1 practice(s)" in _run()
    [message] = [m for m in mail.outbox if "confirm the facts" in m.subject]
    assert message.to == ["olga@example.org"]
    assert f"/practice/{olga.pk}/" in message.body

    owner = signed_in(olga.owners().get().user)
    assert "more than 90 days" in owner.get(f"/practice/{olga.pk}/").content.decode()
    claimed = clinic.organization.claimed_on
    since = formats.date_format(claimed, "DATE_FORMAT")
    html = client.get(page).content.decode()
    assert f"Not confirmed by the practice since {since}" in html

    # Confirming lifts the notice, the banner and the reminders for another 90 days.
    assert owner.post(f"/practice/{olga.pk}/confirm-all/").status_code == 302
    assert "more than 90 days" not in owner.get(f"/practice/{olga.pk}/").content.decode()
    html = client.get(page).content.decode()
    assert "Not confirmed by the practice since" not in html
    clock.advance(89)
    assert "0 practice(s)" in _run()
    clock.advance(2)
    assert "1 practice(s)" in _run()


def test_an_unclaimed_organization_is_never_overdue(clinic, clock):
    clock.advance(400)
    assert not Organization.objects.confirmation_overdue().exists()
    assert "0 practice(s)" in _run()
