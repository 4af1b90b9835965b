"""When a practice aims to answer: a number of business days after sending.

Business days are Monday to Friday except the US federal holidays (5 U.S.C. 6103), moved to
the Friday before or the Monday after when they fall on a weekend, as federal offices
observe them. Most practices close on those days, so counting them would mark requests
overdue while the office was shut.
"""

from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of the month; n=-1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days federal offices are closed for a holiday in `year`."""
    fixed = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]
    days = {_observed(date(year, month, day)) for month, day in fixed}
    days |= {
        _nth_weekday(year, 1, MONDAY, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        _nth_weekday(year, 5, MONDAY, -1),  # Memorial Day
        _nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        _nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        _nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving Day
    }
    # New Year's Day on a Saturday is observed on 31 December of the year before.
    days.add(_observed(date(year + 1, 1, 1)))
    return frozenset(day for day in days if day.year == year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            days -= 1
    return current


def answer_by(sent_at: datetime) -> date:
    """The last day of the practice's response-time target for a request sent at `sent_at`."""
    return add_business_days(
        timezone.localdate(sent_at), settings.CONSULTATION_RESPONSE_BUSINESS_DAYS
    )


def is_overdue(sent_at: datetime, status: str, now: datetime | None = None) -> bool:
    """A new request not answered by the end of its target day."""
    return status == "new" and timezone.localdate(now or timezone.now()) > answer_by(sent_at)


def overdue_if_sent_before(now: datetime | None = None) -> datetime:
    """The instant before which a still-new request is overdue: `is_overdue` as a bound.

    answer_by() never decreases as the sending day moves later, so walking back from today
    finds the first sending day whose target is already past.
    """
    today = timezone.localdate(now or timezone.now())
    days = settings.CONSULTATION_RESPONSE_BUSINESS_DAYS
    sent_on = today
    while add_business_days(sent_on - timedelta(days=1), days) >= today:
        sent_on -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(sent_on, time.min))
