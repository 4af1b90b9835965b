"""Directory accuracy, published: a figure on each profile and the site-wide page."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from careatlas.providers.accuracy import compute_site_figures, site_figures
from careatlas.providers.claiming import mark_claimed
from careatlas.providers.models import IncorrectInfoReport, Practitioner
from tests.provider_factories import PractitionerFactory, RoleFactory, verify

pytestmark = pytest.mark.django_db
PAGE = "/about/accuracy/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def test_a_profile_shows_its_weighted_accuracy_with_a_link_to_the_method(patient):
    role = RoleFactory()
    practitioner = role.practitioner
    # Shown: identity 2, languages 1, education 1, address 3, phone 3, new patients 3,
    # telehealth 2, accessibility 1, hours 2, insurance 3 = 21. Current: 2 + 3 + 3 = 8.
    verify(practitioner, "identity")
    verify(role.location, "phone", method="office_confirmation")
    verify(role, "accepting_new_patients", method="office_confirmation")
    verify(role.location, "address", days_ago=400)  # stale: does not count
    verify(role.location, "hours", disputed=True)  # disputed: does not count
    html = patient.get(practitioner.get_absolute_url()).content.decode()
    assert "Profile accuracy: <strong>38%</strong> (3 of 10 facts verified and current)." in html
    assert f'<a href="{PAGE}">How we measure accuracy</a>' in html
    body = patient.get(f"/api/v1/providers/{practitioner.npi}").json()
    assert body["accuracy"] == {
        "percent": 38,
        "current": 3,
        "total": 10,
        "method_url": f"http://127.0.0.1:8000{PAGE}",
    }


def test_a_profile_with_nothing_verified_scores_zero(patient):
    practitioner = RoleFactory().practitioner
    html = patient.get(practitioner.get_absolute_url()).content.decode()
    assert "Profile accuracy: <strong>0%</strong> (0 of 10 facts" in html


def _report(status: str, days_to_close: float | None, practitioner) -> None:
    received = timezone.now() - datetime.timedelta(days=20)
    IncorrectInfoReport.objects.create(
        practitioner=practitioner,
        fact="phone",
        fact_key="phone:1",
        about="Phone",
        details="It rings a pizza shop.",
        status=status,
        created_at=received,
        closed_at=received + datetime.timedelta(days=days_to_close)
        if days_to_close is not None
        else None,
    )


@pytest.fixture
def directory():
    """Four listed providers: two claimed, one of which confirmed recently; plus reports."""
    listed = [RoleFactory().practitioner for _ in range(4)]
    mark_claimed(listed[0], _day(200))
    mark_claimed(listed[1], _day(200))
    Practitioner.objects.filter(pk=listed[0].pk).update(practice_confirmed_on=_day(10))
    hidden = PractitionerFactory(active=False)  # not listed: counts nowhere
    mark_claimed(hidden, _day(5))
    role = listed[0].roles.get()
    verify(role, "accepting_new_patients", days_ago=10, method="office_confirmation")
    verify(role, "insurance", days_ago=89, method="office_confirmation")
    verify(role.location, "hours", days_ago=91, method="office_confirmation")  # too old
    verify(role.location, "phone", days_ago=1)  # our check, not the practice's
    _report("open", None, listed[2])
    _report("open", None, listed[2])
    _report("resolved", 1, listed[2])
    _report("resolved", 3, listed[3])
    _report("rejected", 5, listed[3])
    return listed


def test_site_figures_count_claims_confirmations_and_reports(directory):
    figures = compute_site_figures()
    assert (figures.profiles, figures.claimed, figures.claimed_confirmed) == (4, 2, 1)
    assert figures.facts_confirmed == 2
    assert (figures.reports_open, figures.reports_resolved, figures.reports_rejected) == (2, 2, 1)
    assert figures.median_days_to_close == 3.0


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(directory):
    _report("resolved", 6, directory[3])
    assert compute_site_figures().median_days_to_close == 4.0


def test_the_accuracy_page_shows_the_figures_and_how_they_are_computed(directory, patient):
    response = patient.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["ETag"]
    assert '<h1 id="accuracy-h">Directory accuracy</h1>' in html
    assert "Profiles claimed by their practice" in html and "50.0%" in html
    assert "2 of 4 listed providers" in html
    assert "Claimed profiles confirmed in the last 90 days" in html
    assert "Facts confirmed by practices in the last 90 days" in html
    assert "Median time from report to decision</dt><dd><strong>3 days</strong>" in html
    assert "How these figures are computed" in html
    assert '<th scope="row">Accepting new patients</th><td>3</td>' in html
    assert patient.get("/es" + PAGE).status_code == 200


def test_the_site_figures_are_cached_between_requests(directory, django_assert_num_queries):
    first = site_figures()
    with django_assert_num_queries(0):
        assert site_figures() == first
    mark_claimed(directory[2], _day(1))
    assert site_figures().claimed == 2  # until the cache expires
    cache.clear()
    assert site_figures().claimed == 3


def test_an_empty_directory_says_so(patient, db):
    html = patient.get(PAGE).content.decode()
    assert "none yet" in html and "no reports closed yet" in html
