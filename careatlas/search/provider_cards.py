"""One search result card: what it says about new patients, the plan chosen, and what to do."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.providers.models import AcceptingPatients
from careatlas.providers.presenters import Badge
from careatlas.providers.rating_presenters import rating_summary
from careatlas.search.provider_results import ProviderHit


def distance_text(miles: float | None) -> str:
    """'0.4 miles', '1 mile', '12 miles'; '' without a location."""
    if miles is None:
        return ""
    if miles < 10:
        value = round(miles, 1)
        shown = formats.number_format(value, 0 if value == int(value) else 1)
    else:
        value = round(miles)
        shown = formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return ngettext("%(n)s mile", "%(n)s miles", 1 if value == 1 else 2) % {"n": shown}


def volume_text(hit: ProviderHit) -> str:
    """'412 Medicare services in 2023', or '' when CMS lists none."""
    if hit.procedure_volume is None:
        return ""
    return ngettext(
        "%(n)s Medicare service in %(year)s",
        "%(n)s Medicare services in %(year)s",
        hit.procedure_volume,
    ) % {
        "n": formats.number_format(hit.procedure_volume, 0, force_grouping=True),
        "year": hit.volume_year,
    }


def new_patients_text(code: str) -> tuple[str, str]:
    """(state, text) for the card: "yes", "no" or "unknown", and what to tell the patient.

    Each Plan-Net answer is said as itself; only a missing answer becomes "call to ask",
    so "not accepting" never reads like "we do not know".
    """
    if code == AcceptingPatients.YES:
        return "yes", _("Accepting new patients")
    if code == AcceptingPatients.EXISTING:
        return "no", _("Existing patients only")
    if code == AcceptingPatients.EXISTING_AND_FAMILY:
        return "no", _("Existing patients and their families only")
    if code == AcceptingPatients.NO:
        return "no", _("Not accepting new patients")
    return "unknown", _("Call to ask about new patients")


@dataclass
class PlanLine:
    """'Accepts <plan>' with the badge saying how and when that was checked."""

    text: str
    badge: Badge


@dataclass
class HitCard:
    number: int
    hit: ProviderHit
    distance: str
    action_label: str
    action_url: str
    volume: str
    new_patients_state: str
    new_patients: str
    rating: str = ""  # '4.4 out of 5 from 23 reviews'; '' without reviews
    # Badge text by fact ("accepting_new_patients", "telehealth") the practice confirmed.
    confirmed: dict[str, str] = field(default_factory=dict)
    plan: PlanLine | None = None

    @property
    def takes_requests(self) -> bool:
        return self.hit.takes_requests


def hit_card(number: int, hit: ProviderHit, procedure: str = "") -> HitCard:
    # Only a practice that answers requests at this place gets the request form itself (with
    # the procedure searched for); everyone else the profile, which says how to get in touch.
    if hit.takes_requests:
        url = reverse("consultations:new", args=[hit.npi])
        if procedure:
            url += "?" + urlencode({"procedure": procedure})
        label = _("Request a consultation")
    else:
        label, url = _("View profile"), hit.url
    state, text = new_patients_text(hit.accepting)
    return HitCard(
        number,
        hit,
        distance_text(hit.distance_miles),
        label,
        url,
        volume_text(hit),
        state,
        text,
        rating_summary(hit.rating, hit.review_count),
    )


def plan_line(plan_name: str, badge: Badge) -> PlanLine:
    return PlanLine(_("Accepts %(plan)s") % {"plan": plan_name}, badge)
