"""Personas for reviews: Pat's request to Dr Dana Reyes reached "scheduled", so Pat got a link."""

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client, TestCase

from careatlas.consultations import services as consultations
from careatlas.consultations.models import ConsultationRequest
from careatlas.reviews.models import Review, ReviewLink
from tests.consultation_personas import Office, send

SCORES = {"overall": "4", "bedside_manner": "5", "explained_clearly": "4", "wait_time": "3"}
KIND_WORDS = "Dr Reyes listened and explained the options clearly. The wait was short."


@dataclass
class Visit:
    office: Office
    request: ConsultationRequest
    link_path: str  # /reviews/link/<token>/ from Pat's email

    @property
    def practice(self):
        return self.office.practice

    @property
    def link(self) -> ReviewLink:
        return ReviewLink.objects.get(request=self.request)


def link_in_mail(to: str = "pat@example.net") -> str:
    """The path of the review link in the last email to `to`."""
    [message] = [m for m in mail.outbox if m.to == [to] and "/reviews/link/" in m.body]
    return re.search(r"https?://[^/\s]+(/reviews/link/[^/\s]+/)", message.body).group(1)


def move_to(found: ConsultationRequest, status: str, by=None) -> None:
    """The office changes the request's status (mail goes after the commit, as in a request)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultations.change_status(found, by, status)


def visit_for(office: Office, email: str = "pat@example.net", status: str = "scheduled") -> Visit:
    """A patient sends a request with `email`; the office moves it to `status`."""
    send(Client(), office, email=email)
    found = ConsultationRequest.objects.order_by("-pk").first()
    move_to(found, status)
    return Visit(office, found, link_in_mail(email))


def write(client: Client, visit: Visit, **fields) -> object:
    """Post the review form at the link (the same answers unless overridden)."""
    data = {**SCORES, "text": KIND_WORDS, "display_name": "", **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(visit.link_path, data)


def the_review(visit: Visit) -> Review:
    return Review.objects.get(link__request=visit.request)


@pytest.fixture
def visit(office, mailoutbox) -> Visit:
    return visit_for(office)
