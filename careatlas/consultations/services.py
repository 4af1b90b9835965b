"""The writes with side effects: a request sent, a status changed, notes saved, a view logged."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from careatlas.accounts.emails import send_email
from careatlas.consultations import mail
from careatlas.consultations.forms import RequestForm
from careatlas.consultations.models import (
    FINISHED,
    ConsultationRequest,
    Status,
    new_reference,
    new_token,
)
from careatlas.consultations.signals import status_changed
from careatlas.core.audit import record
from careatlas.practices.models import Practice
from careatlas.practices.models.practices import token_digest
from careatlas.procedures.models import Procedure

REFERENCE_TRIES = 5


def submit_request(
    form: RequestForm, practice: Practice, procedure: Procedure | None
) -> tuple[ConsultationRequest, str]:
    """Store a valid request, tell the practice and the patient; returns it and its token."""
    data = form.cleaned_data
    token = new_token()
    fields = {
        "practice": practice,
        "location": data["location"],
        "procedure": procedure,
        "token_hash": token_digest(token),
        "name": data["name"].strip(),
        "birth_date": data["birth_date"].isoformat() if data.get("birth_date") else "",
        "age_range": data.get("age_range", ""),
        "contact_method": data["contact_method"],
        "email": data.get("email", ""),
        "phone": data.get("phone", ""),
        "self_pay": data["payment"] == "self_pay",
        "insurance": "" if data["payment"] == "self_pay" else data["insurance"].strip(),
        "preferred_times": form.preferred_times(),
        "questions": "\n".join(form.chosen_questions()),
        "message": data.get("message", "").strip(),
        "language": get_language(),
    }
    for attempt in range(REFERENCE_TRIES):
        try:
            with transaction.atomic():
                found = ConsultationRequest.objects.create(reference=new_reference(), **fields)
                break
        except IntegrityError:  # a reference collision (1 in 2^40 per pair): draw again
            if attempt == REFERENCE_TRIES - 1:
                raise
    record("consultation.received", subject=found, practice_key=practice.key)
    link = settings.SITE_URL + reverse("consultations:status", args=[token])
    transaction.on_commit(lambda: _notify_members(found))
    transaction.on_commit(
        lambda: mail.email_patient.enqueue(found.pk, "received", mail.sealed(link), found.language)
    )
    return found, token


def _notify_members(found: ConsultationRequest) -> None:
    """Each member who may see the request gets a link to it: no patient details at all.

    In the site's language, not the patient's: accounts do not store a language yet.
    """
    members = (
        found.practice.memberships.filter(
            Q(role="owner") | Q(all_locations=True) | Q(locations=found.location_id)
        )
        .select_related("user")
        .distinct()
    )
    link = settings.SITE_URL + reverse("consultations:detail", args=[found.practice_id, found.pk])
    for membership in members:
        if membership.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                _send_new_request_notice(membership.user.email, found, link)


def _send_new_request_notice(address: str, found: ConsultationRequest, link: str) -> None:
    send_email(
        [address],
        _("New consultation request %(reference)s") % {"reference": found.reference},
        "consultations/email/new_request.txt",
        {"link": link, "reference": found.reference, "SITE_NAME": settings.SITE_NAME},
    )


def change_status(found: ConsultationRequest, user, status: str, reason: str = "") -> None:
    """Move a request on, tell the patient by email, and keep the change in the audit trail."""
    old = found.status
    found.status = status
    found.decline_reason = reason.strip() if status == Status.DECLINED else ""
    found.finished_at = (found.finished_at or timezone.now()) if status in FINISHED else None
    found.save(update_fields=["status", "decline_reason", "finished_at", "updated_at"])
    record(
        "consultation.status_changed",
        actor=user,
        subject=found,
        field="status",
        old=old,
        new=status,
        practice_key=found.practice.key,
    )
    if old != status:
        status_changed.send(sender=ConsultationRequest, request=found, old=old, new=status)
        transaction.on_commit(
            lambda: mail.email_patient.enqueue(found.pk, "status", "", found.language)
        )


def save_notes(found: ConsultationRequest, user, notes: str) -> None:
    found.notes = notes.strip()
    found.save(update_fields=["notes", "updated_at"])
    # That notes changed, never what they say.
    record(
        "consultation.notes_changed",
        actor=user,
        subject=found,
        field="notes",
        practice_key=found.practice.key,
    )


def record_view(found: ConsultationRequest, user, action: str = "consultation.viewed") -> None:
    record(action, actor=user, subject=found, practice_key=found.practice.key)
