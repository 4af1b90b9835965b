"""The practice's inbox of consultation requests: list, one request, status, notes, export."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from careatlas.consultations import services
from careatlas.consultations.access import get_request_for_member
from careatlas.consultations.forms import InboxFilterForm, NoteForm, StatusForm
from careatlas.consultations.models import ConsultationRequest
from careatlas.consultations.presenters import (
    inbox_rows,
    procedure_names,
    status_counts,
    status_summary,
)
from careatlas.consultations.timing import answer_by, is_overdue
from careatlas.practices.access import Verb, get_membership, practice_view, visible_locations

INBOX_PAGE_SIZE = 50


@practice_view
@require_safe
@never_cache
def inbox(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.VIEW)
    mine = ConsultationRequest.objects.for_member(membership)
    filters = InboxFilterForm(request.GET or None, locations=visible_locations(membership))
    # The list shows no patient details, so opening it reads nothing the trail must record.
    requests = (
        filters.apply(mine)
        .select_related("location", "procedure")
        .only("reference", "status", "created_at", "location", "procedure", "practice_id")
    )
    page = Paginator(requests, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/inbox.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "counts": status_counts(mine.status_counts(), mine.overdue().count()),
            "rows": inbox_rows(page.object_list),
            "response_days": settings.CONSULTATION_RESPONSE_BUSINESS_DAYS,
        },
    )


def _detail(request, membership, found, status_form=None, note_form=None) -> HttpResponse:
    return render(
        request,
        "consultations/detail.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "found": found,
            "summary": status_summary(found),
            "procedure": procedure_names([found.procedure]).get(found.procedure_id, ""),
            "answer_by": answer_by(found.created_at),
            "overdue": is_overdue(found.created_at, found.status),
            "status_form": status_form or StatusForm(initial={"status": found.status}),
            "note_form": note_form or NoteForm(initial={"notes": found.notes}),
        },
        status=400 if (status_form or note_form) else 200,
    )


@practice_view
@require_safe
@never_cache
def detail(request: HttpRequest, practice_id: int, request_id: int) -> HttpResponse:
    membership, found = get_request_for_member(request.user, practice_id, request_id)
    services.record_view(found, request.user)
    return _detail(request, membership, found)


@practice_view
@require_POST
@never_cache
def change_status(request: HttpRequest, practice_id: int, request_id: int) -> HttpResponse:
    membership, found = get_request_for_member(request.user, practice_id, request_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, membership, found, status_form=form)
    services.change_status(
        found, request.user, form.cleaned_data["status"], form.cleaned_data["reason"]
    )
    messages.success(request, _("Status saved. We emailed the patient if they gave an address."))
    return redirect("consultations:detail", practice_id, found.pk)


@practice_view
@require_POST
@never_cache
def save_notes(request: HttpRequest, practice_id: int, request_id: int) -> HttpResponse:
    membership, found = get_request_for_member(request.user, practice_id, request_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, membership, found, note_form=form)
    services.save_notes(found, request.user, form.cleaned_data["notes"])
    messages.success(request, _("Notes saved."))
    return redirect("consultations:detail", practice_id, found.pk)


@practice_view
@require_safe
@never_cache
def export(request: HttpRequest, practice_id: int, request_id: int) -> HttpResponse:
    """One request as a text file, for a practice's own records system."""
    membership, found = get_request_for_member(request.user, practice_id, request_id)
    services.record_view(found, request.user, "consultation.exported")
    response = render(
        request,
        "consultations/export.txt",
        {"found": found, "practice": membership.practice},
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="request-{found.reference}.txt"'
    return response
