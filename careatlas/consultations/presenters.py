"""How a request reads: its status in plain words, the self-pay range, the overdue flag."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from careatlas.consultations.models import ConsultationRequest, Status
from careatlas.consultations.timing import answer_by, is_overdue
from careatlas.procedures.models import Guide
from careatlas.providers.models import OfferedProcedure
from careatlas.providers.presenters import phone_display, price_range

# What each status means for the patient, on the status page and in the email.
EXPLANATIONS = {
    Status.NEW: _(
        "The office has your request but has not answered yet. This is a request, not a "
        "booked appointment."
    ),
    Status.CONTACTED: _("The office has been in touch with you, or tried to."),
    Status.SCHEDULED: _(
        "The office has told us a consultation is arranged. The office confirms the date and "
        "time with you directly."
    ),
    Status.CLOSED: _("The office has closed this request."),
    Status.DECLINED: _("The office cannot offer you a consultation."),
}


@dataclass(frozen=True)
class StatusSummary:
    label: str
    explanation: str
    reason: str


def status_summary(found: ConsultationRequest) -> StatusSummary:
    return StatusSummary(
        label=found.get_status_display(),
        explanation=str(EXPLANATIONS[Status(found.status)]),
        reason=found.decline_reason if found.status == Status.DECLINED else "",
    )


def self_pay_range(found_practice, location_id: int, procedure) -> str:
    """The practice's self-pay range for the procedure at that office, '' if none is listed."""
    if procedure is None or not found_practice.practitioner_id:
        return ""
    offered = (
        OfferedProcedure.objects.filter(
            role__practitioner_id=found_practice.practitioner_id,
            role__location_id=location_id,
            procedure=procedure,
            self_pay_low__isnull=False,
        )
        .order_by("self_pay_low")
        .first()
    )
    return price_range(offered.self_pay_low, offered.self_pay_high) if offered else ""


@dataclass(frozen=True)
class InboxRow:
    request: ConsultationRequest
    procedure: str
    answer_by: object
    overdue: bool


def procedure_names(procedures) -> dict[int, str]:
    """Procedure id -> the title of its published guide in the reader's language (else the
    site's), else its slug: a procedure's words live in its guides (one query)."""
    names = {p.pk: p.slug for p in procedures if p is not None}
    return names | Guide.objects.filter(procedure_id__in=names).titles(get_language())


def inbox_rows(requests) -> list[InboxRow]:
    now = timezone.now()
    requests = list(requests)
    names = procedure_names([r.procedure for r in requests])
    return [
        InboxRow(
            r,
            names.get(r.procedure_id, ""),
            answer_by(r.created_at),
            is_overdue(r.created_at, r.status, now),
        )
        for r in requests
    ]


def status_counts(counts: dict[str, int], overdue: int) -> list[tuple[str, int]]:
    """("New", 3), ("Contacted", 1), ... and ("Overdue", 2), for the inbox's summary line."""
    rows = [(str(Status(status).label), n) for status, n in counts.items()]
    return [*rows, (_("Overdue"), overdue)]


def office_phones(locations) -> list[str]:
    return [phone_display(location.phone) for location in locations if location.phone]
