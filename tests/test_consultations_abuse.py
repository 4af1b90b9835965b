"""What keeps scripts off the request form, and hostile input that never gets a 500."""

import itertools
import re

import pytest
from django.test import Client

from careatlas.consultations.models import ConsultationRequest
from tests.consultation_personas import patient_answers, send
from tests.test_request_bounds import VALUES

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_sends_nothing(office):
    response = send(Client(), office, website="http://spam.example")
    assert response.status_code == 200
    assert not ConsultationRequest.objects.exists()


def test_a_form_sent_faster_than_a_person_can_type_is_not_taken(office, settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 60
    response = send(Client(), office)
    assert "That was very quick. Check your answers and send again." in response.content.decode()
    assert not ConsultationRequest.objects.exists()
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    forged = Client().post(office.form_url, {"started": "1", **patient_answers(office)})
    assert "This form was open too long" in forged.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_one_address_sends_a_few_requests_a_day_then_gets_a_friendly_429(office, settings):
    settings.CONSULTATION_REQUESTS_PER_CONTACT_DAY = 2
    for n in range(2):
        assert send(Client(REMOTE_ADDR=f"10.0.0.{n}"), office).status_code == 200
    refused = send(Client(REMOTE_ADDR="10.0.0.9"), office, email="PAT@example.net ")
    assert refused.status_code == 429
    assert "Too many requests for now" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert ConsultationRequest.objects.count() == 2
    assert send(Client(REMOTE_ADDR="10.0.0.9"), office, email="kim@example.net").status_code == 200


def test_one_connection_gets_a_limited_number_of_posts_an_hour(office, settings):
    settings.CONSULTATION_POSTS_PER_IP_HOUR = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [send(client, office, email=f"p{n}@example.net").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert ConsultationRequest.objects.count() == 3
    assert send(Client(REMOTE_ADDR="10.1.1.2"), office).status_code == 200


def test_the_form_never_fails_on_hostile_values(office, settings):
    settings.CONSULTATION_POSTS_PER_IP_HOUR = 0
    settings.CONSULTATION_REQUESTS_PER_CONTACT_DAY = 0
    client = Client()
    page = client.get(office.form_url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    valid = {"started": started, **patient_answers(office)}
    failures, answered = [], set()
    for field, value in itertools.product(valid, VALUES):
        status = client.post(office.form_url, {**valid, field: value}).status_code
        answered.add(status)
        if status >= 500:
            failures.append((field, value, status))
    for value in VALUES:
        status = client.get(office.form_url, {"procedure": value}).status_code
        answered.add(status)
        if status >= 500:
            failures.append(("?procedure", value, status))
        answered.add(client.get(f"/consultations/status/{value}/").status_code)
    assert failures == []
    assert {200, 400, 404} <= answered
