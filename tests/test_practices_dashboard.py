"""Dana keeps her practice's facts current from its page; patients see them confirmed."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone
from PIL import Image

from careatlas.core.audit import AuditEvent
from careatlas.providers.models import OfferedProcedure, PractitionerRole, Verification
from careatlas.search.interface import rebuild_provider_index
from tests.practice_personas import join, own, person, signed_in
from tests.provider_factories import InsurancePlanFactory, LocationFactory, RoleFactory
from tests.test_request_bounds import VALUES

pytestmark = pytest.mark.django_db
OMT = "osteopathic-manual-treatment"


def _today() -> str:
    return formats.date_format(timezone.localdate(), "DATE_FORMAT")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def dana(clinic, content_pack):
    """Dana owns her practitioner practice; the test reads her pages through `client`."""
    cache.clear()
    practice = own(person("dana"), clinic.practitioner)
    user = practice.memberships.get().user
    role = PractitionerRole.objects.get(practitioner=clinic.practitioner, location=clinic.uptown)
    return {
        "clinic": clinic,
        "practice": practice,
        "client": signed_in(user),
        "user": user,
        "role": role,
        "home": f"/practice/{practice.pk}/",
    }


def _urls(dana) -> dict[str, str]:
    p, loc, role = dana["practice"].pk, dana["clinic"].uptown.pk, dana["role"].pk
    return {
        "new-patients": f"/practice/{p}/practitioners/{role}/facts/new-patients/",
        "insurance": f"/practice/{p}/practitioners/{role}/facts/insurance/",
        "procedures": f"/practice/{p}/practitioners/{role}/facts/procedures/",
        "visits": f"/practice/{p}/locations/{loc}/facts/visits/",
        "hours": f"/practice/{p}/locations/{loc}/facts/hours/",
        "staff-languages": f"/practice/{p}/locations/{loc}/facts/staff-languages/",
        "accessibility": f"/practice/{p}/locations/{loc}/facts/accessibility/",
        "languages": f"/practice/{p}/about/languages/",
        "bio": f"/practice/{p}/about/bio/",
        "photo": f"/practice/{p}/about/photo/",
    }


def _valid(slug: str) -> dict:
    plan = InsurancePlanFactory(slug="aetna-ppo", name="Aetna PPO")
    return {
        "new-patients": {"accepting_new_patients": "existptonly"},
        "insurance": {"plans": [plan.slug]},
        "procedures": {"procedure": OMT, "self_pay_low": "90", "self_pay_high": "140"},
        "visits": {"video_visits": "yes", "phone_visits": "no"},
        "hours": {"mon": "08:30-12:00, 13:00-17:00", "sat": "9-12"},
        "staff-languages": {"staff_languages": ["es", "zh"]},
        "accessibility": {"accessibility": ["step_free"]},
        "languages": {"languages": ["en", "fr"]},
        "bio": {"bio": "Spine doctor for 12 years; I see adults and teenagers."},
        "photo": {},
    }[slug]


def _saved(dana, slug: str):
    """What the edit changed, read back from the database."""
    role, location, practitioner = dana["role"], dana["clinic"].uptown, dana["clinic"].practitioner
    for thing in (role, location, practitioner):
        thing.refresh_from_db()
    return {
        "new-patients": role.accepting_new_patients == "existptonly",
        "insurance": list(role.insurance_plans.values_list("slug", flat=True)) == ["aetna-ppo"],
        "procedures": OfferedProcedure.objects.filter(role=role, self_pay_low=90).exists(),
        "visits": (location.video_visits, location.phone_visits) == (True, False),
        "hours": location.hours[0] == {"days": ["mon"], "opens": "08:30", "closes": "12:00"},
        "staff-languages": location.staff_languages == ["es", "zh"],
        "accessibility": location.accessibility == ["step_free"],
        "languages": practitioner.languages == ["en", "fr"],
        "bio": practitioner.bio.startswith("Spine doctor"),
        "photo": practitioner.photo_url.startswith(f"/providers/{practitioner.npi}/photo/"),
    }[slug]


@pytest.mark.parametrize(
    "slug",
    ["new-patients", "insurance", "procedures", "visits", "hours", "staff-languages",
     "accessibility", "languages", "bio", "photo"],
)  # fmt: skip
def test_each_group_of_facts_is_edited_and_confirmed_from_the_dashboard(dana, slug):
    client, url = dana["client"], _urls(dana)[slug]
    home = client.get(dana["home"]).content.decode()
    assert f'href="{url}"' in home  # the dashboard links to the edit page
    form = client.get(url)
    assert form.status_code == 200 and "Save and confirm" in form.content.decode()
    data = _valid(slug)
    if slug == "photo":
        data = {"photo": io.BytesIO(_png())}
        data["photo"].name = "me.png"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _saved(dana, slug)
    assert AuditEvent.objects.filter(actor=dana["user"], action="fact.edited").exists()
    page = client.get(response["Location"]).content.decode()
    assert "confirmed by the practice today" in page
    assert f"Confirmed by the practice on {_today()}" in client.get(dana["home"]).content.decode()


def test_errors_are_in_plain_words_and_nothing_changes(dana):
    response = dana["client"].post(_urls(dana)["hours"], {"mon": "9am till late"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Write Monday hours as 24-hour times such as 08:30-17:00" in html
    assert 'aria-invalid="true"' in html
    dana["clinic"].uptown.refresh_from_db()
    assert dana["clinic"].uptown.hours[0]["opens"] == "08:00"
    half = dana["client"].post(_urls(dana)["procedures"], {"procedure": OMT, "self_pay_low": "90"})
    assert "Give both ends of the self-pay range, or leave both empty." in half.content.decode()


def test_a_procedure_is_listed_then_withdrawn(dana):
    url = _urls(dana)["procedures"]
    dana["client"].post(url, _valid("procedures"))
    offered = OfferedProcedure.objects.get(role=dana["role"])
    page = dana["client"].get(url).content.decode()
    assert "self-pay $90.00 to $140.00" in page
    withdraw = f"/practice/{dana['practice'].pk}/practitioners/{dana['role'].pk}/procedures/"
    response = dana["client"].post(f"{withdraw}{offered.pk}/withdraw/")
    assert response.status_code == 302
    assert not OfferedProcedure.objects.filter(role=dana["role"]).exists()
    # Another role's procedure cannot be reached through this role.
    assert dana["client"].post(f"{withdraw}{offered.pk}/withdraw/").status_code == 404


def test_confirm_all_reaches_the_public_profile_and_search(dana, patient):
    rebuild_provider_index()
    practitioner = dana["clinic"].practitioner
    home = dana["client"].get(dana["home"]).content.decode()
    assert "Not confirmed by the practice yet" in home
    assert "Confirm all is still correct" in home
    response = dana["client"].post(f"/practice/{dana['practice'].pk}/confirm-all/")
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.practice_confirmed_on == timezone.localdate()
    home = dana["client"].get(response["Location"]).content.decode()
    assert "facts are confirmed by the practice today" in home
    assert "Not confirmed by the practice yet" not in home
    assert f"You last confirmed everything on {_today()}." in home
    assert Verification.objects.filter(
        role=dana["role"], fact="accepting_new_patients", method="office_confirmation"
    ).exists()
    profile = patient.get(practitioner.get_absolute_url()).content.decode()
    assert f"Confirmed by the practice on {_today()}" in profile
    search = patient.get("/providers/?location=10001&accepting=1").content.decode()
    assert "Dana Reyes" in search and f"Confirmed by the practice on {_today()}" in search
    assert AuditEvent.objects.filter(action="facts.confirmed_all", actor=dana["user"]).exists()


def test_confirm_all_is_a_post(dana):
    assert dana["client"].get(f"/practice/{dana['practice'].pk}/confirm-all/").status_code == 405


def test_the_banner_asks_for_a_confirmation_after_90_days(dana, settings):
    practitioner = dana["clinic"].practitioner
    practitioner.claimed_on = timezone.localdate() - datetime.timedelta(days=91)
    practitioner.save(update_fields=["claimed_on"])
    home = dana["client"].get(dana["home"]).content.decode()
    assert "it is more than 90 days since they were last confirmed" in home
    dana["client"].post(f"/practice/{dana['practice'].pk}/confirm-all/")
    home = dana["client"].get(dana["home"]).content.decode()
    assert "it is more than 90 days" not in home
    settings.PRACTICE_CONFIRMATION_DAYS = 30
    practitioner.refresh_from_db()
    practitioner.practice_confirmed_on = timezone.localdate() - datetime.timedelta(days=31)
    practitioner.save(update_fields=["practice_confirmed_on"])
    assert "more than 30 days" in dana["client"].get(dana["home"]).content.decode()


def test_a_new_claim_gets_no_banner_yet(dana):
    assert "more than 90 days" not in dana["client"].get(dana["home"]).content.decode()
    assert "You have not confirmed everything yet." in (
        dana["client"].get(dana["home"]).content.decode()
    )


def test_staff_edit_only_their_locations_and_not_the_practitioner(dana):
    clinic, p = dana["clinic"], dana["practice"].pk
    sam_user = person("sam")
    join(sam_user, dana["practice"], clinic.uptown)
    sam = signed_in(sam_user)
    uptown, downtown = clinic.uptown.pk, clinic.downtown.pk
    assert (
        sam.post(
            f"/practice/{p}/locations/{uptown}/facts/accessibility/",
            {"accessibility": ["step_free"]},
        ).status_code
        == 302
    )
    assert (
        sam.post(
            f"/practice/{p}/locations/{downtown}/facts/accessibility/", {"accessibility": []}
        ).status_code
        == 403
    )
    clinic.downtown.refresh_from_db()
    assert clinic.downtown.accessibility == ["step_free", "accessible_parking"]
    assert sam.post(f"/practice/{p}/about/bio/", {"bio": "Not mine"}).status_code == 403
    assert sam.post(f"/practice/{p}/confirm-all/").status_code == 403
    home = sam.get(f"/practice/{p}/").content.decode()
    assert "Confirm all is still correct" not in home
    assert f"/practice/{p}/about/bio/" not in home  # shown, not offered for editing
    assert f"/practice/{p}/locations/{uptown}/facts/hours/" in home
    assert f"/practice/{p}/locations/{downtown}/facts/hours/" not in home


def test_an_organization_edits_its_practitioners_facts_at_its_locations(clinic, content_pack):
    practice = own(person("olga"), clinic.organization)
    olga = signed_in(practice.memberships.get().user)
    role = PractitionerRole.objects.get(practitioner=clinic.practitioner, location=clinic.uptown)
    home = olga.get(f"/practice/{practice.pk}/").content.decode()
    assert "New patients (Dana Reyes, DO)" in home
    assert "Confirm all is still correct" in home  # for its locations (tests/test_facts_org)
    url = f"/practice/{practice.pk}/practitioners/{role.pk}/facts/new-patients/"
    assert olga.post(url, {"accepting_new_patients": "nopt"}).status_code == 302
    role.refresh_from_db()
    assert role.accepting_new_patients == "nopt"
    verification = Verification.objects.get(role=role, fact="accepting_new_patients")
    assert verification.verified_by == clinic.organization.name
    # The edit is on the organization's audit trail, which its owners read.
    trail = olga.get(f"/practice/{practice.pk}/audit/").content.decode()
    assert "Fact edited" in trail and "accepting_new_patients" in trail
    hours = f"/practice/{practice.pk}/locations/{clinic.downtown.pk}/facts/hours/"
    assert olga.post(hours, {"mon": "09:00-13:00"}).status_code == 302
    assert AuditEvent.objects.get(field="hours").practice_key == practice.key
    # The person's own facts are theirs: an organization has no "about" pages.
    assert olga.get(f"/practice/{practice.pk}/about/bio/").status_code == 404


def test_hostile_values_on_every_dashboard_form_never_cause_a_server_error(dana):
    failures, answered = [], set()
    for slug, url in _urls(dana).items():
        valid = _valid(slug) or {"photo": ""}
        for field in valid:
            for value in VALUES:
                status = dana["client"].post(url, {**valid, field: value}).status_code
                answered.add(status)
                if status >= 500:
                    failures.append((slug, field, value, status))
    assert failures == []
    assert {200, 302, 400} <= answered  # errors shown, saves made, NUL refused


def test_the_dashboard_reads_as_many_queries_for_ten_locations_as_for_two(dana):
    client, clinic = dana["client"], dana["clinic"]
    client.get(dana["home"])
    with CaptureQueriesContext(connection) as two:
        client.get(dana["home"])
    for _ in range(8):
        RoleFactory(
            practitioner=clinic.practitioner,
            location=LocationFactory(organization=clinic.organization),
        )
    with CaptureQueriesContext(connection) as ten:
        page = client.get(dana["home"]).content.decode()
    assert page.count("<strong>Opening hours</strong>") == 10
    assert len(ten) == len(two)  # 16 on SQLite when measured


def test_emptying_every_day_saves_a_location_as_closed(dana):
    response = dana["client"].post(_urls(dana)["hours"], {})
    assert response.status_code == 302
    dana["clinic"].uptown.refresh_from_db()
    assert dana["clinic"].uptown.hours == []
