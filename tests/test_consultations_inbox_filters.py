"""The inbox with many requests: open ones first, filters by status, office, overdue and
reference, pages of 50 that keep the filters, and counts per status."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from careatlas.consultations.models import ConsultationRequest, new_reference, new_token
from careatlas.consultations.timing import is_overdue
from careatlas.practices.models.practices import token_digest
from tests.practice_personas import join, person, signed_in

pytestmark = pytest.mark.django_db


def _request(office, *, location=None, status="new", days_ago=0) -> ConsultationRequest:
    finished = timezone.now() if status in ("closed", "declined") else None
    return ConsultationRequest.objects.create(
        practice=office.practice,
        location=location or office.clinic.uptown,
        reference=new_reference(),
        token_hash=token_digest(new_token()),
        name="Pat Morgan",
        contact_method="email",
        email="pat@example.net",
        status=status,
        finished_at=finished,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def _references(html: str) -> set[str]:
    return set(re.findall(r">([0-9A-Z]{4}-[0-9A-Z]{4})</a>", html))


@pytest.fixture
def inbox(office):
    return f"/practice/{office.practice.pk}/requests/"


@pytest.fixture
def owner(office):
    return signed_in(office.practice.owners().get().user)


def test_open_requests_by_default_and_every_status_on_request(office, inbox, owner):
    made = {s: _request(office, status=s) for s in ("new", "contacted", "scheduled", "closed")}
    made["declined"] = _request(office, status="declined")
    html = owner.get(inbox).content.decode()
    assert _references(html) == {made[s].reference for s in ("new", "contacted", "scheduled")}
    assert "New: <strong>1</strong>" in html and "Closed: <strong>1</strong>" in html
    every = _references(owner.get(inbox, {"status": "all"}).content.decode())
    assert every == {r.reference for r in made.values()}
    for status, found in made.items():
        assert _references(owner.get(inbox, {"status": status}).content.decode()) == {
            found.reference
        }


def test_the_office_filter_offers_only_offices_the_member_covers(office, inbox, owner):
    uptown = _request(office)
    downtown = _request(office, location=office.clinic.downtown)
    html = owner.get(inbox, {"location": office.clinic.downtown.pk}).content.decode()
    assert _references(html) == {downtown.reference}

    sam = person("sam")
    join(sam, office.practice, office.clinic.uptown)
    staff = signed_in(sam)
    html = staff.get(inbox).content.decode()
    assert _references(html) == {uptown.reference}
    assert f'value="{office.clinic.downtown.pk}"' not in html
    # Asking for the other office by hand is an invalid choice: it shows nothing extra.
    html = staff.get(inbox, {"location": office.clinic.downtown.pk}).content.decode()
    assert downtown.reference not in html and "Select a valid choice" in html


def test_only_overdue_matches_the_overdue_rule_row_by_row(office, inbox, owner):
    made = [
        _request(office, status=status, days_ago=days)
        for days in range(0, 12)
        for status in ("new", "contacted")
    ]
    shown = _references(owner.get(inbox, {"overdue": "on", "status": "all"}).content.decode())
    expected = {r.reference for r in made if is_overdue(r.created_at, r.status)}
    assert shown == expected and expected  # some are overdue, all of them are shown


def test_a_reference_is_found_however_it_is_read_out(office, inbox, owner):
    wanted, _other = _request(office, status="closed"), _request(office)
    spoken = wanted.reference.replace("-", " ").lower()
    html = owner.get(inbox, {"reference": spoken, "status": "all"}).content.decode()
    assert _references(html) == {wanted.reference}
    html = owner.get(inbox, {"reference": "ZZZZ-ZZZZ", "status": "all"}).content.decode()
    assert "No requests match these filters." in html


def test_pages_of_fifty_keep_the_filters(office, inbox, owner):
    ConsultationRequest.objects.bulk_create(
        ConsultationRequest(
            practice=office.practice,
            location=office.clinic.uptown,
            reference=new_reference(),
            token_hash=token_digest(new_token()),
            name="Pat Morgan",
            contact_method="email",
            status="contacted",
            created_at=timezone.now() - timedelta(minutes=n),
        )
        for n in range(120)
    )
    _request(office, status="new")
    first = owner.get(inbox, {"status": "contacted"}).content.decode()
    assert len(_references(first)) == 50 and "Page 1 of 3" in first
    assert 'href="?status=contacted&amp;page=2" rel="next"' in first
    last = owner.get(inbox, {"status": "contacted", "page": "3"}).content.decode()
    assert len(_references(last)) == 20 and 'rel="prev"' in last
    seen = set()
    for page in ("1", "2", "3"):
        html = owner.get(inbox, {"status": "contacted", "page": page}).content.decode()
        seen |= _references(html)
    assert len(seen) == 120  # every request once, none from another status


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"location": "abc"},
        {"location": "99999999999999999999"},
        {"page": "-1"},
        {"page": "9999"},
        {"reference": "x" * 500},
        {"status": ["all", "new"], "reference": "<script>"},
    ],
)
def test_hostile_filters_answer_200_never_a_server_error(office, inbox, owner, query):
    _request(office)
    response = owner.get(inbox, query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_a_nul_in_the_query_is_refused_before_the_inbox(office, inbox, owner):
    # core's request bounds turn away control characters in query strings for every page.
    assert owner.get(inbox, {"overdue": "\x00"}).status_code == 400
