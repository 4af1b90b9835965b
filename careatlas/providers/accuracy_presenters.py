"""Formatting of the directory accuracy figures: shares, counts, the median, the weights."""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.providers.accuracy import SiteFigures
from careatlas.providers.models import Fact


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class AccuracyPage:
    figures: list[Figure]
    reports: list[Figure]
    weights: list[tuple[str, int]]
    computed_at: str
    confirmation_days: int
    stale_days: int


def _count(n: int) -> str:
    return formats.number_format(n, use_l10n=True, force_grouping=True)


def share(part: int, whole: int) -> str:
    """'12.5%', '<0.1%' for a small non-zero share, or 'none yet' when nothing to divide."""
    if not whole:
        return _("none yet")
    percent = 100 * part / whole
    if 0 < percent < 0.1:
        return _("less than 0.1%")
    return formats.number_format(round(percent, 1), 1, use_l10n=True) + "%"


def days_text(days: float | None) -> str:
    if days is None:
        return _("no reports closed yet")
    if days < 1:
        hours = max(1, round(days * 24))
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    whole = round(days)
    return ngettext("%(n)s day", "%(n)s days", whole) % {"n": whole}


def accuracy_page(figures: SiteFigures, weights: dict[str, int], stale_days: int) -> AccuracyPage:
    period = figures.confirmation_days
    return AccuracyPage(
        figures=[
            Figure(
                _("Profiles claimed by their practice"),
                share(figures.claimed, figures.profiles),
                _("%(claimed)s of %(profiles)s listed providers")
                % {"claimed": _count(figures.claimed), "profiles": _count(figures.profiles)},
            ),
            Figure(
                _("Claimed profiles confirmed in the last %(n)s days") % {"n": period},
                share(figures.claimed_confirmed, figures.claimed),
                _("%(n)s profiles") % {"n": _count(figures.claimed_confirmed)},
            ),
            Figure(
                _("Facts confirmed by practices in the last %(n)s days") % {"n": period},
                _count(figures.facts_confirmed),
            ),
        ],
        reports=[
            Figure(_("Open reports of incorrect information"), _count(figures.reports_open)),
            Figure(_("Reports resolved (profile corrected)"), _count(figures.reports_resolved)),
            Figure(_("Reports closed without a change"), _count(figures.reports_rejected)),
            Figure(
                _("Median time from report to decision"),
                days_text(figures.median_days_to_close),
            ),
        ],
        weights=sorted(
            ((str(Fact(fact).label), weight) for fact, weight in weights.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        computed_at=formats.date_format(timezone.localtime(figures.computed_at), "DATETIME_FORMAT"),
        confirmation_days=period,
        stale_days=stale_days,
    )
