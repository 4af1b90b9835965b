"""What practice pages show: registry facts read-only, locations, and the audit trail."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from careatlas.core.audit import AuditEvent
from careatlas.practices.models import Practice
from careatlas.providers.models import Location, Organization, Practitioner
from careatlas.providers.registry_presenters import organization_url

NPPES_URL = "https://nppes.cms.hhs.gov/"

ACTIONS = {
    "claim.started": _("Claim started"),
    "claim.code_sent": _("Code sent to the practice phone"),
    "claim.code_failed": _("Wrong code entered"),
    "claim.link_sent": _("Link sent to a practice email address"),
    "claim.in_review": _("Claim sent to staff review"),
    "claim.approved": _("Claim approved"),
    "claim.rejected": _("Claim rejected"),
    "claim.revoked": _("Claim revoked"),
    "claim.documents_deleted": _("Claim documents deleted"),
    "claim.document_viewed": _("Claim document viewed by staff"),
    "team.invited": _("Staff invited"),
    "team.invitation_cancelled": _("Invitation cancelled"),
    "team.joined": _("Staff joined"),
    "team.removed": _("Staff removed"),
    "fact.edited": _("Fact edited"),
    "facts.confirmed_all": _("Everything confirmed as still correct"),
    "practice.reminder_sent": _("Reminder to confirm the facts emailed to the owners"),
}


def phone_display(phone: str) -> str:
    return f"({phone[:3]}) {phone[3:6]}-{phone[6:]}" if len(phone) == 10 else phone


@dataclass(frozen=True)
class Place:
    location: Location
    heading: str
    address: str
    phone: str


def place(location: Location) -> Place:
    lines = [
        location.line1,
        location.line2,
        f"{location.city}, {location.state} {location.zip_code}",
    ]
    return Place(
        location=location,
        heading=location.name or str(location),
        address=", ".join(line for line in lines if line),
        phone=phone_display(location.phone),
    )


def registry_facts(subject: Practitioner | Organization) -> list[tuple[str, str]]:
    """Facts only NPPES may change: shown read-only with a pointer to NPPES."""
    if isinstance(subject, Practitioner):
        facts = [(_("Name"), subject.display_name), (_("NPI"), subject.npi)]
        licenses = [
            f"{lic.state} {lic.number} ({lic.get_status_display()})"
            for lic in subject.licenses.all()
        ]
        if licenses:
            facts.append((_("Licenses"), "; ".join(licenses)))
        return facts
    return [(_("Name"), subject.name), (_("NPI"), subject.npi)]


def public_url(subject: Practitioner | Organization) -> str:
    if isinstance(subject, Practitioner):
        return subject.get_absolute_url()
    return organization_url(subject)


def registry_page(practice: Practice, locations: list[Location]) -> dict:
    return {
        "facts": registry_facts(practice.subject),
        "public_url": public_url(practice.subject),
        "places": [place(location) for location in locations],
        "nppes_url": NPPES_URL,
    }


@dataclass(frozen=True)
class AuditRow:
    at: object
    who: str
    what: str
    field: str
    old: str
    new: str


def audit_rows(events: list[AuditEvent]) -> list[AuditRow]:
    return [
        AuditRow(
            at=event.at,
            who=event.actor_label or str(_("CareAtlas")),
            what=str(ACTIONS.get(event.action, event.action)),
            field=event.field,
            old=event.old_value,
            new=event.new_value,
        )
        for event in events
    ]
