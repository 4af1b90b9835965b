"""The response-time target counts business days: no weekends, no US federal holidays."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from careatlas.consultations.timing import (
    add_business_days,
    federal_holidays,
    is_overdue,
    overdue_if_sent_before,
)


def test_the_2026_federal_holidays_as_offices_observe_them():
    # OPM's 2026 list: Independence Day (a Saturday) is observed on Friday 3 July.
    assert sorted(federal_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ]


def test_a_saturday_new_year_is_observed_on_the_last_friday_of_the_year_before():
    # 1 January 2022 was a Saturday.
    assert date(2021, 12, 31) in federal_holidays(2021)
    assert date(2021, 12, 31) not in federal_holidays(2022)
    assert date(2022, 1, 1) not in federal_holidays(2022)
    # Christmas 2022 was a Sunday: observed Monday 26 December.
    assert date(2022, 12, 26) in federal_holidays(2022)


def test_business_days_skip_weekends_and_holidays():
    # Sent Wednesday 25 November 2026: Thanksgiving (Thu) and the weekend do not count.
    assert add_business_days(date(2026, 11, 25), 2) == date(2026, 11, 30)
    # Sent Thursday 24 December 2026: Christmas (Fri) and the weekend do not count.
    assert add_business_days(date(2026, 12, 24), 2) == date(2026, 12, 29)
    assert add_business_days(date(2026, 12, 7), 2) == date(2026, 12, 9)


@pytest.mark.parametrize("target_days", [1, 2, 5])
def test_the_overdue_bound_agrees_with_the_rule_for_every_sending_day(settings, target_days):
    """The inbox filters overdue requests in SQL with a bound; it must match is_overdue."""
    settings.CONSULTATION_RESPONSE_BUSINESS_DAYS = target_days
    start = date(2026, 11, 1)
    for offset in range(70):  # November and December: Thanksgiving, Christmas, New Year
        today = start + timedelta(days=offset)
        now = timezone.make_aware(datetime.combine(today, time(15, 0)))
        bound = overdue_if_sent_before(now)
        for back in range(0, 20):
            for hour in (0, 9, 23):
                sent = timezone.make_aware(
                    datetime.combine(today - timedelta(days=back), time(hour, 30))
                )
                assert (sent < bound) == is_overdue(sent, "new", now), (today, sent)
