"""How a query that mixes topic and place is read: "back pain near Chicago" -> topic + place.

The place comes from the gazetteer (providers/geocoding.py); the topic is what is left,
searched as typed by the provider planner (typos corrected there). Read in this order:
a ZIP anywhere; the words after the last "near"/"in"/"around" (typos forgiven); else
a place at the end or the start whose name is exact (a bare city only if it is big, so
"Mobile" in "mobile x-ray" or "Jackson" in "Sarah Jackson" stay words).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from careatlas.providers.geocoding import Geocode, geocode
from careatlas.search.text import STOP_WORDS, words

# Words that introduce a place, and phrases that mean "wherever I am" (no place).
CONNECTORS = ("near", "in", "around", "nearby", "close to", "closest to", "by", "at")
# Spanish: "quiropráctico cerca de Miami", "dolor de espalda en San Antonio".
CONNECTORS += ("cerca de", "en", "cerca")
NEAR_ME = re.compile(
    r"\b(near|around|close to)\s+me\b|\bnearby\b|\bnear by\b|\bcerca de m[ií](?!\w)",
    re.IGNORECASE,
)
_ZIP = re.compile(r"(?<![\d-])\d{5}(?:-\d{4})?(?![\d-])")
# A city named without a state or connector is read as the place only when this many live
# there; smaller ones need "near" or a state ("chiropractor near Ithaca", "... Ithaca NY").
BARE_CITY_POPULATION = 20_000
MAX_PLACE_WORDS = 5
# Words before the topic that say nothing about it ("find a", "best", "top rated").
_LEAD_IN = re.compile(
    r"^((find|search for|search|show me|looking for|i need|need|i want)\s+)?(an?\s+)?"
    r"((best|top rated|top-rated|top|highly rated|good|great|local|affordable|cheap)\s+)*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """The query as typed, its topic words and the place they name (None: no place)."""

    text: str
    topic: str
    place_text: str = ""
    place: Geocode | None = None

    @property
    def has_place(self) -> bool:
        return self.place is not None and self.place.ok


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).strip(" ,")


def _strip_connector(tokens: list[str]) -> list[str]:
    text = _join(tokens)
    for connector in sorted(CONNECTORS, key=len, reverse=True):
        if text.lower().endswith(" " + connector) or text.lower() == connector:
            return text[: -len(connector)].split()
    return tokens


def _exact_place(text: str) -> Geocode | None:
    """The place `text` names exactly and beyond doubt (with a state, or a big city)."""
    if _ZIP.search(text):
        return None  # ZIP codes are read (or refused as a term) by read_query itself
    found = geocode(text, typos=False)
    if found.ok and (found.qualified or found.population >= BARE_CITY_POPULATION):
        return found
    return None


def read_query(
    text: str,
    is_name: Callable[[list[str]], bool] | None = None,
    is_term: Callable[[str], bool] | None = None,
    place_typos: bool = True,
) -> Reading:
    """Split `text` into topic and place; `is_name(words)` says the words are a person's name,
    `is_term(word)` that a word is a search term (a code such as 97110 is not a ZIP then);
    `place_typos=False` reads only exactly spelt places."""
    text = " ".join(text.split())
    plain = NEAR_ME.sub(" ", text)
    tokens = plain.split()
    if not tokens:
        return Reading(text, "")
    zip_match = _ZIP.search(plain)
    if zip_match and is_term and is_term(zip_match.group()):
        before = plain[: zip_match.start()].lower().split()
        zip_match = zip_match if before and before[-1] in CONNECTORS else None
    if zip_match:
        found = geocode(zip_match.group())
        rest = (plain[: zip_match.start()] + plain[zip_match.end() :]).split()
        return Reading(text, _topic(_strip_connector(rest)), zip_match.group(), found)
    lowered = [t.lower().strip(",") for t in tokens]
    for i in range(len(tokens) - 1, -1, -1):
        pair = " ".join(lowered[i : i + 2])
        size = 2 if pair in CONNECTORS else 1 if lowered[i] in CONNECTORS else 0
        if size and i + size < len(tokens):
            place_text = _join(tokens[i + size :])
            found = geocode(place_text, typos=place_typos, explain=False)
            # A misspelt place must be a big one: "in the spine" names no town.
            if found.ok and (not found.corrected or found.population >= BARE_CITY_POPULATION):
                return Reading(text, _topic(tokens[:i]), place_text, found)
    whole = _exact_place(_join(tokens)) if len(tokens) <= MAX_PLACE_WORDS else None
    if whole:
        return Reading(text, "", _join(tokens), whole)
    for size in range(min(MAX_PLACE_WORDS, len(tokens) - 1), 0, -1):
        for topic, place in ((tokens[:-size], tokens[-size:]), (tokens[size:], tokens[:size])):
            found = _exact_place(_join(place))
            if found and _topic(topic) and not (is_name and is_name(lowered)):
                return Reading(text, _topic(topic), _join(place), found)
    return Reading(text, _topic(tokens))


def after_connector(text: str) -> tuple[str, str]:
    """('back pain', 'Chic') for "back pain near Chic": a place being typed, or ('', '')."""
    tokens = NEAR_ME.sub(" ", text).split()
    lowered = [t.lower() for t in tokens]
    for i in range(len(tokens) - 2, -1, -1):
        if lowered[i] in CONNECTORS:
            return _topic(tokens[:i]), _join(tokens[i + 1 :])
    return "", ""


def _topic(tokens: list[str]) -> str:
    topic = _LEAD_IN.sub("", _join(tokens))
    meaningful = [w for w in words(topic) if w not in STOP_WORDS]
    return topic if meaningful else ""
