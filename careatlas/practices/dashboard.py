"""What the facts dashboard shows: each editable fact, its value, its last confirmation."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.practices.access import Verb, allows
from careatlas.practices.fact_groups import About, Group, groups_about
from careatlas.practices.models import Membership
from careatlas.practices.presenters import Place, place
from careatlas.providers.models import (
    AccessibilityFeature,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    confirmation_days,
)
from careatlas.providers.practice_presenters import KeptFact, kept_facts
from careatlas.providers.presenters import language_names

NOT_YET = "not-yet"


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str
    status: str
    confirmed: bool  # confirmed by the practice and not out of date
    edit_url: str  # empty when this member may not edit it


@dataclass
class Section:
    heading: str
    rows: list[FactRow] = field(default_factory=list)
    place: Place | None = None


@dataclass
class Dashboard:
    sections: list[Section]
    can_confirm_all: bool
    banner: str  # the 90-day reminder, or ""
    last_confirmed: str  # "Last confirmed in full on ...", or ""


def _yes_no(value: bool | None) -> str:
    return {True: _("yes"), False: _("no"), None: _("not stated")}[value]


def _value(group: Group, subject) -> str:
    """The current value of a group, in a few words."""
    slug = group.slug
    if slug == "new-patients":
        return subject.get_accepting_new_patients_display()
    if slug == "insurance":
        count = len(subject.insurance_plans.all())
        if not count:
            return _("None listed")
        return ngettext("%(n)s plan", "%(n)s plans", count) % {"n": count}
    if slug == "procedures":
        names = [str(item.procedure) for item in subject.offered_procedures.all()]
        return ", ".join(names) or _("None listed")
    if slug == "visits":
        return _("Video: %(video)s · Phone: %(phone)s") % {
            "video": _yes_no(subject.video_visits),
            "phone": _yes_no(subject.phone_visits),
        }
    if slug == "hours":
        days = {day for period in subject.hours or [] for day in period.get("days", [])}
        return ngettext("Open %(n)s day a week", "Open %(n)s days a week", len(days)) % {
            "n": len(days)
        }
    if slug == "staff-languages":
        return ", ".join(language_names(subject.staff_languages)) or _("None listed")
    if slug == "accessibility":
        labels = dict(AccessibilityFeature.choices)
        return ", ".join(str(labels.get(f, f)) for f in subject.accessibility) or _("None listed")
    if slug == "languages":
        return ", ".join(language_names(subject.languages)) or _("None listed")
    if slug == "bio":
        return (subject.bio[:80] + "…") if len(subject.bio) > 80 else subject.bio or _("None yet")
    return _("A photo is shown") if subject.photo_url else _("No photo yet")


def _status(group: Group, subject_pks: list[int], kept: dict) -> tuple[str, bool]:
    """The least recently confirmed of the group's facts speaks for the group."""
    rows: list[KeptFact] = [
        kept[(fact, pk)] for fact in group.facts for pk in subject_pks if (fact, pk) in kept
    ]
    if not rows:
        # Only facts the profile shows are kept (an empty bio, no procedures): nothing to vouch for.
        return _("Not on your public profile yet"), False
    oldest = min(rows, key=lambda row: row.last_confirmed or datetime.date.min)
    current = all(row.status == _confirmed_text(row.last_confirmed) for row in rows)
    return oldest.status, current


def _confirmed_text(day: datetime.date | None) -> str:
    """kept_facts' words for a current confirmation (not stale, not disputed)."""
    if day is None:
        return ""
    return _("Confirmed by the practice on %(day)s") % {
        "day": formats.date_format(day, "DATE_FORMAT")
    }


def _row(group: Group, subject, pks: list[int], kept: dict, url: str, label: str = "") -> FactRow:
    status, confirmed = _status(group, pks, kept)
    return FactRow(label or str(group.label), _value(group, subject), status, confirmed, url)


def _edit_url(practice_id: int, group: Group, pk: int | None = None) -> str:
    if group.about == About.PRACTITIONER:
        return reverse("practices:edit_practitioner", args=[practice_id, group.slug])
    name = "practices:edit_location" if group.about == About.LOCATION else "practices:edit_role"
    return reverse(name, args=[practice_id, pk, group.slug])


def _banner(subject: Practitioner | Organization, today: datetime.date) -> tuple[str, str]:
    if subject.claimed_on is None:
        return "", ""
    last = subject.practice_confirmed_on
    days = confirmation_days()
    overdue = subject.confirmation_lapsed_since(today) is not None
    last_text = (
        _("You last confirmed everything on %(day)s.")
        % {"day": formats.date_format(last, "DATE_FORMAT")}
        if last
        else _("You have not confirmed everything yet.")
    )
    if not overdue:
        return "", last_text
    return (
        _(
            "Please check your facts: it is more than %(days)s days since they were last "
            "confirmed. Patients see “Not confirmed by the practice” until you do."
        )
        % {"days": days},
        last_text,
    )


def dashboard(membership: Membership, locations: list[Location]) -> Dashboard:
    """The dashboard of one member: what they see and which rows they may edit."""
    practice = membership.practice
    today = timezone.localdate()
    roles = PractitionerRole.objects.public().filter(location__in=[loc.pk for loc in locations])
    if practice.practitioner_id:
        roles = roles.filter(practitioner_id=practice.practitioner_id)
    roles = list(
        roles.select_related("practitioner", "location")
        .prefetch_related("insurance_plans", "offered_procedures__procedure")
        .order_by("location_id", "practitioner__last_name", "id")
    )
    # An organization keeps the facts at its own places; a practitioner's practice keeps theirs.
    kept = {(row.fact, row.subject.pk): row for row in kept_facts(practice.subject, today)}
    sections = []
    if practice.practitioner_id:
        person = practice.practitioner
        may = allows(membership, Verb.CHANGE_PRACTITIONER)
        section = Section(_("About %(name)s") % {"name": person.display_name})
        for group in groups_about(About.PRACTITIONER):
            url = _edit_url(practice.pk, group) if may else ""
            section.rows.append(_row(group, person, [person.pk], kept, url))
        sections.append(section)
    for location in locations:
        may = allows(membership, Verb.CHANGE, location)
        section = Section(place(location).heading, place=place(location))
        for role in (r for r in roles if r.location_id == location.pk):
            for group in groups_about(About.ROLE):
                url = _edit_url(practice.pk, group, role.pk) if may else ""
                label = str(group.label)
                if not practice.practitioner_id:
                    label = f"{label} ({role.practitioner.display_name})"
                pks = [role.pk]
                if group.slug == "procedures":
                    pks = [item.pk for item in role.offered_procedures.all()]
                section.rows.append(_row(group, role, pks, kept, url, label))
        for group in groups_about(About.LOCATION):
            url = _edit_url(practice.pk, group, location.pk) if may else ""
            section.rows.append(_row(group, location, [location.pk], kept, url))
        sections.append(section)
    banner, last = _banner(practice.subject, today)
    return Dashboard(
        sections=sections,
        can_confirm_all=allows(membership, Verb.CONFIRM_ALL),
        banner=banner,
        last_confirmed=last,
    )
