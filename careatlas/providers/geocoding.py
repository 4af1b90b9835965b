"""Place names people type -> a point: ZIP, ZIP+4, city with or without state, county, borough.

The one place resolver for the finder, the JSON API and (through the finder's form) every
caller; the data is the offline gazetteer (`gazetteer.py`, GeoNames CC BY 4.0).
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from careatlas.core.spelling import LETTERS, allowed_typos, edit_distance, one_edit
from careatlas.providers.gazetteer import (
    NICKNAMES,
    STATE_NAMES,
    Place,
    ZipPlace,
    fold_name,
    index,
)

__all__ = [
    "EARTH_RADIUS_MILES",
    "STATE_NAMES",
    "Geocode",
    "ZipPlace",
    "distance_miles",
    "geocode",
    "load_places",
    "standard_zip_places",
    "suggest_places",
    "zip_place",
]

EARTH_RADIUS_MILES = 3958.7613
# A ZIP, optionally ZIP+4 written with a hyphen, a space or as nine digits.
_ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
# An address or "City, ST 12345": the ZIP at the end says where.
_TRAILING_ZIP = re.compile(r"[\s,]\d{5}(?:-\d{4})?$")
_COUNTRY = re.compile(r"[,\s]+(usa|us|u\.s\.a?\.?|united states( of america)?)$", re.IGNORECASE)
# A bare state name is read as a city of that name when one this big exists ("Washington").
STATE_NAMED_CITY = 100_000
# A typo of a big city beats an exact hamlet of that spelling ("Huston" -> Houston, TX)
# when the big one has this many times the people.
TYPO_BEATS_EXACT = 50
MAX_ALTERNATIVES = 5


@dataclass(frozen=True)
class Geocode:
    """What a location query resolved to; `ok` is False with a message and suggestions if not.

    `alternatives` are the other places the words can mean (a bare "Springfield");
    `corrected` says the words were read as a close spelling of `label`.
    """

    query: str
    latitude: float | None = None
    longitude: float | None = None
    label: str = ""
    message: str = ""
    suggestions: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    corrected: bool = False
    population: int = 0  # of the place found (GeoNames); 0 for a ZIP or when unknown
    # Named beyond doubt: a ZIP, a state given, a county or a short name such as NYC.
    qualified: bool = False

    @property
    def ok(self) -> bool:
        return self.latitude is not None

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


def load_places() -> None:
    """Build the per-process gazetteer now rather than on the first search (wsgi.py)."""
    index()


def zip_place(zip_code: str) -> ZipPlace | None:
    return index().by_zip.get(zip_code)


def standard_zip_places() -> list[ZipPlace]:
    """Every active, deliverable-street ZIP with a location, in ZIP order (for demo data)."""
    return [p for p in index().by_zip.values() if p.standard]


def _state_code(text: str, fuzzy: bool = False) -> str | None:
    cleaned = " ".join(text.replace(".", " ").split())
    if len(cleaned) == 2 and cleaned.upper() in STATE_NAMES:
        return cleaned.upper()
    if len(cleaned.replace(" ", "")) == 2 and cleaned.replace(" ", "").upper() in STATE_NAMES:
        return cleaned.replace(" ", "").upper()  # "N. Y."
    key = fold_name(cleaned)
    states = index().states_by_name
    if key in states:
        return states[key]
    if fuzzy and len(key) >= 5:
        close = [(edit_distance(key, n, 2), code) for n, code in states.items()]
        best = min(close)
        return best[1] if best[0] <= allowed_typos(key) else None
    return None


def _readings(text: str) -> list[tuple[str, str | None]]:
    """(place words, state) readings, the most specific first: 'Queens NY' -> ('Queens', 'NY')."""
    if "," in text:
        city, _comma, state_text = text.rpartition(",")
        city = city.strip(" ,")
        state = _state_code(state_text, fuzzy=True)
        if city and state:
            return [(city, state)]
        return [(city or state_text, None)] if not state_text.strip() else []
    words = text.split()
    readings = []
    for n in (3, 2, 1):  # state names have up to three words ("District of Columbia")
        if len(words) > n:
            state = _state_code(" ".join(words[-n:]))
            if state:
                readings.append((" ".join(words[:-n]), state))
    return [*readings, (text, None)]


def _exact(key: str, state: str | None) -> list[Place]:
    if key in NICKNAMES and state in (None, NICKNAMES[key][1]):
        key, state = NICKNAMES[key]
    found = index().named(key, state)
    # Places known by this name only as a ZIP's other accepted name ("Brooklyn, KY" for
    # Morgantown) come after those that carry it.
    return sorted(found, key=lambda p: fold_name(p.name) != key)


def _typos(key: str, state: str | None) -> list[tuple[int, Place]]:
    """Places spelt within one or two letters of `key` (by its length), closest first."""
    limit = allowed_typos(key.replace(" ", ""))
    if not limit:
        return []
    found = []
    # Trigrams miss swapped letters in short names ("tuscon"): their neighbours are looked up.
    neighbours = {n for n in one_edit(key, LETTERS + " ") if n in index().places}
    for name in neighbours | set(index().similar_names(key)):
        distance = edit_distance(key, name, limit)
        if 0 < distance <= limit:
            # Not a ZIP's other accepted name: "spine" must not become Mountain Home, ID.
            places = index().named(name, state)
            found += [(distance, p) for p in places if fold_name(p.name) == name]
    found.sort(
        key=lambda pair: (
            pair[0],
            pair[1].name[0].lower() != key[0],
            -pair[1].rank[0],
            -pair[1].rank[1],
            pair[1].label,
        )
    )
    return found


def _labels(places: list[Place]) -> list[str]:
    return list(dict.fromkeys(p.label for p in places))


def _found(
    query: str, places: list[Place], corrected: bool = False, qualified: bool = False
) -> Geocode:
    best, others = places[0], places[1:]
    alternatives = [label for label in _labels(others) if label != best.label]
    return Geocode(
        query,
        best.latitude,
        best.longitude,
        best.label,
        alternatives=alternatives[:MAX_ALTERNATIVES],
        corrected=corrected,
        population=best.population,
        qualified=qualified or best.is_county,
    )


def _state_only(query: str, state: str) -> Geocode:
    biggest = index().biggest_in(state, 6)
    return Geocode(
        query,
        message=_("%(state)s is a whole state: choose a city or enter a ZIP code.")
        % {"state": STATE_NAMES[state]},
        suggestions=[p.label for p in biggest],
    )


def resolve_place(text: str, typos: bool = True, explain: bool = True) -> Geocode:
    """The place `text` names, or why not; `typos=False` accepts exact names only, and
    `explain=False` skips looking for spellings to suggest when nothing is found."""
    text = " ".join(_COUNTRY.sub("", " ".join(text.split())).split())
    readings = _readings(text)
    for words, state in readings:
        found = _exact(fold_name(words), state)
        if found and state is None and len(readings) > 1:
            # A bare name that is also a state: the state, unless a big city has the name.
            whole_state = _state_code(text)
            if whole_state and found[0].population < STATE_NAMED_CITY:
                return _state_only(text, whole_state)
        if found:
            if typos and state is None and found[0].population * TYPO_BEATS_EXACT < 10**6:
                close = [p for d, p in _typos(fold_name(words), None) if d == 1]
                if close and close[0].population > TYPO_BEATS_EXACT * max(found[0].population, 1):
                    return _found(text, [close[0], *found], corrected=True)
            qualified = state is not None or fold_name(words) in NICKNAMES
            return _found(text, found, qualified=qualified)
    whole_state = _state_code(text)
    if whole_state:
        return _state_only(text, whole_state)
    if not typos:
        # The query reader asks this for many spans of a query: no spelling suggestions.
        return Geocode(text, message=_("We could not find %(place)s.") % {"place": text})
    for words, state in readings:
        close = _typos(fold_name(words), state)
        if close:
            best = close[0][0]
            return _found(text, [p for d, p in close if d == best], corrected=True)
    if not explain:
        return Geocode(text, message=_("We could not find %(place)s.") % {"place": text})
    return _unknown(text, readings)


def _unknown(text: str, readings: list[tuple[str, str | None]]) -> Geocode:
    if "," in text and not readings:
        return Geocode(
            text,
            message=_("We do not recognise the state %(state)s. Use a two-letter code such as TX.")
            % {"state": text.rpartition(",")[2].strip() or "?"},
        )
    words, state = readings[0]
    key = fold_name(words)
    close = []
    for name in index().similar_names(key, 200):
        if abs(len(name) - len(key)) <= 3:
            distance = edit_distance(key, name, 3)
            if distance <= 3:
                close += [(distance, -p.rank[0], p) for p in index().named(name, state)]
    suggestions = _labels([p for *_rank, p in sorted(close, key=lambda c: c[:2])])[:5]
    place = f"{words}, {state}" if state else words
    if suggestions:
        message = _("We could not find %(place)s. Did you mean one of these?")
    else:
        message = _(
            "We could not find %(place)s. Check the spelling, or enter a 5-digit ZIP code "
            "or a city such as Austin, TX."
        )
    return Geocode(text, message=message % {"place": place}, suggestions=suggestions)


def suggest_places(text: str, limit: int = 4) -> list[str]:
    """Places whose name starts with what was typed ("Chic" -> "Chicago, IL"), or the ZIP."""
    text = " ".join(text.split())
    if text[:5].isdigit() and len(text) >= 5:
        found = geocode(text[:10])
        return [found.label] if found.ok else []
    city, _comma, state = text.partition(",")
    key = fold_name(city)
    if len(key) < 3:
        return []
    nickname = NICKNAMES.get(key)
    places = index().named(*nickname) if nickname else []
    places += index().starting_with(key, limit + 4)
    state = state.strip().upper()
    labels = _labels([p for p in places if p.state.startswith(state)])
    return labels[:limit]


def _geocode_zip(query: str, zip5: str) -> Geocode:
    place = zip_place(zip5)
    if place is None:
        nearby = sorted(z for z in index().by_zip if z[:3] == zip5[:3])[:5]
        return Geocode(
            query,
            message=_("We could not find ZIP code %(zip)s. Check it, or enter a city and state.")
            % {"zip": zip5},
            suggestions=nearby,
        )
    label = f"{place.zip_code} ({place.city}, {place.state})"
    return Geocode(query, place.latitude, place.longitude, label, qualified=True)


def geocode(query: str, typos: bool = True, explain: bool = True) -> Geocode:
    """Resolve a ZIP, ZIP+4, city (with or without state), county or borough to a point."""
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
    trailing = _TRAILING_ZIP.search(text)
    if trailing:
        return _geocode_zip(query, trailing.group().strip(" ,")[:5])
    return resolve_place(text, typos=typos, explain=explain)


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
