"""A patient reports a wrong fact; it is disputed until a verifier reviews it in the admin."""

import logging

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.db import connection
from django.test import Client

from careatlas.core.ratelimit import RateLimit
from careatlas.providers.models import IncorrectInfoReport, Verification
from tests.accounts_personas import staff_with_mfa_client
from tests.provider_factories import LicenseFactory, RoleFactory, verify

pytestmark = pytest.mark.django_db
SECRET_CONTACT = "jo.patient@example.org"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Page caches and rate-limit counters live in the cache; each test starts clean.
    cache.clear()


@pytest.fixture
def listed():
    """A practitioner at one location whose phone number was verified last month."""
    role = RoleFactory(practitioner__first_name="Sam", practitioner__last_name="Okafor")
    phone = verify(role.location, "phone", days_ago=30, method="office_confirmation")
    return role.practitioner, role.location, phone


@pytest.fixture
def verifier(db) -> Client:
    """Vera, who reviews reports in the back office."""
    user = User.objects.create_user(
        "vera-verifier", "vera@example.org", "correct-horse", is_staff=True
    )
    for code in ("view_incorrectinforeport", "change_incorrectinforeport"):
        user.user_permissions.add(Permission.objects.get(codename=code))
    return staff_with_mfa_client(user)


def _report_url(practitioner) -> str:
    return f"/providers/{practitioner.npi}/report/"


def _report(client, practitioner, fact_key, details="The number rings a pizza shop now.", **extra):
    data = {"fact": fact_key, "details": details, "contact": extra.pop("contact", "")}
    return client.post(_report_url(practitioner), data, **extra)


def test_form_lists_the_facts_on_the_profile(patient, listed):
    practitioner, location, _phone = listed
    response = patient.get(_report_url(practitioner))
    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert f'value="phone:{location.pk}"' in html
    assert "Phone: (212) 555-0123 (12 Example Street)" in html
    assert '<label for="id_details">What should it say instead?</label>' in html
    assert 'aria-describedby="id_details_helptext"' in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_report_disputes_the_fact_until_reviewed(patient, listed):
    practitioner, location, phone = listed
    before = patient.get(practitioner.get_absolute_url()).content.decode()
    assert "Confirmed by the practice on" in before
    assert "Reported as possibly wrong" not in before

    response = _report(patient, practitioner, f"phone:{location.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/providers/{practitioner.npi}/report/thanks/"
    assert "Thank you for your report" in patient.get(response["Location"]).content.decode()

    report = IncorrectInfoReport.objects.get()
    assert (report.fact, report.status, report.verification) == ("phone", "open", phone)
    assert report.about == "Phone: (212) 555-0123 (12 Example Street)"
    phone.refresh_from_db()
    assert phone.disputed
    after = patient.get(practitioner.get_absolute_url()).content.decode()
    assert "Reported as possibly wrong" in after


def test_something_else_lands_in_the_queue_without_a_verification(patient, listed):
    practitioner, _location, phone = listed
    assert _report(patient, practitioner, "other").status_code == 302
    report = IncorrectInfoReport.objects.get()
    assert report.fact == "other" and report.verification is None
    phone.refresh_from_db()
    assert not phone.disputed


def test_form_errors_say_what_to_fix_without_a_server_error(patient, listed):
    practitioner, _location, _phone = listed
    response = patient.post(_report_url(practitioner), {"fact": "", "details": "bad"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose the fact that is wrong." in html
    assert "Tell us a little more: at least 10 characters." in html
    assert 'aria-invalid="true"' in html
    assert '<a href="#id_fact">' in html
    assert not IncorrectInfoReport.objects.exists()


def test_facts_of_other_providers_cannot_be_disputed(patient, listed):
    practitioner, _location, _phone = listed
    other = RoleFactory()
    other_phone = verify(other.location, "phone")
    response = _report(patient, practitioner, f"phone:{other.location.pk}")
    assert response.status_code == 200
    assert "Choose one of the facts listed." in response.content.decode()
    other_phone.refresh_from_db()
    assert not other_phone.disputed


def test_posting_without_a_csrf_token_is_refused(listed):
    practitioner, location, _phone = listed
    stranger = Client(enforce_csrf_checks=True)
    assert _report(stranger, practitioner, f"phone:{location.pk}").status_code == 403


def test_reports_are_rate_limited_per_client(patient, listed, settings):
    practitioner, location, _phone = listed
    settings.PROVIDER_REPORTS_PER_HOUR = 5
    for _ in range(5):
        assert _report(patient, practitioner, f"phone:{location.pk}").status_code == 302
    blocked = _report(patient, practitioner, f"phone:{location.pk}")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Too many reports for now" in blocked.content.decode()
    assert IncorrectInfoReport.objects.count() == 5
    neighbour = _report(patient, practitioner, "other", REMOTE_ADDR="203.0.113.9")
    assert neighbour.status_code == 302


def test_rate_limit_window_rolls_over():
    limit = RateLimit("test-window", limit=2, window=60)
    for _ in range(2):
        limit.hit("198.51.100.1", now=1000.0)
    assert limit.exceeded("198.51.100.1", now=1010.0)
    assert not limit.exceeded("198.51.100.1", now=1020.0)  # next minute's window


def test_contact_is_encrypted_at_rest_and_never_logged(patient, listed, caplog):
    practitioner, location, _phone = listed
    caplog.set_level(logging.DEBUG)
    _report(patient, practitioner, f"phone:{location.pk}", contact=SECRET_CONTACT)
    report = IncorrectInfoReport.objects.get()
    assert report.contact == SECRET_CONTACT
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact FROM providers_incorrectinforeport WHERE id = %s", [report.pk]
        )
        (raw,) = cursor.fetchone()
    assert SECRET_CONTACT not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert SECRET_CONTACT not in caplog.text
    assert SECRET_CONTACT not in str(report)


def test_verifier_resolves_a_report_and_the_dispute_clears(patient, verifier, listed):
    practitioner, location, phone = listed
    _report(patient, practitioner, f"phone:{location.pk}")
    _report(patient, practitioner, f"phone:{location.pk}", REMOTE_ADDR="203.0.113.7")
    first, second = IncorrectInfoReport.objects.order_by("id")

    queue = verifier.get("/admin/providers/incorrectinforeport/")
    assert queue.status_code == 200
    assert queue.content.decode().count("Phone: (212) 555-0123") == 2

    verifier.post(
        "/admin/providers/incorrectinforeport/",
        {"action": "reject", "_selected_action": [first.pk]},
    )
    phone.refresh_from_db()
    assert phone.disputed  # the second report is still open

    verifier.post(
        "/admin/providers/incorrectinforeport/",
        {"action": "resolve", "_selected_action": [second.pk]},
    )
    phone.refresh_from_db()
    assert not phone.disputed
    assert set(IncorrectInfoReport.objects.values_list("status", flat=True)) == {
        "rejected",
        "resolved",
    }
    assert (
        "Reported as possibly wrong"
        not in patient.get(practitioner.get_absolute_url()).content.decode()
    )
    # The queue opens on open reports, so it is now empty.
    assert (
        "Phone: (212)" not in verifier.get("/admin/providers/incorrectinforeport/").content.decode()
    )


def test_verifier_sees_the_contact_a_patient_left(patient, verifier, listed):
    practitioner, location, _phone = listed
    _report(patient, practitioner, f"phone:{location.pk}", contact=SECRET_CONTACT)
    report = IncorrectInfoReport.objects.get()
    page = verifier.get(f"/admin/providers/incorrectinforeport/{report.pk}/change/")
    assert SECRET_CONTACT in page.content.decode()


def test_license_reports_dispute_the_verified_status(patient, listed):
    practitioner, _location, _phone = listed
    license_ = LicenseFactory(practitioner=practitioner)
    verify(practitioner, "identity")
    verify(license_, "license")
    assert practitioner.is_verified()
    _report(patient, practitioner, f"license:{license_.pk}")
    assert not practitioner.is_verified()
    assert Verification.objects.disputed().count() == 1


@pytest.mark.django_db
def test_a_disputed_identity_drops_out_of_the_verified_filter_at_once(
    django_capture_on_commit_callbacks,
):
    from careatlas.providers.services import close_reports, file_report
    from careatlas.search.interface import GeoPoint, ProviderQuery, find_providers
    from tests.provider_factories import LocationFactory, RoleFactory, verified_practitioner

    practitioner = verified_practitioner(first_name="Vera", last_name="Checked")
    location = LocationFactory(latitude=40.7506, longitude=-73.9972)
    with django_capture_on_commit_callbacks(execute=True):
        RoleFactory(practitioner=practitioner, location=location)
    query = ProviderQuery(near=GeoPoint(40.7506, -73.9972), radius_miles=5, verified=True)
    assert find_providers(query).total == 1

    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(practitioner, f"identity:{practitioner.pk}", "Name", "Not this person")
    assert find_providers(query).total == 0  # disputed: no longer counted as verified

    with django_capture_on_commit_callbacks(execute=True):
        close_reports([report], "rejected")
    assert find_providers(query).total == 1
