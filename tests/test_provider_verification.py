"""Badges age with the clock, and "verified" means identity and license are current."""

import datetime

import pytest

from careatlas.providers.models import Practitioner, Verification
from careatlas.providers.presenters import badge
from tests.provider_factories import (
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    verified_practitioner,
    verify,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 14)


def _verified_on(day: datetime.date, **fields) -> Verification:
    return verify(LocationFactory(), "phone", days_ago=(TODAY - day).days, today=TODAY, **fields)


def test_fresh_fact_says_when_and_how_it_was_verified():
    shown = badge(_verified_on(datetime.date(2026, 3, 2), method="document"), TODAY)
    assert shown.state == "verified"
    assert shown.text == "Verified March 2026 via document review"


def test_fact_the_practice_confirmed_says_so_with_the_day():
    # Issue 12: the practice's own confirmation reads differently from our checks.
    shown = badge(_verified_on(datetime.date(2026, 3, 2), method="office_confirmation"), TODAY)
    assert shown.state == "verified"
    assert shown.text == "Confirmed by the practice on March 2, 2026"
    assert shown.by_practice


def test_badge_turns_into_may_be_out_of_date_after_180_days():
    verification = _verified_on(TODAY - datetime.timedelta(days=180))
    assert badge(verification, TODAY).state == "verified"  # exactly 180 days: still current
    next_day = TODAY + datetime.timedelta(days=1)
    shown = badge(verification, next_day)
    assert shown.state == "stale"
    assert shown.text == "May be out of date"
    assert shown.detail == "Last verified January 2026 via registry match."


def test_stale_age_is_a_setting(settings):
    settings.VERIFICATION_STALE_DAYS = 30
    verification = _verified_on(TODAY - datetime.timedelta(days=31))
    assert badge(verification, TODAY).text == "May be out of date"
    settings.VERIFICATION_STALE_DAYS = 60
    assert badge(verification, TODAY).state == "verified"


def test_disputed_fact_says_so_whatever_its_age():
    verification = _verified_on(TODAY - datetime.timedelta(days=3), disputed=True)
    shown = badge(verification, TODAY)
    assert shown.state == "disputed"
    assert shown.text == "Reported as possibly wrong"


def test_fact_never_verified_says_so():
    assert badge(None, TODAY).text == "Not verified yet"


def test_identity_and_current_license_make_a_verified_provider():
    provider = verified_practitioner()
    assert provider.is_verified()
    assert list(Practitioner.objects.verified()) == [provider]


@pytest.mark.parametrize(
    "spoil",
    [
        "identity_stale",
        "identity_disputed",
        "identity_missing",
        "license_stale",
        "license_disputed",
        "license_missing",
        "license_revoked",
        "license_expired",
    ],
)
def test_provider_is_not_verified_unless_both_facts_are_current(spoil):
    provider = PractitionerFactory()
    license_ = LicenseFactory(practitioner=provider)
    if spoil == "license_revoked":
        license_.status = "revoked"
        license_.save()
    if spoil == "license_expired":
        license_.expires_on = TODAY - datetime.timedelta(days=1)
        license_.save()
    if spoil != "identity_missing":
        verify(
            provider,
            "identity",
            today=TODAY,
            days_ago=400 if spoil == "identity_stale" else 5,
            disputed=spoil == "identity_disputed",
        )
    if spoil != "license_missing":
        verify(
            license_,
            "license",
            today=TODAY,
            days_ago=400 if spoil == "license_stale" else 5,
            disputed=spoil == "license_disputed",
        )
    assert not provider.is_verified(TODAY)
    assert not Practitioner.objects.verified(TODAY).exists()


def test_verified_status_expires_with_the_clock():
    provider = verified_practitioner()
    later = datetime.date.today() + datetime.timedelta(days=200)
    assert provider.is_verified()
    assert not provider.is_verified(later)


def test_one_of_several_licenses_is_enough():
    provider = PractitionerFactory()
    verify(provider, "identity")
    LicenseFactory(practitioner=provider, state="NJ")  # not verified
    verify(LicenseFactory(practitioner=provider, state="NY"), "license")
    assert provider.is_verified()


def test_a_verification_is_about_exactly_the_object_its_fact_names():
    from django.db import IntegrityError, transaction

    location = LocationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        # A phone number is a fact about a location, not about a practitioner.
        Verification.objects.create(
            fact="phone",
            practitioner=PractitionerFactory(),
            method="document",
            verified_by="x",
            verified_on=TODAY,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        verify(location, "phone")
        verify(location, "phone")  # one current verification per fact and object
