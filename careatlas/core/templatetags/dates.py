"""`local_date`: a date in the reader's language's order and words, e.g. "7 de diciembre"."""

from django import template
from django.utils import formats
from django.utils.translation import pgettext_lazy

register = template.Library()

# Django names no format for these; each is a PHP-style date format that translators
# rewrite in their language's order, escaping literal letters ("l j \d\e F").
DATE_FORMATS = {
    "day": pgettext_lazy("date format: weekday, day and month", "l j F"),
    "short_day": pgettext_lazy("date format: short weekday, day and month", "D j M"),
    "date_time": pgettext_lazy("date format: day, month, year and time", "j F Y, H:i"),
    "short_date_time": pgettext_lazy("date format: day, short month, year, time", "j M Y, H:i"),
    "long_date": pgettext_lazy("date format: day, month and year", "j F Y"),
}


@register.filter(expects_localtime=True)
def local_date(value, kind: str) -> str:
    """`value` formatted as DATE_FORMATS[kind] says in the active language."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, str(DATE_FORMATS[kind]))
