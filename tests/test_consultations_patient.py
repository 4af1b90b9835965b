"""The patient's side: from a guide or profile to the form, the confirmation, status and email."""

import pytest
from django.test import Client

from careatlas.consultations.models import ConsultationRequest
from careatlas.practices.models import Practice
from careatlas.providers.models import PractitionerRole
from tests.consultation_personas import QUESTIONS, send, status_link
from tests.practice_personas import make_clinic, own, person

pytestmark = pytest.mark.django_db


def test_the_form_carries_the_guide_and_its_questions(office):
    html = (
        Client().get(office.form_url, {"procedure": office.guide.procedure.slug}).content.decode()
    )
    assert "Request a consultation with" in html
    assert "Osteopathic manipulative treatment (OMT)" in html
    for question in QUESTIONS:
        assert question in html
    assert "no-store" in Client().get(office.form_url)["Cache-Control"]
    assert "some procedures are only for adults" in html  # why we ask for the age


def test_a_sent_request_gives_a_reference_a_status_link_and_an_email(office, mailoutbox):
    response = send(Client(), office)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the page shows what Pat sent
    found = ConsultationRequest.objects.get()
    assert f"Your reference is <strong>{found.reference}</strong>" in html
    assert "This is a request, not a booked appointment." in html
    assert found.question_list == [QUESTIONS[0], QUESTIONS[2]]
    assert found.location == office.clinic.uptown and found.procedure == office.guide.procedure
    patient_mail = [m for m in mailoutbox if m.to == ["pat@example.net"]]
    assert len(patient_mail) == 1
    assert found.reference in patient_mail[0].body
    assert status_link(response) in patient_mail[0].body
    # Only what Pat needs: no name, birth date, insurance or message in the email.
    for detail in ("Pat Morgan", "1970", "Aetna", "back pain"):
        assert detail not in patient_mail[0].body


def test_the_status_page_opens_by_token_only_and_is_never_cached(office):
    link = status_link(send(Client(), office))
    response = Client().get(link)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Status: New" in html
    assert "This is a request, not a booked appointment." in html
    assert "The office aims to answer by" in html
    assert Client().get(link[:-5] + "xxxx/").status_code == 404
    assert (
        Client().get(f"/consultations/status/{ConsultationRequest.objects.get().pk}/").status_code
        == 404
    )


def test_the_token_is_long_and_only_its_digest_is_stored(office):
    link = status_link(send(Client(), office))
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    found = ConsultationRequest.objects.get()
    assert token not in found.token_hash and len(found.token_hash) == 64


def test_self_pay_shows_the_price_range_and_the_good_faith_estimate(office):
    html = send(Client(), office, payment="self_pay", insurance="").content.decode()
    assert "$120–$180" in html
    assert "Good Faith Estimate" in html and "No Surprises Act" in html
    link = status_link(
        send(Client(), office, payment="self_pay", insurance="", email="b@example.net")
    )
    assert "Good Faith Estimate" in Client().get(link).content.decode()


def test_a_practice_that_has_not_claimed_its_profile_takes_no_requests(db):
    clinic = make_clinic(" Unclaimed")
    response = Client().get(f"/consultations/new/{clinic.practitioner.npi}/")
    html = response.content.decode()
    assert "This practice does not take requests here yet. Call (212) 555-0101." in html
    assert "<form" not in html.split("</header>", 1)[1]
    # A practice row started by an unfinished claim is not a claimed practice either.
    Practice.objects.create(practitioner=clinic.practitioner)
    assert (
        "does not take requests here yet"
        in Client().get(f"/consultations/new/{clinic.practitioner.npi}/").content.decode()
    )


def test_the_profile_itself_says_whether_the_practice_takes_requests(office):
    form = f"/consultations/new/{office.clinic.practitioner.npi}/"
    claimed = Client().get(office.clinic.practitioner.get_absolute_url()).content.decode()
    assert f'href="{form}">Request a consultation' in claimed
    unclaimed = make_clinic(" Unclaimed").practitioner
    html = Client().get(unclaimed.get_absolute_url()).content.decode()
    assert "This practice does not take requests here yet. Call the office:" in html
    assert f"/consultations/new/{unclaimed.npi}/" not in html
    # Approving a claim changes the content version, so a cached profile is not stale.
    own(person("newowner"), unclaimed)
    html = Client().get(unclaimed.get_absolute_url()).content.decode()
    assert f'href="/consultations/new/{unclaimed.npi}/">Request a consultation' in html


def test_not_accepting_new_patients_is_said_before_the_form(office):
    PractitionerRole.objects.filter(practitioner=office.clinic.practitioner).update(
        accepting_new_patients="nopt"
    )
    html = Client().get(office.form_url).content.decode()
    assert "not accepting new patients" in html
    assert 'name="name"' not in html


def test_an_office_not_taking_new_patients_is_not_offered(office):
    PractitionerRole.objects.filter(location=office.clinic.downtown).update(
        accepting_new_patients="nopt"
    )
    html = Client().get(office.form_url).content.decode()
    assert "Uptown office" in html and "Downtown office" not in html
    response = send(Client(), office, location=office.clinic.downtown.pk)
    assert "Choose one of the offices listed." in response.content.decode()
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter your name so the office knows who to ask for."),
        ({"email": ""}, "Enter an email address, as you chose email."),
        ({"contact_method": "phone", "phone": "12"}, "Enter a 10-digit US phone number"),
        (
            {"contact_method": "phone", "phone": ""},
            "Enter a phone number, as you chose to be called.",
        ),
        ({"insurance": ""}, "Enter your insurance plan, or choose self-pay."),
        ({"birth_date": ""}, "Enter your date of birth or choose an age range."),
        ({"birth_date": "2999-01-01"}, "Enter your date of birth: a date in the past."),
        ({"birth_date": "31/31/1970"}, "Enter a date like 1970-03-31."),
        ({"message": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_mistakes_get_plain_field_errors(office, overrides, message):
    response = send(Client(), office, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_an_age_range_can_replace_the_date_of_birth(office):
    send(Client(), office, birth_date="", age_range="40-64")
    assert ConsultationRequest.objects.get().age_range == "40-64"


def test_the_profile_and_search_lead_to_the_request_form(office):
    practitioner = office.clinic.practitioner
    html = Client().get(practitioner.get_absolute_url()).content.decode()
    assert f'href="{office.form_url}"' in html
    assert "coming soon" not in html


def test_the_privacy_page_says_how_long_requests_are_kept(db, settings):
    settings.CONSULTATION_RETENTION_DAYS = 180
    html = Client().get("/about/privacy/").content.decode()
    assert "We delete a request 180 days after the practice closes or declines it." in html
