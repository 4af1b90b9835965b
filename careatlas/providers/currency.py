"""How current a profile is, in one plain line: "Most facts checked in the last 6 months; 2 may
be out of date", from the verification dates of the facts the page shows."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The windows the line may name, shortest first: the first that holds most facts is said.
WINDOW_MONTHS = (1, 3, 6, 12)
DAYS_PER_MONTH = 365.25 / 12


class Checked(Protocol):
    """A fact's badge (presenters.Badge), as far as this line needs it."""

    state: str
    verified_on: datetime.date | None


@dataclass(frozen=True)
class Currency:
    total: int  # facts shown
    months: int | None  # the shortest window holding most of them; None: none does
    within: int  # facts checked inside that window (or inside the longest one)
    out_of_date: int  # stale or reported as possibly wrong
    never: int  # never checked

    @property
    def text(self) -> str:
        if not self.total:
            return ""
        if self.months is None:
            lead = (
                _("None of these facts has been checked yet")
                if self.never == self.total
                else _("Fewer than half of these facts were checked in the last year")
            )
        elif self.within == self.total:
            lead = _("Every fact checked in the last %(months)s") % {"months": _months(self.months)}
        else:
            lead = _("Most facts checked in the last %(months)s") % {"months": _months(self.months)}
        if not self.out_of_date:
            return f"{lead}."
        tail = ngettext(
            "%(count)s may be out of date", "%(count)s may be out of date", self.out_of_date
        ) % {"count": self.out_of_date}
        return f"{lead}; {tail}."


def _months(months: int) -> str:
    if months == 12:
        return _("year")
    return ngettext("month", "%(n)s months", months) % {"n": months}


def listing_currency(badges: Iterable[Checked], today: datetime.date) -> Currency:
    """The shortest window (1, 3, 6 or 12 months) in which more than half of the facts were
    checked, how many were, and how many may be out of date (stale or disputed)."""
    badges = list(badges)
    total = len(badges)
    dates = [b.verified_on for b in badges if b.verified_on is not None]
    out_of_date = sum(b.state in ("stale", "disputed") for b in badges)
    never = total - len(dates)
    within = 0
    for months in WINDOW_MONTHS:
        since = today - datetime.timedelta(days=round(months * DAYS_PER_MONTH))
        within = sum(day >= since for day in dates)
        if within * 2 > total:
            return Currency(total, months, within, out_of_date, never)
    return Currency(total, None, within, out_of_date, never)
