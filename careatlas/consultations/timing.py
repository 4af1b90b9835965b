"""When a practice aims to answer: a number of business days (Monday to Friday) after sending."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def add_business_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; weekends do not count (holidays do)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
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
