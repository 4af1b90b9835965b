"""Search result cards tell the truth: each Plan-Net answer about new patients said as itself,
the request button only where a practice reads requests, and the chosen plan with how we know
it (through the HTTP client, on either database)."""

import re
from html import unescape

import pytest

from careatlas.providers.models import PractitionerRole
from careatlas.search.interface import rebuild_provider_index
from tests.practice_personas import own, person
from tests.provider_factories import verify
from tests.provider_search_world import Neighbourhood, build_neighbourhood

pytestmark = pytest.mark.django_db

NEAR_CHELSEA = "/providers/?location=10001&radius=100"


@pytest.fixture
def town(content_pack) -> Neighbourhood:
    return build_neighbourhood()


def _card(patient, town: Neighbourhood, persona: str, query: str = NEAR_CHELSEA) -> str:
    response = patient.get(query)
    assert response.status_code == 200
    name = getattr(town, persona).display_name
    cards = re.findall(r'<li class="provider-hit".*?</li>\s*(?=<li class="provider-hit"|</ol>)',
                       response.content.decode(), re.S)  # fmt: skip
    return next(card for card in cards if f">{name}</a>" in unescape(card))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _answer(town: Neighbourhood, persona: str, code: str) -> None:
    PractitionerRole.objects.filter(practitioner=getattr(town, persona)).update(
        accepting_new_patients=code
    )


@pytest.mark.parametrize(
    ("code", "said", "not_said"),
    [
        ("newpt", "Accepting new patients", "Call to ask"),
        ("existptonly", "Existing patients only", "Accepting new patients"),
        ("existptfam", "Existing patients and their families only", "Accepting new patients"),
        ("nopt", "Not accepting new patients", "Call to ask"),
        ("", "Call to ask about new patients", "Accepting new patients"),
    ],
    ids=["newpt", "existptonly", "existptfam", "nopt", "unknown"],
)
def test_each_new_patients_answer_is_said_as_itself(patient, town, code, said, not_said):
    _answer(town, "chen", code)
    card = _text(_card(patient, town, "chen"))
    assert said in card
    assert not_said not in card


def test_only_an_unknown_answer_asks_the_patient_to_call(patient, town):
    # Brooks said "not accepting"; Evans said nothing. The two never read alike.
    _answer(town, "evans", "")
    assert "Not accepting new patients" in _text(_card(patient, town, "brooks"))
    evans = _text(_card(patient, town, "evans"))
    assert "Call to ask about new patients" in evans
    assert "Not accepting" not in evans


def test_the_request_button_appears_only_where_the_practice_reads_requests(patient, town):
    form = f"/consultations/new/{town.alvarez.npi}/"
    assert form not in _card(patient, town, "alvarez")  # accepting, but nobody claimed it
    own(person("owner"), town.alvarez)
    card = _card(patient, town, "alvarez")
    assert f'href="{form}">Request a consultation' in card
    assert "View profile" not in card


def test_a_claimed_practice_not_accepting_here_gets_no_request_button(patient, town):
    own(person("owner"), town.brooks)
    card = _card(patient, town, "brooks")
    assert "/consultations/" not in card
    assert f'href="{town.brooks.get_absolute_url()}">View profile' in card


def test_the_request_button_carries_the_procedure_searched_for(patient, town):
    own(person("owner"), town.alvarez)
    query = NEAR_CHELSEA + "&procedure=osteopathic-manual-treatment"
    card = _card(patient, town, "alvarez", query)
    assert (
        f'href="/consultations/new/{town.alvarez.npi}/?procedure=osteopathic-manual-treatment"'
        in card
    )


def test_a_chosen_plan_is_said_with_how_it_was_verified(patient, town):
    role = PractitionerRole.objects.get(practitioner=town.alvarez)
    verify(role, "insurance", days_ago=3, method="office_confirmation")
    rebuild_provider_index()
    query = NEAR_CHELSEA + "&insurance=empire-demo-ppo"
    alvarez = _text(_card(patient, town, "alvarez", query))
    assert "Accepts Empire Demo PPO" in alvarez
    assert "Confirmed by the practice on" in alvarez
    chen = _text(_card(patient, town, "chen", query))  # listed, but nobody has checked it
    assert "Accepts Empire Demo PPO Not verified yet" in chen


def test_without_a_plan_chosen_cards_say_nothing_about_plans(patient, town):
    assert "Accepts " not in _text(_card(patient, town, "alvarez"))


def test_the_consultation_form_takes_requests_where_the_cards_offer_them(patient, town):
    own(person("owner"), town.alvarez)
    assert patient.get(f"/consultations/new/{town.alvarez.npi}/").status_code == 200
    _answer(town, "alvarez", "nopt")
    html = patient.get(f"/consultations/new/{town.alvarez.npi}/").content.decode()
    assert "Request a consultation" not in _text(_card(patient, town, "alvarez"))
    assert "not accepting new patients" in html.lower()
