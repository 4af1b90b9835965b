"""A Spanish-speaking patient under /es/: the site's own words come from the Spanish catalogue."""

import re

import pytest
from django.test import Client, RequestFactory, TestCase
from django.utils import translation
from django.views.defaults import server_error

from careatlas.consultations.models import ConsultationRequest
from careatlas.procedures.models import Guide
from tests.consultation_personas import patient_answers
from tests.review_personas import move_to

pytestmark = pytest.mark.django_db


def page(url: str, **params) -> str:
    response = Client().get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_home_page_speaks_spanish_and_says_so(content_pack):
    html = page("/es/")
    assert '<html lang="es"' in html
    assert "Entienda un procedimiento. Encuentre quién lo realiza de verdad." in html
    assert "Saltar al contenido principal" in html and "Buscar un médico" in html
    assert "Understand a procedure" in page("/")  # English stays at today's URLs


def test_a_guide_page_has_spanish_headings_and_notices_around_its_text(content_pack):
    guide = Guide.objects.filter(status="published").select_related("procedure").first()
    html = page(f"/es/procedures/{guide.procedure.slug}/")
    assert "En esta página" in html and "Cifras clave" in html
    assert "Solo información general, no consejo médico." in html
    assert "On this page" not in html


def test_the_provider_search_page_and_its_place_error_are_in_spanish(content_pack):
    html = page("/es/providers/")
    assert "Código postal, o ciudad y estado" in html
    assert "Por ejemplo: dolor de espalda, quiropráctico o el nombre de un médico." in html
    assert "Cualquier especialidad" in html and "Usar mi ubicación" in html
    html = page("/es/providers/", q="chiropractor", location="99999")
    assert "No encontramos el código postal 99999." in html
    assert "We could not find" not in html


def spanish_form(office) -> str:
    return "/es" + office.form_url


def send_in_spanish(client: Client, office, **overrides):
    form = client.get(spanish_form(office), {"procedure": office.guide.procedure.slug})
    started = re.search(r'name="started" value="([^"]+)"', form.content.decode()).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            spanish_form(office), {"started": started, **patient_answers(office, **overrides)}
        )


def test_the_consultation_form_labels_and_its_errors_are_in_spanish(office):
    html = page(spanish_form(office), procedure=office.guide.procedure.slug)
    for label in ("¿Qué consultorio?", "¿Cómo va a pagar?", "Días que le convienen", "Su nombre"):
        assert label in html
    html = send_in_spanish(Client(), office, name="", email="no-es-un-correo").content.decode()
    assert "Escriba su nombre para que el consultorio sepa por quién preguntar." in html
    assert "Escriba un correo electrónico como nombre@ejemplo.com." in html
    assert "Enter your name" not in html


def test_a_request_sent_in_spanish_is_confirmed_on_screen_and_by_email_in_spanish(
    office, mailoutbox
):
    html = send_in_spanish(Client(), office).content.decode()
    assert "Esto es una solicitud, no una cita reservada." in html
    [mail] = [m for m in mailoutbox if m.to == ["pat@example.net"]]
    assert mail.subject.startswith("Se envió su solicitud de consulta ")
    assert "Su solicitud de consulta se envió a" in mail.body
    assert "Esto es una solicitud, no una cita reservada." in mail.body


def test_the_server_error_page_follows_the_language_of_the_address():
    with translation.override("es"):  # as LocaleMiddleware leaves it for /es/ addresses
        html = server_error(RequestFactory().get("/es/")).content.decode()
    assert '<html lang="es">' in html and "Algo salió mal" in html
    html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="en">' in html and "Something went wrong" in html


def test_status_and_review_invitation_emails_are_rendered_in_the_language_sent_in(
    office, mailoutbox
):
    """The language is the one active when the office changes the status (the patient's own
    is not stored: docs/translating.md); the templates and subjects are all translated."""
    send_in_spanish(Client(), office)
    found = ConsultationRequest.objects.get()
    with translation.override("es"):
        move_to(found, "scheduled")
    subjects = {m.subject: m for m in mailoutbox if m.to == ["pat@example.net"]}
    status = subjects.pop(f"Novedades sobre su solicitud de consulta {found.reference}")
    assert "cambió el estado de su solicitud" in status.body and "Programada" in status.body
    invitation = subjects.pop("¿Cómo le fue en su consulta con Dana Reyes, DO?")
    assert "Si no tuvo una consulta, ignore este correo." in invitation.body
    assert "Nunca pagamos ni recompensamos a nadie por una opinión" in invitation.body


def test_a_profile_names_languages_and_closed_days_in_spanish(office):
    doctor = office.clinic.practitioner
    html = page(f"/es/providers/{doctor.npi}/{doctor.slug}/")
    assert "Inglés, Español" in html  # Django's own catalogue names the languages
    assert '<th scope="row">Domingo</th><td>Cerrado</td>' in html  # a day, not a request
    assert "Reportar información incorrecta" in html and "Cómo llegar" in html
    english = page(f"/providers/{doctor.npi}/{doctor.slug}/")
    assert "English, Spanish" in english and "Closed" in english
