"""FHIR search syntax: values, tokens, references, dates with prefixes, `near`, `_count`.

Parsers raise FhirError (400) naming the parameter and what a valid value looks like, so a
client never gets a 500 or a silently ignored criterion.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from careatlas.fhir.outcomes import FhirError

DEFAULT_COUNT = 20
MAX_COUNT = 100
# Deeper than this, page with _lastUpdated or load the bulk export (manage.py export_fhir).
MAX_PAGE = 10_000
# The spatial index is tuned for radii up to 100 miles, like the search page's largest.
MAX_NEAR_MILES = 100.0
DEFAULT_NEAR_MILES = 25.0
MILES_PER_UNIT = {"mi": 1.0, "[mi_i]": 1.0, "km": 1 / 1.609344, "m": 1 / 1609.344}
_DATE = re.compile(
    r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})"
    r"(T(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
DATE_PREFIXES = ("eq", "gt", "lt", "ge", "le")
RESOURCE_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
# Bounds on what one search may ask, checked before any SQL is built: a 1,900-word name once
# built one clause per word and kept PostgreSQL busy for seconds (minutes at 40 kB).
MAX_REPEATS = 10  # name=a&name=b&...: criteria ANDed for one parameter
MAX_ALTERNATIVES = 20  # name=a,b,c: values ORed in one criterion
MAX_VALUE_CHARS = 200
MAX_WORDS = 10  # words in one string value
# Our resource ids are 64-bit row ids; a larger number names nothing (and would overflow).
MAX_ROW_ID = 2**63 - 1


@dataclass(frozen=True)
class Criterion:
    """One occurrence of a search parameter: its values are alternatives (OR)."""

    name: str
    modifier: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": no system
    code: str  # "" with a system: any code in that system


@dataclass(frozen=True)
class DateRange:
    prefix: str
    start: datetime.datetime
    end: datetime.datetime  # exclusive: the value's precision makes it a range


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    miles: float


def split_escaped(text: str, separator: str) -> list[str]:
    """Split on `separator` unless escaped with a backslash; unescape the parts."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def criterion(key: str, raw_values: list[str]) -> list[Criterion]:
    """`name:modifier=a,b&name=c` -> two criteria, (a OR b) AND c."""
    name, _sep, modifier = key.partition(":")
    if len(raw_values) > MAX_REPEATS:
        raise FhirError(
            _("Parameter “%(name)s” may be given at most %(max)s times.")
            % {"name": key, "max": MAX_REPEATS}
        )
    found = []
    for raw in raw_values:
        values = tuple(value.strip() for value in split_escaped(raw, ","))
        if not all(values):
            raise FhirError(_("Parameter “%(name)s” has an empty value.") % {"name": key})
        _check_size(key, values)
        found.append(Criterion(name, modifier, values))
    return found


def _check_size(key: str, values: tuple[str, ...]) -> None:
    if len(values) > MAX_ALTERNATIVES:
        raise FhirError(
            _("Parameter “%(name)s” takes at most %(max)s comma-separated values.")
            % {"name": key, "max": MAX_ALTERNATIVES}
        )
    for value in values:
        if len(value) > MAX_VALUE_CHARS or len(value.split()) > MAX_WORDS:
            raise FhirError(
                _(
                    "Parameter “%(name)s” takes values of at most %(chars)s characters"
                    " and %(words)s words."
                )
                % {"name": key, "chars": MAX_VALUE_CHARS, "words": MAX_WORDS}
            )


def row_id(ident: str) -> int | None:
    """The row id a resource id names, or None when it cannot name one of our rows."""
    if not (ident.isascii() and ident.isdigit()):
        return None
    number = int(ident)
    return number if number <= MAX_ROW_ID else None


def token(value: str) -> Token:
    parts = split_escaped(value, "|")
    if len(parts) == 1:
        return Token(None, parts[0])
    if len(parts) == 2:
        return Token(parts[0], parts[1])
    raise FhirError(_("“%(value)s” is not a token: use code or system|code.") % {"value": value})


def reference(param: str, value: str, target: str, base: str) -> str:
    """The id in `Type/id`, `id` or `{base}/Type/id`, checking the type is `target`."""
    if value.startswith(base + "/"):
        value = value[len(base) + 1 :]
    kind, slash, ident = value.rpartition("/")
    if slash and kind != target:
        raise FhirError(
            _("Parameter “%(param)s” refers to %(target)s resources, not “%(value)s”.")
            % {"param": param, "target": target, "value": value}
        )
    if not RESOURCE_ID.fullmatch(ident):
        raise FhirError(_("“%(value)s” is not a resource id.") % {"value": ident})
    return ident


def date_range(param: str, value: str) -> DateRange:
    prefix = value[:2] if value[:2] in DATE_PREFIXES else "eq"
    text = value[2:] if value[:2] in DATE_PREFIXES else value
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        start, end = _bounds(match)
    except (ValueError, OverflowError):  # e.g. 0001-01-01T00:00+14:00 is before year 1 in UTC
        raise FhirError(
            _(
                "Parameter “%(param)s” takes a date such as 2026-03-01 or"
                " 2026-03-01T12:00:00Z, optionally after one of %(prefixes)s."
            )
            % {"param": param, "prefixes": ", ".join(DATE_PREFIXES)}
        ) from None
    return DateRange(prefix, start, end)


def _bounds(match: re.Match) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants a partial date covers, e.g. 2026-03 -> [2026-03-01, 2026-04-01)."""
    parts = match.groupdict()
    zone = datetime.UTC
    if parts["zone"] and parts["zone"] != "Z":
        sign = 1 if parts["zone"][0] == "+" else -1
        hours, minutes = int(parts["zone"][1:3]), int(parts["zone"][4:6])
        zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    year = int(parts["year"])
    if parts["month"] is None:
        return _utc(year, 1, 1, zone=zone), _utc(year + 1, 1, 1, zone=zone)
    month = int(parts["month"])
    if parts["day"] is None:
        after = (year + 1, 1) if month == 12 else (year, month + 1)
        return _utc(year, month, 1, zone=zone), _utc(*after, 1, zone=zone)
    day = int(parts["day"])
    if parts["hour"] is None:
        start = _utc(year, month, day, zone=zone)
        return start, start + datetime.timedelta(days=1)
    second = int(parts["second"] or 0)
    fraction = parts["fraction"] or ""
    micro = int((fraction + "000000")[:6]) if fraction else 0
    start = _utc(
        year, month, day, int(parts["hour"]), int(parts["minute"]), second, micro, zone=zone
    )
    if parts["second"] is None:
        step = datetime.timedelta(minutes=1)
    elif not fraction:
        step = datetime.timedelta(seconds=1)
    else:
        step = datetime.timedelta(microseconds=10 ** max(0, 6 - len(fraction)))
    return start, start + step


def _utc(*fields, zone=datetime.UTC) -> datetime.datetime:
    # A time given without a zone is read as UTC, the zone every lastUpdated is shown in.
    return datetime.datetime(*fields, tzinfo=zone).astimezone(datetime.UTC)


def near(param: str, value: str) -> Near:
    """`latitude|longitude|distance|units` (FHIR R4 Location near); units default to km,
    as the specification says, and the distance to 25 miles when it is left out."""
    parts = split_escaped(value, "|")
    problem = _(
        "Parameter “%(param)s” takes latitude|longitude|distance|units, e.g."
        " 40.7484|-73.9967|25|mi (units: %(units)s; at most %(max)s miles)."
    ) % {"param": param, "units": ", ".join(MILES_PER_UNIT), "max": int(MAX_NEAR_MILES)}
    if not 2 <= len(parts) <= 4:
        raise FhirError(problem)
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
        distance = float(parts[2]) if len(parts) > 2 and parts[2] else None
    except ValueError:
        raise FhirError(problem) from None
    units = parts[3] if len(parts) > 3 and parts[3] else "km"
    if (
        units not in MILES_PER_UNIT
        or not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
        or (distance is not None and distance <= 0)
    ):
        raise FhirError(problem)
    miles = DEFAULT_NEAR_MILES if distance is None else distance * MILES_PER_UNIT[units]
    # Rounding in unit conversion must not refuse 160.9344 km.
    if miles > MAX_NEAR_MILES * (1 + 1e-9):
        raise FhirError(problem)
    return Near(latitude, longitude, min(miles, MAX_NEAR_MILES))


def count(values: list[str]) -> int:
    """`_count`: how many matches per page, 0 for the total only; above MAX_COUNT is capped."""
    if len(values) != 1 or not _whole(values[0]):
        raise FhirError(_("_count takes one whole number from 0 to %(max)s.") % {"max": MAX_COUNT})
    return min(int(values[0]), MAX_COUNT)


def page(values: list[str]) -> int:
    if len(values) != 1 or not _whole(values[0]) or not 1 <= int(values[0]) <= MAX_PAGE:
        raise FhirError(_("page takes one whole number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(values[0])


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9


TOTAL_MODES = ("none", "estimate", "accurate")


def total_mode(values: list[str]) -> str:
    """`_total`: none (no count, a faster page), estimate or accurate (both exact here)."""
    if len(values) != 1 or values[0] not in TOTAL_MODES:
        raise FhirError(
            _("_total takes one of %(modes)s.") % {"modes": ", ".join(TOTAL_MODES)},
            code="not-supported",
        )
    return values[0]


def sort_keys(values: list[str]) -> list[tuple[str, bool]]:
    """`_sort=family,-_lastUpdated` -> [("family", False), ("_lastUpdated", True)]."""
    keys = [key.strip() for value in values for key in value.split(",")]
    if not keys or not all(key.lstrip("-") for key in keys) or len(keys) > MAX_REPEATS:
        raise FhirError(
            _("_sort takes up to %(max)s parameter names, each optionally after “-”.")
            % {"max": MAX_REPEATS}
        )
    return [(key.lstrip("-"), key.startswith("-")) for key in keys]
