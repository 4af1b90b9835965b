"""Olu at the front desk edits Dr Osei's facts; patients see them confirmed by the practice."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import formats, timezone

from careatlas.core.audit import AuditEvent
from careatlas.procedures.models import Procedure
from careatlas.providers import confirmation
from careatlas.providers.models import OfferedProcedure, Verification
from careatlas.search.interface import rebuild_provider_index
from tests.practice_world import FACT_PAGES, OFFICE_EMAIL, build_practice
from tests.provider_factories import InsurancePlanFactory, verify

pytestmark = pytest.mark.django_db
OMT = "osteopathic-manual-treatment"


@pytest.fixture(autouse=True)
def _fact_pages(settings):
    settings.ROOT_URLCONF = FACT_PAGES
    cache.clear()


@pytest.fixture
def practice(content_pack):
    return build_practice()


def _today_text() -> str:
    return formats.date_format(timezone.localdate(), "DATE_FORMAT")


def test_saving_new_patients_records_the_change_and_the_practice_confirmation(
    practice, patient, django_capture_on_commit_callbacks
):
    role = practice.role
    with django_capture_on_commit_callbacks(execute=True):
        response = practice.office.post(
            practice.edit_url("accepting", role.pk), {"accepting_new_patients": "existptonly"}
        )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.accepting_new_patients == "existptonly"

    event = AuditEvent.objects.get(action="fact.edited")
    assert (event.field, event.old_value, event.new_value) == (
        "accepting_new_patients",
        "newpt",
        "existptonly",
    )
    assert event.actor == practice.user
    assert event.practice_key == f"practitioner:{practice.practitioner.npi}"

    verification = Verification.objects.get(role=role, fact="accepting_new_patients")
    assert verification.method == "office_confirmation"
    assert verification.verified_on == timezone.localdate()
    # The practice is credited, never the person's account.
    assert verification.verified_by == "Riverside Family Practice"

    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Existing patients only" in html
    assert f"Confirmed by the practice on {_today_text()}" in html
    assert OFFICE_EMAIL not in html


def test_saving_unchanged_facts_still_confirms_them_without_an_audit_change(practice, patient):
    location = practice.location
    response = practice.office.post(
        practice.edit_url("accessibility", location.pk),
        {"accessibility": ["step_free", "accessible_parking"]},
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="fact.edited").exists()
    assert Verification.objects.get(location=location, fact="accessibility").method == (
        "office_confirmation"
    )


def test_an_edit_shows_in_search_filters_without_a_rebuild(
    practice, patient, django_capture_on_commit_callbacks
):
    rebuild_provider_index()
    search = "/providers/?location=10001&accepting=1"
    assert "Nadia Osei" in patient.get(search).content.decode()
    api = "/api/v1/providers?location=10001&accepting=1"
    assert [hit["npi"] for hit in patient.get(api).json()["results"]] == [practice.practitioner.npi]

    with django_capture_on_commit_callbacks(execute=True):
        practice.office.post(
            practice.edit_url("accepting", practice.role.pk), {"accepting_new_patients": "nopt"}
        )
    assert "Nadia Osei" not in patient.get(search).content.decode()
    assert patient.get(api).json()["results"] == []

    with django_capture_on_commit_callbacks(execute=True):
        practice.office.post(
            practice.edit_url("accepting", practice.role.pk), {"accepting_new_patients": "newpt"}
        )
    html = patient.get(search).content.decode()
    assert "Nadia Osei" in html
    # The result card says who vouches for "accepting new patients".
    assert f"Confirmed by the practice on {_today_text()}" in html
    [hit] = patient.get(api).json()["results"]
    assert hit["confirmed_by_practice"] == ["accepting_new_patients"]


def test_video_and_phone_visits_keep_the_telehealth_filter_in_step(
    practice, patient, django_capture_on_commit_callbacks
):
    rebuild_provider_index()
    search = "/providers/?location=10001&telehealth=1"
    assert "Nadia Osei" in patient.get(search).content.decode()  # imported as telehealth
    with django_capture_on_commit_callbacks(execute=True):
        response = practice.office.post(
            practice.edit_url("visits", practice.location.pk),
            {"video_visits": "no", "phone_visits": "no"},
        )
    assert response.status_code == 302
    assert "Nadia Osei" not in patient.get(search).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        practice.office.post(
            practice.edit_url("visits", practice.location.pk),
            {"video_visits": "yes", "phone_visits": "no"},
        )
    assert "Nadia Osei" in patient.get(search).content.decode()
    profile = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Video visits" in profile and "Video and phone visits" not in profile
    place = patient.get(f"/api/v1/providers/{practice.practitioner.npi}").json()["places"][0]
    assert (place["location"]["video_visits"], place["location"]["phone_visits"]) == (True, False)
    telehealth = next(fact for fact in place["facts"] if fact["fact"] == "telehealth")
    assert telehealth["confirmed_by_practice"] is True
    assert telehealth["verification"]["verified_by"] == "The practice"


def test_hours_are_typed_per_day_and_shown_on_the_profile(practice, patient):
    url = practice.edit_url("hours", practice.location.pk)
    form = practice.office.get(url).content.decode()
    assert 'value="08:00-17:00"' in form  # Monday to Friday, as imported
    days = {"mon": "8:30-12:00, 13:00-17:30", "tue": "08:30 - 17:30", "sat": "9-12"}
    response = practice.office.post(url, days)
    assert response.status_code == 302
    practice.location.refresh_from_db()
    assert practice.location.hours == [
        {"days": ["mon"], "opens": "08:30", "closes": "12:00"},
        {"days": ["mon"], "opens": "13:00", "closes": "17:30"},
        {"days": ["tue"], "opens": "08:30", "closes": "17:30"},
        {"days": ["sat"], "opens": "09:00", "closes": "12:00"},
    ]
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Closed" in html  # Wednesday
    event = AuditEvent.objects.get(field="hours")
    assert "08:30" in event.new_value and "08:00" in event.old_value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9am till late", "Write Monday hours as 24-hour times such as 08:30-17:00"),
        ("17:00-09:00", "On Monday the office closes before it opens: check 17:00-09:00."),
        ("25:00-26:00", "Write Monday hours as 24-hour times"),
        ("08:00-12:00, 11:00-13:00", "On Monday two periods overlap."),
    ],
)
def test_hours_errors_say_what_to_type(practice, typed, message):
    response = practice.office.post(
        practice.edit_url("hours", practice.location.pk), {"mon": typed}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    practice.location.refresh_from_db()
    assert practice.location.hours[0]["opens"] == "08:00"  # unchanged


def test_staff_languages_and_bio_appear_with_their_badges(practice, patient):
    office = practice.office
    office.post(
        practice.edit_url("staff-languages", practice.location.pk),
        {"staff_languages": ["es", "zh"]},
    )
    office.post(
        practice.edit_url("bio", practice.practitioner.pk),
        {"bio": "  Family doctor for 12 years; I see children and adults.  "},
    )
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.bio == "Family doctor for 12 years; I see children and adults."
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Staff speak" in html and "Spanish, Chinese" in html
    assert "Family doctor for 12 years" in html
    assert html.count(f"Confirmed by the practice on {_today_text()}") >= 2
    body = patient.get(f"/api/v1/providers/{practice.practitioner.npi}").json()
    assert body["places"][0]["location"]["staff_languages"] == [
        {"code": "es", "name": "Spanish"},
        {"code": "zh", "name": "Chinese"},
    ]
    assert body["bio_fact"]["confirmed_by_practice"] is True


def test_insurance_plans_are_replaced_and_confirmed(practice, patient):
    kept, dropped, added = (InsurancePlanFactory() for _ in range(3))
    practice.role.insurance_plans.add(kept, dropped)
    response = practice.office.post(
        practice.edit_url("insurance", practice.role.pk), {"plans": [kept.slug, added.slug]}
    )
    assert response.status_code == 302
    assert set(practice.role.insurance_plans.all()) == {kept, added}
    event = AuditEvent.objects.get(field="insurance_plans")
    assert dropped.name in event.old_value and added.name in event.new_value
    body = patient.get(f"/api/v1/providers/{practice.practitioner.npi}").json()
    assert body["places"][0]["coverage"]["status_text"].startswith("Confirmed by the practice")


def test_procedures_offered_with_a_self_pay_range(practice, patient):
    url = practice.edit_url("procedure", practice.role.pk)
    response = practice.office.post(
        url, {"procedure": OMT, "self_pay_low": "80", "self_pay_high": "120.50"}
    )
    assert response.status_code == 302
    offered = OfferedProcedure.objects.get(role=practice.role)
    assert (offered.self_pay_low, offered.self_pay_high) == (Decimal("80"), Decimal("120.50"))
    facts = set(Verification.objects.filter(offered_procedure=offered).values_list("fact"))
    assert facts == {("procedure_offered",), ("self_pay_price",)}
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "$80–$120.50" in html

    # Dropping the price removes the price badge, not the procedure.
    practice.office.post(url, {"procedure": OMT, "self_pay_low": "", "self_pay_high": ""})
    facts = set(Verification.objects.filter(offered_procedure=offered).values_list("fact"))
    assert facts == {("procedure_offered",)}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"self_pay_low": "80"}, "Give both ends of the self-pay range, or leave both empty."),
        ({"self_pay_low": "120", "self_pay_high": "80"}, "The upper price must be at least"),
        ({"self_pay_low": "-5", "self_pay_high": "80"}, "Enter an amount of 0 or more."),
        ({"self_pay_low": "eighty", "self_pay_high": "90"}, "Enter an amount in dollars"),
        ({"self_pay_low": "1", "self_pay_high": "1e9"}, "Enter an amount under $1,000,000."),
        ({"procedure": "brain-transplant"}, "Choose a procedure from the list."),
    ],
)
def test_procedure_errors_say_what_to_type(practice, data, message):
    response = practice.office.post(
        practice.edit_url("procedure", practice.role.pk), {"procedure": OMT, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OfferedProcedure.objects.filter(role=practice.role).exists()


def test_a_reported_fact_stays_disputed_when_the_practice_saves_it(practice, patient):
    verify(practice.role, "accepting_new_patients", disputed=True)
    practice.office.post(
        practice.edit_url("accepting", practice.role.pk), {"accepting_new_patients": "newpt"}
    )
    verification = Verification.objects.get(role=practice.role, fact="accepting_new_patients")
    assert verification.disputed and verification.method == "office_confirmation"
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "Reported as possibly wrong" in html


def test_fhir_carries_the_practice_confirmation(practice, patient):
    practice.office.post(
        practice.edit_url("accepting", practice.role.pk), {"accepting_new_patients": "newpt"}
    )
    resource = patient.get(
        f"/fhir/PractitionerRole/{practice.role.pk}", HTTP_ACCEPT="application/fhir+json"
    ).json()
    methods = [
        (part["valueCode"], detail)
        for detail in resource["extension"]
        if detail["url"].endswith("StructureDefinition/verification")
        for part in detail["extension"]
        if part["url"] == "fact"
    ]
    [(fact, detail)] = [(f, d) for f, d in methods if f == "accepting_new_patients"]
    method = next(p for p in detail["extension"] if p["url"] == "method")
    assert method["valueCoding"]["code"] == "office_confirmation"
    day = next(p for p in detail["extension"] if p["url"] == "date")
    assert day["valueDate"] == timezone.localdate().isoformat()


def test_old_practice_confirmations_age_like_any_other(practice, patient):
    verify(
        practice.role,
        "accepting_new_patients",
        days_ago=181,
        method="office_confirmation",
    )
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "May be out of date" in html
    assert "via office confirmation" in html


def test_a_withdrawn_procedure_leaves_the_profile_and_the_trail_says_so(practice, patient):
    omt = Procedure.objects.get(slug=OMT)
    offered = confirmation.offer_procedure(
        practice.role, omt, None, None, practitioner=practice.practitioner, by_user=practice.user
    )
    assert "Not verified yet" not in _procedures_table(patient, practice)
    confirmation.withdraw_procedure(
        offered, practitioner=practice.practitioner, by_user=practice.user
    )
    assert not OfferedProcedure.objects.filter(role=practice.role).exists()
    assert "No procedures are listed yet." in _procedures_table(patient, practice)
    [added, removed] = AuditEvent.objects.filter(field="procedure").order_by("at", "id")
    assert (added.old_value, added.new_value) == ("", OMT)
    assert (removed.old_value, removed.new_value) == (OMT, "")


def _procedures_table(patient, practice) -> str:
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    return html[html.index('id="procedures-h"') : html.index('id="insurance-h"')]


def test_only_practice_editable_fields_go_through_update_facts(practice):
    with pytest.raises(ValueError, match="not a practice-editable field"):
        confirmation.update_facts(
            practice.location,
            {"phone": "2125550199"},  # an NPPES fact: the registry stays its source
            practitioner=practice.practitioner,
            by_user=practice.user,
        )
    practice.location.refresh_from_db()
    assert practice.location.phone == "2125550123"


@pytest.mark.parametrize("plan", ["99999999999999999999", "-1", "no-such-plan"])
def test_an_unknown_plan_is_a_field_error(practice, plan):
    response = practice.office.post(
        practice.edit_url("insurance", practice.role.pk), {"plans": [plan]}
    )
    assert response.status_code == 200
    assert "Choose plans from the list." in response.content.decode()
