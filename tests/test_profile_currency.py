"""A profile that reads well on a phone: one plain line on how current it is (and its maths),
one short badge per fact with when and how one tap away, directions that open the patient's
own map app, and who search engines may list (through the HTTP client, on either database)."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from careatlas.procedures.models import Procedure
from careatlas.providers.currency import listing_currency
from careatlas.providers.services import directory_changed
from tests.provider_factories import (
    LicenseFactory,
    LocationFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verify,
)

TODAY = datetime.date(2026, 12, 7)


@dataclass
class Checked:
    state: str
    verified_on: datetime.date | None


def _ago(days: int, state: str = "verified") -> Checked:
    return Checked(state, TODAY - datetime.timedelta(days=days))


NEVER = Checked("unverified", None)


# The line's maths (no database)


def test_most_facts_names_the_shortest_window_that_holds_more_than_half():
    facts = [_ago(10), _ago(40), _ago(100), _ago(150), _ago(500, "stale"), _ago(600, "stale")]
    line = listing_currency(facts, TODAY)
    # 1 in a month, 2 in 3 months, 4 of 6 in 6 months: the first window past half.
    assert (line.months, line.within, line.out_of_date) == (6, 4, 2)
    assert line.text == "Most facts checked in the last 6 months; 2 may be out of date."


def test_exactly_half_is_not_most():
    line = listing_currency([_ago(5), _ago(6), NEVER, NEVER], TODAY)
    assert line.months is None
    assert line.text == "Fewer than half of these facts were checked in the last year."


def test_every_fact_inside_the_window_says_every_and_singular_month():
    line = listing_currency([_ago(3), _ago(29)], TODAY)
    assert line.text == "Every fact checked in the last month."


def test_a_year_window_and_a_disputed_fact_counted_as_possibly_out_of_date():
    facts = [_ago(200), _ago(300), _ago(320, "disputed"), NEVER]
    line = listing_currency(facts, TODAY)
    assert line.text == "Most facts checked in the last year; 1 may be out of date."


def test_the_window_edge_counts_the_day_itself():
    # 6 months back is 183 days: a fact checked that day is inside, one day earlier is not.
    inside = listing_currency([_ago(183), _ago(183), _ago(400)], TODAY)
    outside = listing_currency([_ago(184), _ago(184), _ago(400)], TODAY)
    assert inside.months == 6 and outside.months == 12


def test_nothing_checked_and_nothing_shown():
    assert listing_currency([NEVER, NEVER], TODAY).text == (
        "None of these facts has been checked yet."
    )
    assert listing_currency([], TODAY).text == ""


# The profile page


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def dr_reyes(content_pack):
    """Dana Reyes, DO: 14 facts on the page, nine checked 20 to 400 days ago, five never."""
    location = LocationFactory(
        line1="12 Example Street", city="New York", state="NY", zip_code="10001",
        latitude=40.7484, longitude=-73.9967, organization__name="Riverside Spine Clinic",
    )  # fmt: skip
    role = RoleFactory(
        location=location, practitioner__first_name="Dana", practitioner__last_name="Reyes"
    )
    add_specialty_code(role, "204D00000X")
    omt = Procedure.objects.get(slug="osteopathic-manual-treatment")
    offered = offer(role, omt, Decimal(80), Decimal(120))
    practitioner = role.practitioner
    verify(practitioner, "identity", days_ago=20)
    verify(LicenseFactory(practitioner=practitioner), "license", days_ago=20, method="document")
    verify(location, "address", days_ago=30)
    verify(location, "phone", days_ago=400, method="office_confirmation")
    verify(role, "accepting_new_patients", days_ago=45, method="office_confirmation")
    verify(offered, "procedure_offered", days_ago=30, method="claims_data")
    verify(offered, "self_pay_price", days_ago=60, method="office_confirmation")
    verify(practitioner, "languages", days_ago=50)
    verify(location, "telehealth", days_ago=70, method="office_confirmation")
    return practitioner


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
def test_the_profile_opens_with_how_current_it_is(patient, dr_reyes):
    html = _html(patient, dr_reyes.get_absolute_url())
    line = re.search(r'<p class="profile-currency">(.*?)</p>', html)[1]
    # 14 facts shown: 8 checked within 3 months (20, 20, 30, 30, 45, 50, 60, 70 days ago),
    # more than half of 14 (the last month holds 4); the phone, 400 days ago, is stale.
    assert line == "Most facts checked in the last 3 months; 1 may be out of date."
    assert html.index("profile-currency") < html.index('id="locations-h"')


@pytest.mark.django_db
def test_each_fact_has_one_short_badge_with_when_and_how_one_tap_away(patient, dr_reyes):
    html = _html(patient, dr_reyes.get_absolute_url())
    boxes = re.findall(r'<details class="badge-box">(.*?)</details>', html, re.S)
    shorts = [_text(re.search(r"<summary>(.*?)</summary>", box, re.S)[1]) for box in boxes]
    assert set(shorts) <= {
        "Verified",
        "Confirmed by the practice",
        "May be out of date",
        "Reported as possibly wrong",
        "Not verified yet",
    }
    assert len(boxes) == 14  # one per fact shown
    price = next(box for box in boxes if "Confirmed by the practice on" in box and "$" not in box)
    assert 'href="/about/accuracy/"' in price
    details = _text(" ".join(boxes))
    assert "Verified" in details and "via claims data." in details
    assert "Last verified" in details  # the stale phone says when it was last checked


@pytest.mark.django_db
def test_each_location_has_directions_that_open_the_visitors_map_app(patient, dr_reyes):
    html = _html(patient, dr_reyes.get_absolute_url())
    links = re.search(r'<p class="directions">(.*?)</p>', html, re.S)[1]
    maps, geo = re.findall(r'href="([^"]+)"', links)
    maps = unescape(maps)
    assert maps.startswith("https://www.google.com/maps/dir/?")
    query = parse_qs(urlsplit(maps).query)
    assert query == {"api": ["1"], "destination": ["12 Example Street, New York, NY 10001"]}
    assert unescape(geo).startswith("geo:40.74840,-73.99670?q=40.74840,-73.99670(12%20Example")
    # A plain link: nothing is asked of the map service before the patient follows it.
    assert "maps.google" not in re.sub(r'href="[^"]+"', "", html)
    assert 'rel="noopener noreferrer"' in links


# Who search engines may list


@pytest.mark.django_db
def test_a_real_profile_is_indexable_with_its_canonical_address(patient, dr_reyes, settings):
    html = _html(patient, dr_reyes.get_absolute_url() + "?utm_source=x")
    assert "noindex" not in html
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}{dr_reyes.get_absolute_url()}">'
    assert canonical in html
    sitemap = _html(patient, "/sitemap-providers.xml")
    assert dr_reyes.get_absolute_url() in sitemap


@pytest.mark.django_db
def test_a_demo_profile_is_not_indexed_nor_in_the_sitemap(patient, dr_reyes):
    dr_reyes.is_demo = True
    dr_reyes.save()
    directory_changed()
    html = _html(patient, dr_reyes.get_absolute_url())
    assert '<meta name="robots" content="noindex">' in html
    assert dr_reyes.get_absolute_url() not in _html(patient, "/sitemap-providers.xml")


@pytest.mark.django_db
def test_hospital_pages_are_indexable_and_demo_ones_are_not(patient, content_pack, settings):
    hospital = LocationFactory(
        organization__kind="hospital", organization__ccn="100018",
        organization__name="Naples Community Hospital",
    ).organization  # fmt: skip
    RoleFactory(organization=hospital, location=hospital.locations.first())
    url = "/providers/hospitals/100018/naples-community-hospital/"
    html = _html(patient, url)
    assert "noindex" not in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{url}">' in html
    hospital.is_demo = True
    hospital.save()
    directory_changed()
    assert '<meta name="robots" content="noindex">' in _html(patient, url)


@pytest.mark.django_db
def test_search_result_pages_are_not_indexed_but_the_finder_is(patient, content_pack, settings):
    finder = patient.get("/providers/")
    assert "noindex" not in finder.content.decode() and "X-Robots-Tag" not in finder
    assert f'<link rel="canonical" href="{settings.SITE_URL}/providers/">' in (
        finder.content.decode()
    )
    for query in ("?location=10001", "?location=10001&partial=1"):
        response = patient.get("/providers/" + query)
        assert response["X-Robots-Tag"] == "noindex"
        again = patient.get("/providers/" + query)  # from the page cache: still said
        assert again["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in _html(patient, "/providers/?location=10001")
