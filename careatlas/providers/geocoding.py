"""Offline geocoding of US ZIP codes and "City, ST" from the zipcodes package, and distances.

ZIP code locations come from GeoNames (CC BY 4.0) through the zipcodes package; the index
is built once per process, when a server worker starts (careatlas/wsgi.py) or else on first
use (two to five seconds).
"""

import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import zipcodes
from django.utils.translation import gettext as _

EARTH_RADIUS_MILES = 3958.7613
# A ZIP, optionally ZIP+4 written with a hyphen, a space or as nine digits.
_ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
_SAINT = re.compile(r"^(st|ste|saint)\.?\s+")
_FORT = re.compile(r"^(ft)\.?\s+")
_MOUNT = re.compile(r"^(mt)\.?\s+")

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip
_STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items()}


@dataclass(frozen=True)
class ZipPlace:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    area_codes: tuple[str, ...]
    standard: bool


@dataclass(frozen=True)
class Geocode:
    """What a location query resolved to; `ok` is False with a message and suggestions if not."""

    query: str
    latitude: float | None = None
    longitude: float | None = None
    label: str = ""
    message: str = ""
    suggestions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.latitude is not None

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@dataclass
class _Index:
    by_zip: dict[str, ZipPlace]
    # (folded city, state) -> (latitude, longitude, display city, number of ZIPs)
    cities: dict[tuple[str, str], tuple[float, float, str, int]]
    cities_by_state: dict[str, list[str]]
    states_by_city: dict[str, list[str]]


def fold_city(name: str) -> str:
    """Lower-case, single-spaced, with St./Ft./Mt. spelt out as the ZIP data spells them."""
    text = " ".join(name.lower().replace("-", " ").split())
    text = _SAINT.sub("saint ", text)
    text = _FORT.sub("fort ", text)
    return _MOUNT.sub("mount ", text)


@cache
def _index() -> _Index:
    by_zip: dict[str, ZipPlace] = {}
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    names: dict[tuple[str, str], str] = {}
    aliases: dict[tuple[str, str], tuple[str, str]] = {}
    for row in zipcodes.list_all():
        if not row["lat"] or not row["long"]:
            continue
        place = ZipPlace(
            zip_code=row["zip_code"],
            city=row["city"],
            state=row["state"],
            latitude=float(row["lat"]),
            longitude=float(row["long"]),
            area_codes=tuple(row["area_codes"] or ()),
            standard=row["zip_code_type"] == "STANDARD" and row["active"],
        )
        by_zip[place.zip_code] = place
        key = (fold_city(place.city), place.state)
        total = sums[key]
        total[0] += place.latitude
        total[1] += place.longitude
        total[2] += 1
        names.setdefault(key, place.city)
        for alias in row["acceptable_cities"] or ():
            aliases.setdefault((fold_city(alias), place.state), key)
    cities = {key: (lat / n, lon / n, names[key], n) for key, (lat, lon, n) in sums.items()}
    for alias, key in aliases.items():
        cities.setdefault(alias, cities[key])
    cities_by_state: dict[str, list[str]] = defaultdict(list)
    states_by_city: dict[str, list[str]] = defaultdict(list)
    for city, state in cities:
        cities_by_state[state].append(city)
        states_by_city[city].append(state)
    return _Index(by_zip, cities, dict(cities_by_state), dict(states_by_city))


def load_places() -> None:
    """Build the per-process place index now rather than on the first search (wsgi.py)."""
    _index()


def zip_place(zip_code: str) -> ZipPlace | None:
    return _index().by_zip.get(zip_code)


def standard_zip_places() -> list[ZipPlace]:
    """Every active, deliverable-street ZIP with a location, in ZIP order (for demo data)."""
    return [p for p in _index().by_zip.values() if p.standard]


def _state_code(text: str) -> str | None:
    cleaned = " ".join(text.replace(".", " ").split())
    if len(cleaned) == 2 and cleaned.upper() in STATE_NAMES:
        return cleaned.upper()
    return _STATE_BY_NAME.get(cleaned.lower())


def _split_city_state(text: str) -> tuple[str, str] | None:
    """'Fort Worth, TX', 'Fort Worth TX' or 'Fort Worth, Texas' -> ('Fort Worth', 'TX')."""
    if "," in text:
        city, _comma, state_text = text.rpartition(",")
        state = _state_code(state_text)
        return (city.strip(" ,"), state) if state and city.strip(" ,") else None
    words = text.split()
    # State names have up to three words ("District of Columbia").
    for n in (1, 2, 3):
        if len(words) > n:
            state = _state_code(" ".join(words[-n:]))
            if state:
                return " ".join(words[:-n]), state
    return None


def _geocode_zip(query: str, zip5: str) -> Geocode:
    place = zip_place(zip5)
    if place is None:
        nearby = sorted(z for z in _index().by_zip if z[:3] == zip5[:3])[:5]
        return Geocode(
            query,
            message=_("We could not find ZIP code %(zip)s. Check it, or enter a city and state.")
            % {"zip": zip5},
            suggestions=nearby,
        )
    label = f"{place.zip_code} ({place.city}, {place.state})"
    return Geocode(query, place.latitude, place.longitude, label)


def _geocode_city(query: str, city_text: str, state: str) -> Geocode:
    index = _index()
    city = fold_city(city_text)
    found = index.cities.get((city, state))
    if found:
        lat, lon, name, _zips = found
        return Geocode(query, lat, lon, f"{name}, {state}")
    close = difflib.get_close_matches(city, index.cities_by_state.get(state, []), n=5, cutoff=0.75)
    suggestions = [f"{index.cities[(c, state)][2]}, {state}" for c in close]
    if suggestions:
        message = _("We could not find %(place)s. Did you mean one of these?")
    else:
        message = _("We could not find %(place)s. Check the spelling, or enter a 5-digit ZIP code.")
    return Geocode(
        query, message=message % {"place": f"{city_text}, {state}"}, suggestions=suggestions
    )


def geocode(query: str) -> Geocode:
    """Resolve a ZIP, ZIP+4 or "City, ST" (or "City, State") to a point and a label."""
    text = " ".join((query or "").split())
    if not text:
        return Geocode(
            query, message=_("Enter a ZIP code, or a city and state such as Austin, TX.")
        )
    compact = text.replace(" ", "") if text.replace(" ", "").replace("-", "").isdigit() else text
    zip_match = _ZIP.match(compact)
    if zip_match:
        return _geocode_zip(query, zip_match.group(1))
    if compact.replace("-", "").isdigit():
        return Geocode(
            query, message=_("A ZIP code has 5 digits (or 9 for ZIP+4), e.g. 10001 or 10001-1234.")
        )
    split = _split_city_state(text)
    if split:
        return _geocode_city(query, *split)
    if "," in text:
        state_text = text.rpartition(",")[2].strip()
        return Geocode(
            query,
            message=_("We do not recognise the state %(state)s. Use a two-letter code such as TX.")
            % {"state": state_text or "?"},
        )
    index = _index()
    city = fold_city(text)
    # Biggest places first: a city with more ZIP codes is the likelier meaning.
    states = sorted(index.states_by_city.get(city, []), key=lambda s: -index.cities[(city, s)][3])
    if states:
        name = index.cities[(city, states[0])][2]
        return Geocode(
            query,
            message=_("Add the state to %(city)s, e.g. %(example)s.")
            % {"city": name, "example": f"{name}, {states[0]}"},
            suggestions=[f"{name}, {state}" for state in states[:8]],
        )
    return Geocode(
        query,
        message=_(
            "We could not understand %(query)s as a place. Enter a 5-digit ZIP code, "
            "or a city and state such as Austin, TX."
        )
        % {"query": text},
    )


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
