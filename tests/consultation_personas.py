"""Personas for consultation requests: Pat the patient, Dana's claimed practice, the OMT guide."""

import re
from dataclasses import dataclass

import pytest
from django.test import Client, TestCase

from careatlas.practices.models import Practice
from careatlas.procedures.models import Guide
from tests.factories import GuideFactory, add_question
from tests.practice_personas import Clinic, make_clinic, own, person
from tests.provider_factories import offer

QUESTIONS = [
    "How many OMT sessions will I need?",
    "What should I avoid after a session?",
    "Is OMT safe with my osteoporosis?",
]


@dataclass
class Office:
    clinic: Clinic
    practice: Practice
    guide: Guide

    @property
    def form_url(self) -> str:
        return f"/consultations/new/{self.clinic.practitioner.npi}/"


def patient_answers(office: Office, **overrides) -> dict:
    """What Pat types: a valid request to the uptown office."""
    data = {
        "location": office.clinic.uptown.pk,
        "procedure": office.guide.procedure.slug,
        "questions": ["0", "2"],
        "payment": "insurance",
        "insurance": "Aetna Choice POS II",
        "days": ["mon", "wed"],
        "times": ["morning"],
        "contact_method": "email",
        "email": "pat@example.net",
        "phone": "",
        "name": "Pat Morgan",
        "birth_date": "1970-03-31",
        "age_range": "",
        "message": "Lower back pain for three months.",
        "website": "",
    }
    data.update(overrides)
    return data


def send(client: Client, office: Office, **overrides):
    """Open the form (for its signed start time), then send it; returns the response."""
    page = client.get(office.form_url, {"procedure": office.guide.procedure.slug})
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the emails go after the commit
        return client.post(
            office.form_url, {"started": started, **patient_answers(office, **overrides)}
        )


def status_link(response) -> str:
    return re.search(r'href="(/consultations/status/[^"/]+/)"', response.content.decode()).group(1)


@pytest.fixture
def quick_forms(settings):
    """Tests fill the form in no time; the minimum fill time has tests of its own."""
    settings.CONSULTATION_MIN_FILL_SECONDS = 0


@pytest.fixture
def office(db, quick_forms) -> Office:
    """Dr Dana Reyes (two offices) claimed her practice; her uptown office offers OMT and
    lists a self-pay range."""
    clinic = make_clinic()
    practice = own(person("dana"), clinic.practitioner)
    guide = GuideFactory(title="Osteopathic manipulative treatment (OMT)", status="published")
    for text in QUESTIONS:
        add_question(guide, text)
    uptown_role = clinic.practitioner.roles.get(location=clinic.uptown)
    offer(uptown_role, guide.procedure, low=120, high=180)
    return Office(clinic, practice, guide)
