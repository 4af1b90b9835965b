"""Parsing the fields CMS files write their own way: ZIPs, phones, CCNs, dates, yes/no.

Every parser returns the value as the directory stores it, or raises BadRow with a reason
an operator can act on. ZIPs and CCNs lose their leading zeros in CMS's CSV exports
(Puerto Rico's 00682 arrives as 682, a California CCN 050278 as 50278); they are padded
back, and a ZIP is then checked against the state it claims to be in.
"""

import re

from careatlas.imports.source import BadRow
from careatlas.providers.geocoding import STATE_NAMES, zip_place
from careatlas.providers.models.organizations import normalise_phone
from careatlas.providers.npi import is_valid_npi

_CCN = re.compile(r"^[0-9A-Z]{6}$")
# USPS standard abbreviations, so "2600 Philmont Avenue" and "2600 PHILMONT AVE" compare equal.
_STREET_WORDS = {
    "AVENUE": "AVE", "STREET": "ST", "ROAD": "RD", "DRIVE": "DR", "BOULEVARD": "BLVD",
    "LANE": "LN", "COURT": "CT", "PLACE": "PL", "PARKWAY": "PKWY", "HIGHWAY": "HWY",
    "CIRCLE": "CIR", "TERRACE": "TER", "SQUARE": "SQ", "TRAIL": "TRL", "SUITE": "STE",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE", "NORTHWEST": "NW",
    "SOUTHEAST": "SE", "SOUTHWEST": "SW",
}  # fmt: skip


def npi(value: str) -> str:
    value = value.strip()
    if not is_valid_npi(value):
        raise BadRow(f"NPI {value!r} is not a valid NPI (10 digits with a check digit)", value)
    return value


def state(value: str) -> str:
    value = value.strip().upper()
    if value not in STATE_NAMES:
        raise BadRow(f"state {value!r} is not a US state or territory code")
    return value


def zip_code(value: str, in_state: str) -> str:
    """'341081869' -> '34108-1869', '682' -> '00682'; BadRow if it cannot be a ZIP of the
    state (a ZIP the offline table knows must lie in that state)."""
    digits = value.strip().replace("-", "")
    if not digits.isdigit() or not 3 <= len(digits) <= 9:
        raise BadRow(f"ZIP {value.strip()!r} is not a 5- or 9-digit ZIP code")
    digits = digits.zfill(5) if len(digits) <= 5 else digits.zfill(9)
    place = zip_place(digits[:5])
    if place is not None and place.state != in_state:
        raise BadRow(f"ZIP {digits[:5]} is in {place.state}, not {in_state}")
    return digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"


def street_key(line: str) -> str:
    """A street line folded for comparison: upper case, no punctuation, USPS abbreviations."""
    words = re.sub(r"[^A-Z0-9 ]", " ", line.upper()).split()
    return " ".join(_STREET_WORDS.get(word, word) for word in words)


def zip_point(zip_code_text: str) -> tuple[float | None, float | None]:
    """The ZIP's centroid (GeoNames via the zipcodes package), or (None, None)."""
    place = zip_place(zip_code_text[:5])
    return (place.latitude, place.longitude) if place else (None, None)


def phone(value: str) -> str:
    """Ten digits, or '' when the file has none or something that is not a US number."""
    digits = normalise_phone(value.strip())
    return digits if len(digits) == 10 and digits.isdigit() else ""


def ccn(value: str) -> str:
    """A CMS Certification Number, six characters: '50278' -> '050278', '01014F' kept."""
    value = value.strip().upper()
    if value.isdigit():
        value = value.zfill(6)
    if not _CCN.match(value):
        raise BadRow(f"CCN {value!r} is not a CMS Certification Number")
    return value


def year(value: str, low: int, high: int, what: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRow(f"{what} {value!r} is not a year between {low} and {high}")
    return int(value)


def yes_no(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("yes", "y", "true"):
        return True
    if value in ("no", "n", "false"):
        return False
    return None
