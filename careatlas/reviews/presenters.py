"""How a review's state and scores read to its author and to the practice."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.reviews.models import SCORES, Review, Status
from careatlas.reviews.screening import RULES


@dataclass(frozen=True)
class StatusSummary:
    label: str
    explanation: str


def status_summary(review: Review) -> StatusSummary:
    """What the author is told about where their review stands."""
    if review.status == Status.HELD:
        hours = settings.REVIEW_HOLD_HOURS
        return StatusSummary(
            _("Passed our checks"),
            ngettext(
                "It will be published within %(hours)s hour of sending. You can still "
                "change or delete it.",
                "It will be published within %(hours)s hours of sending. You can still "
                "change or delete it.",
                hours,
            )
            % {"hours": hours},
        )
    if review.status == Status.PENDING:
        rules = sorted({str(RULES[f["rule"]]) for f in review.flags if f.get("rule") in RULES})
        why = (
            _("Our checks found: %(what)s.") % {"what": ", ".join(rules).lower()}
            if rules
            else _("Someone reported it.")
        )
        return StatusSummary(
            _("Waiting for a moderator"),
            why
            + " "
            + _("A person reads it before it is published. If you change it, it is checked again."),
        )
    if review.status == Status.REJECTED:
        return StatusSummary(
            _("Not published"),
            _("A moderator did not publish it. Their reason: %(reason)s")
            % {"reason": review.reject_reason or _("none given")},
        )
    return StatusSummary(
        _("Published"),
        _("Everyone can read it on the practice’s profile, marked “Verified visit”."),
    )


def score_rows(review: Review) -> list[tuple[str, int]]:
    """(label, score) for each of the four scores, in the form's order."""
    labels = {
        "overall": _("Overall"),
        "bedside_manner": _("Bedside manner"),
        "explained_clearly": _("Explained things clearly"),
        "wait_time": _("Wait time"),
    }
    return [(labels[name], getattr(review, name)) for name in SCORES]
