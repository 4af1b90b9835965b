"""A Spanish-speaking patient under /es/: the site's own words come from the Spanish catalogue."""

import re

import pytest
from django.test import Client, RequestFactory, TestCase
from django.utils import translation
from django.views.defaults import server_error

from careatlas.consultations.models import ConsultationRequest
from careatlas.procedures.models import Guide
from careatlas.reviews import services as reviews
from careatlas.reviews.models import Review
from tests.consultation_personas import patient_answers
from tests.review_personas import SCORES, move_to

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


def test_every_email_to_a_patient_who_wrote_in_spanish_is_in_spanish(office, mailoutbox):
    """The patient's language is kept with the request: the office working in English moves it
    on, and the status email and review invitation still reach the patient in Spanish, while
    the office's own notice stays in the site's language (accounts store none yet)."""
    send_in_spanish(Client(), office)
    found = ConsultationRequest.objects.get()
    assert found.language == "es"
    notice = next(m for m in mailoutbox if m.subject.startswith("New consultation request"))
    assert notice.to != ["pat@example.net"]
    with translation.override("en"):
        move_to(found, "scheduled")
    subjects = {m.subject: m for m in mailoutbox if m.to == ["pat@example.net"]}
    status = subjects.pop(f"Novedades sobre su solicitud de consulta {found.reference}")
    assert "cambió el estado de su solicitud" in status.body and "Programada" in status.body
    invitation = subjects.pop("¿Cómo le fue en su consulta con Dana Reyes, DO?")
    assert "Si no tuvo una consulta, ignore este correo." in invitation.body
    assert "Nunca pagamos ni recompensamos a nadie por una opinión" in invitation.body

    # A moderator working in English rejects the review: the author reads why in Spanish.
    link = re.search(r"https?://[^/\s]+(/\S*reviews/link/[^/\s]+/)", invitation.body).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post(link, {**SCORES, "text": "Todo bien.", "display_name": ""})
    review = Review.objects.get(link__request=found)
    mailoutbox.clear()
    with translation.override("en"), TestCase.captureOnCommitCallbacks(execute=True):
        reviews.reject(review, None, "Describa la atención sin insultos.")
    [rejection] = mailoutbox
    assert (
        rejection.subject.startswith("Su opinión sobre ") and "no se publicó" in rejection.subject
    )
    assert "Describa la atención sin insultos." in rejection.body


def test_a_request_sent_from_an_english_page_is_answered_in_english(office, mailoutbox):
    send_in_spanish(Client(), office)  # the form's Spanish page...
    ConsultationRequest.objects.update(language="en")  # ...but as if sent from English
    found = ConsultationRequest.objects.get()
    mailoutbox.clear()
    with translation.override("es"):  # an office member reading the site in Spanish
        move_to(found, "scheduled")
    subjects = [m.subject for m in mailoutbox if m.to == ["pat@example.net"]]
    assert f"An update on your consultation request {found.reference}" in subjects


def test_a_profile_names_languages_and_closed_days_in_spanish(office):
    doctor = office.clinic.practitioner
    html = page(f"/es/providers/{doctor.npi}/{doctor.slug}/")
    assert "Inglés, Español" in html  # Django's own catalogue names the languages
    assert '<th scope="row">Domingo</th><td>Cerrado</td>' in html  # a day, not a request
    assert "Reportar información incorrecta" in html and "Cómo llegar" in html
    english = page(f"/providers/{doctor.npi}/{doctor.slug}/")
    assert "English, Spanish" in english and "Closed" in english


def test_breadcrumbs_name_specialties_and_conditions_in_spanish(content_pack):
    def crumbs(url: str) -> str:
        return re.search(r'<nav id="breadcrumbs".*?</nav>', page(url), re.S).group(0)

    guide = crumbs("/es/procedures/osteopathic-manual-treatment/")
    assert "Medicina osteopática" in guide and "Osteopathic Medicine" not in guide
    assert "Medicina osteopática" in crumbs("/es/specialties/osteopathic-medicine/")
    assert "Dolor de espalda baja" in crumbs("/es/conditions/low-back-pain/")
    assert "Osteopathic Medicine" in crumbs("/procedures/osteopathic-manual-treatment/")
