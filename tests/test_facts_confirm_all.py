""" "Everything is still correct": one step re-confirms every fact; 90 days later it lapses."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import formats, timezone

from careatlas.core.audit import AuditEvent
from careatlas.procedures.models import Procedure
from careatlas.providers import confirmation
from careatlas.providers.claiming import mark_unclaimed
from careatlas.providers.models import Practitioner, Verification
from careatlas.providers.practice_presenters import kept_facts
from tests.practice_world import FACT_PAGES, build_practice
from tests.provider_factories import LocationFactory, RoleFactory, offer, verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fact_pages(settings):
    settings.ROOT_URLCONF = FACT_PAGES
    cache.clear()


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def _add_places(practice, count: int) -> None:
    procedures = list(Procedure.objects.all()[:2])
    for _ in range(count):
        role = RoleFactory(
            practitioner=practice.practitioner,
            location=LocationFactory(),
            accepting_new_patients="",
        )
        for number, procedure in enumerate(procedures):
            offer(role, procedure, *((100, 150) if number else ()))


def test_confirm_all_reconfirms_every_fact_the_practice_keeps(content_pack, patient):
    practice = build_practice()
    _add_places(practice, 1)
    registry = verify(practice.location, "phone", days_ago=30)  # NPPES keeps this one
    verify(practice.role, "accepting_new_patients", days_ago=200, method="document")

    response = practice.office.post(practice.confirm_all_url)
    assert response.status_code == 302

    today = timezone.localdate()
    confirmed = Verification.objects.filter(method="office_confirmation", verified_on=today)
    # Languages and bio of the practitioner (the factory gives languages, no bio); per role:
    # new patients, insurance; per location: hours, visits, accessibility, staff languages;
    # per procedure: offered, and the price where there is one.
    assert confirmed.filter(practitioner=practice.practitioner).count() == 1
    assert confirmed.filter(role__practitioner=practice.practitioner).count() == 4
    assert confirmed.filter(location__roles__practitioner=practice.practitioner).count() == 8
    assert (
        confirmed.filter(offered_procedure__role__practitioner=practice.practitioner).count() == 3
    )
    registry.refresh_from_db()
    assert (registry.method, registry.verified_on) == ("registry_match", _day(30))

    practice.practitioner.refresh_from_db()
    assert practice.practitioner.practice_confirmed_on == today
    event = AuditEvent.objects.get(action="facts.confirmed_all")
    assert event.actor == practice.user and event.new_value == today.isoformat()

    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "May be out of date" not in html
    assert "Not confirmed by the practice since" not in html


def test_confirm_all_costs_the_same_queries_for_one_place_or_five(
    content_pack, django_assert_max_num_queries
):
    small, large = build_practice(), build_practice()
    large.practitioner.first_name = "Other"
    _add_places(large, 4)
    with django_assert_max_num_queries(40) as one_place:
        confirmation.confirm_all(small.practitioner, small.user)
    with django_assert_max_num_queries(len(one_place.captured_queries)):
        count = confirmation.confirm_all(large.practitioner, large.user)
    assert count == 1 + 5 * 2 + 5 * 4 + 4 * 3


def test_confirm_all_does_not_clear_a_patients_report(content_pack):
    practice = build_practice()
    verify(practice.role, "accepting_new_patients", disputed=True)
    confirmation.confirm_all(practice.practitioner, practice.user)
    verification = Verification.objects.get(role=practice.role, fact="accepting_new_patients")
    assert verification.disputed and verification.verified_on == timezone.localdate()


def test_claimed_profiles_lapse_after_90_days_without_confirmation(content_pack, patient):
    fresh = build_practice(claimed_days_ago=10)
    lapsed = build_practice(claimed_days_ago=120)
    reconfirmed = build_practice(claimed_days_ago=400)
    Practitioner.objects.filter(pk=reconfirmed.practitioner.pk).update(
        practice_confirmed_on=_day(30)
    )
    stale_confirmation = build_practice(claimed_days_ago=400)
    Practitioner.objects.filter(pk=stale_confirmation.practitioner.pk).update(
        practice_confirmed_on=_day(91)
    )
    unclaimed = RoleFactory().practitioner

    overdue = set(Practitioner.objects.confirmation_overdue())
    assert overdue == {lapsed.practitioner, stale_confirmation.practitioner}
    assert unclaimed not in overdue

    html = patient.get(lapsed.practitioner.get_absolute_url()).content.decode()
    since = formats.date_format(_day(120), "DATE_FORMAT")
    assert f"Not confirmed by the practice since {since}" in html
    html = patient.get(stale_confirmation.practitioner.get_absolute_url()).content.decode()
    assert (
        f"Not confirmed by the practice since {formats.date_format(_day(91), 'DATE_FORMAT')}"
        in html
    )
    for fine in (fresh, reconfirmed):
        html = patient.get(fine.practitioner.get_absolute_url()).content.decode()
        assert "Not confirmed by the practice since" not in html
        assert "This profile is kept up to date by the practice." in html
    body = patient.get(f"/api/v1/providers/{lapsed.practitioner.npi}").json()
    assert body["practice"]["claimed"] is True
    assert body["practice"]["notice"] == f"Not confirmed by the practice since {since}"

    # Confirming again lifts the notice at once (the page cache follows the content version).
    lapsed.office.post(lapsed.confirm_all_url)
    html = patient.get(lapsed.practitioner.get_absolute_url()).content.decode()
    assert "Not confirmed by the practice since" not in html
    assert lapsed.practitioner not in set(Practitioner.objects.confirmation_overdue())


def test_the_period_is_a_setting(content_pack, settings):
    practice = build_practice(claimed_days_ago=40)
    assert not Practitioner.objects.confirmation_overdue().exists()
    settings.PRACTICE_CONFIRMATION_DAYS = 30
    assert list(Practitioner.objects.confirmation_overdue()) == [practice.practitioner]


def test_a_revoked_claim_stops_the_notice(content_pack, patient):
    practice = build_practice(claimed_days_ago=200)
    mark_unclaimed(practice.practitioner)
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Not confirmed by the practice since" not in html
    assert "kept up to date by the practice" not in html
    assert not Practitioner.objects.confirmation_overdue().exists()


def test_the_dashboard_lists_each_kept_fact_with_its_last_confirmation(content_pack):
    practice = build_practice()
    verify(practice.role, "insurance", days_ago=200, method="office_confirmation")
    rows = {(row.fact, row.subject.pk): row for row in kept_facts(practice.practitioner)}
    insurance = rows[("insurance", practice.role.pk)]
    assert insurance.last_confirmed == _day(200) and insurance.status == "May be out of date"
    hours = rows[("hours", practice.location.pk)]
    assert (hours.last_confirmed, hours.status) == (None, "Not confirmed by the practice yet")
    assert ("phone", practice.location.pk) not in rows  # a registry fact

    confirmation.confirm_all(practice.practitioner, practice.user)
    rows = kept_facts(practice.practitioner)
    assert {row.last_confirmed for row in rows} == {timezone.localdate()}
    assert all(row.status.startswith("Confirmed by the practice on") for row in rows)
