"""Readable capitals for names that CMS files write in upper case.

"PEREZ-RODRIGUEZ" -> "Perez-Rodriguez", "MCDONALD" -> "McDonald", "UNIVERSITY OF TEXAS
SOUTHWESTERN MEDICAL SCHOOL AT DALLAS" -> "University of Texas Southwestern Medical School at
Dallas". Text already in mixed case is taken as written: someone typed it with care.
"""

import re

# Any letter, not only ASCII: "JOSÉ PEÑA" -> "José Peña", not "JosÉ PeÑa".
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII"}
# Short words that are English (or Spanish, common in US place names), so they are not
# acronyms; everything else of three letters or fewer stays in capitals (UT, NYU, HCA, MH).
_SHORT_WORDS = {
    "A", "AN", "AND", "AT", "BAY", "BY", "DE", "DEL", "DR", "EL", "ELK", "FOR", "FT", "GOD",
    "HOSP", "IN", "LA", "LAS", "LOS", "MT", "NEW", "OAK", "OF", "ON", "OUR", "SAN", "ST",
    "STE", "THE", "TO", "Y", "ANN", "AVE", "CO", "ELM", "FOX", "GAP", "HAM", "HAY", "HILL",
    "LEE", "MAY", "OLD", "RED", "SUN", "TRI", "WAY", "ROY", "SEA", "RAY", "JOY", "JR", "SR",
    "ONE", "TWO", "SIX", "TEN", "ALL", "MID", "EYE", "EAR", "DAY", "AIR", "BIG", "KID", "OUT",
    "SON", "AGE", "ART", "ICE", "DES", "DU", "LE", "VAN", "VON", "BEL", "ROW", "RUN",
    "BOX", "RD", "LN", "BLVD", "HWY", "PL", "CT", "CIR", "PKY", "PKWY", "TER", "SQ",
}  # fmt: skip
_LOWER_INSIDE = {"A", "AN", "AND", "AT", "BY", "FOR", "IN", "OF", "ON", "THE", "TO"}
_ORDINAL = re.compile(r"\b(\d+)(ST|ND|RD|TH)\b")
_ACRONYMS = {"UCLA", "UCSF", "UPMC", "SUNY", "CUNY", "USC", "LLC", "PLLC", "INC", "VA"}


def _is_upper(text: str) -> bool:
    if text.isascii():  # the usual case, in C: every ASCII letter has a case
        return text.isupper()
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _capitalise(word: str) -> str:
    lower = word.lower()
    if lower.startswith("mc") and len(word) > 3:
        return "Mc" + lower[2].upper() + lower[3:]
    if "'" in lower:  # O'BRIEN -> O'Brien, D'ANGELO -> D'Angelo
        head, tail = lower.split("'", 1)
        return head.capitalize() + "'" + (tail.capitalize() if len(head) == 1 else tail)
    return lower.capitalize()


def person_name(text: str) -> str:
    """A person's name part, e.g. 'SOCRATES' -> 'Socrates', 'JR.' -> 'Jr.'."""
    text = " ".join((text or "").split())
    if not _is_upper(text):
        return text
    if text.isascii() and text.isalpha():  # one plain word, most of a registry's names
        return text if text in _ROMAN else _capitalise(text)

    def word(match: re.Match) -> str:
        value = match.group(0)
        return value if value in _ROMAN else _capitalise(value)

    return _WORD.sub(word, text)


def place_name(text: str) -> str:
    """An organization, hospital or school name in title case, acronyms kept."""
    text = " ".join((text or "").split())
    if not _is_upper(text):
        return text
    position = 0

    def word(match: re.Match) -> str:
        nonlocal position
        value = match.group(0)
        first = position == 0
        position += 1
        if value in _ACRONYMS or value in _ROMAN:
            return value
        if len(value) <= 3 and value not in _SHORT_WORDS and "'" not in value:
            return value
        # "of", "and", "the" inside a name, not after a comma ("WOODS AT PARKSIDE,THE").
        if not first and value in _LOWER_INSIDE and text[match.start() - 1] == " ":
            return value.lower()
        return _capitalise(value)

    return _WORD.sub(word, text)


def address_line(text: str) -> str:
    """A street line: '1216 2ND ST SW' -> '1216 2nd St SW', 'SUITE 3' -> 'Suite 3'."""
    text = place_name(text)
    return _ORDINAL.sub(lambda m: m.group(1) + m.group(2).lower(), text)
