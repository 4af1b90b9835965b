"""Emails to the patient, rendered in a background task so no address waits in the queue.

The queue (django-tasks' database backend) stores a task's arguments in clear: these tasks
get only the request's id, the language and an encrypted link, and read the address from
the encrypted row when they run.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from careatlas.accounts.emails import deliver_email
from careatlas.consultations.models import ConsultationRequest
from careatlas.consultations.presenters import status_summary
from careatlas.consultations.timing import answer_by
from careatlas.providers.fields import decrypt, encrypt

SUBJECTS = {
    "received": lambda ref: _("Your consultation request %(reference)s was sent") % ref,
    "status": lambda ref: _("An update on your consultation request %(reference)s") % ref,
}


def sealed(link: str) -> str:
    """A link encrypted for the queue: the status link opens the patient's details."""
    return encrypt(link)


@task()
def email_patient(request_id: int, kind: str, sealed_link: str, language: str) -> int:
    """Email the patient about their request (if they gave an address); returns 1 if sent."""
    found = (
        ConsultationRequest.objects.select_related(
            "practice__practitioner", "practice__organization"
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None or not found.email:
        return 0
    with translation.override(language):
        context = {
            "request": found,
            "practice_name": found.practice.name,
            "link": decrypt(sealed_link) if sealed_link else "",
            "answer_by": answer_by(found.created_at),
            "status": status_summary(found),
            "SITE_NAME": settings.SITE_NAME,
        }
        body = render_to_string(f"consultations/email/{kind}.txt", context).strip()
        subject = SUBJECTS[kind]({"reference": found.reference})
    return deliver_email.call(
        subject=subject,
        body=body,
        html_body="",
        to=[found.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
