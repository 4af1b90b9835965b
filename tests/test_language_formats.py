"""Dates, numbers and money read as a US Spanish speaker expects them, English unchanged."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from careatlas.core.numbers import dollars, grouped

DAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize("language", ["en", "es"])
def test_money_and_numbers_use_us_digits_in_both_languages(language):
    """CLDR es-US: 1,234.50 and $1,234, not Spain's 1.234,50 (core/formats/es)."""
    with translation.override(language):
        assert dollars(Decimal("1234")) == "$1,234"
        assert dollars(Decimal("86.5")) == "$86.50"
        assert grouped(1234567) == "1,234,567"
        assert grouped(Decimal("10.3"), 1) == "10.3"


def test_spanish_dates_use_spanish_words_and_order():
    with translation.override("es"):
        assert formats.date_format(DAY, "DATE_FORMAT") == "7 de diciembre de 2026"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT") == "diciembre de 2026"
        day = Template('{% load dates %}{{ day|local_date:"day" }}').render(Context({"day": DAY}))
    assert day.lower() == "lunes 7 de diciembre"  # Django's catalogue capitalizes weekdays
    with translation.override("en"):
        day = Template('{% load dates %}{{ day|local_date:"day" }}').render(Context({"day": DAY}))
    assert day == "Monday 7 December"


def test_local_date_shows_a_time_in_the_sites_time_zone(settings):
    moment = datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC)
    settings.TIME_ZONE = "America/New_York"
    with translation.override("en"):
        shown = Template('{% load dates %}{{ t|local_date:"short_date_time" }}').render(
            Context({"t": moment})
        )
    assert shown == "7 Dec 2026, 18:30"
