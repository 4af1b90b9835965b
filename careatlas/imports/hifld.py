"""Hospital coordinates from the HIFLD hospitals file, matched to CMS hospitals.

HIFLD carries no CMS Certification Number: its ID is HIFLD's own and STATE_ID is the state
licence number, which only some states (Florida, Iowa, Virginia, Puerto Rico, ...) set to
the CCN. So a CMS hospital is matched, in this order, on
  1. its normalised name and ZIP,
  2. its street number and street name and ZIP,
  3. a STATE_ID equal to its CCN in the same ZIP,
  4. a name at least 85% alike in the same ZIP;
failing all four, the importer falls back to the ZIP centroid. Every rung requires the
same ZIP, so a wrong match still puts the pin in the right neighbourhood.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from careatlas.imports.files import CsvSource
from careatlas.imports.source import BadFile, column_indexes

COLUMNS = ("NAME", "ADDRESS", "ZIP", "STATE", "STATE_ID", "STATUS", "LATITUDE", "LONGITUDE")
SIMILAR_NAME = 0.85
_ABBREVIATIONS = {
    "ST": "SAINT",
    "MT": "MOUNT",
    "FT": "FORT",
    "CTR": "CENTER",
    "CNTR": "CENTER",
    "HOSP": "HOSPITAL",
    "MED": "MEDICAL",
    "UNIV": "UNIVERSITY",
    "REHAB": "REHABILITATION",
    "REG": "REGIONAL",
    "MEM": "MEMORIAL",
    "CHILDRENS": "CHILDREN",
    "HLTH": "HEALTH",
    "SYS": "SYSTEM",
}
_NOISE = {"THE", "OF", "AND", "INC", "LLC", "LP", "CORP", "CORPORATION"}


def normalise_name(name: str) -> str:
    """'St. Vincent's East, Inc.' -> 'SAINT VINCENTS EAST'."""
    words = re.sub(r"[^A-Z0-9 ]", " ", name.upper().replace("'", "").replace("&", " ")).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words if w not in _NOISE)


def street_key(address: str) -> str:
    """'1108 ROSS CLARK CIRCLE' -> '1108 ROSS': number and first word of the street."""
    match = re.match(r"\s*(\d+)\s+([A-Za-z0-9]+)", address)
    return f"{match.group(1)} {match.group(2).upper()}" if match else ""


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    state_id: str
    open: bool
    latitude: float
    longitude: float


class HospitalPoints:
    """HIFLD hospitals by ZIP, for matching CMS hospitals to coordinates."""

    def __init__(self, by_zip: dict[str, list[Place]]):
        self.by_zip = by_zip

    @classmethod
    def read(cls, path: Path) -> "HospitalPoints":
        by_zip: dict[str, list[Place]] = defaultdict(list)
        with CsvSource(path) as source:
            at = column_indexes(path, source.header, COLUMNS)
            width = len(source.header)
            for line, fields in source.rows():
                if len(fields) != width:
                    raise BadFile(f"{path}, line {line}: expected {width} fields")
                try:
                    latitude = float(fields[at["LATITUDE"]])
                    longitude = float(fields[at["LONGITUDE"]])
                except ValueError:
                    continue  # a hospital without coordinates is no use here
                if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                    continue
                zip5 = fields[at["ZIP"]].strip()[:5].zfill(5)
                by_zip[zip5].append(
                    Place(
                        name=normalise_name(fields[at["NAME"]]),
                        street=street_key(fields[at["ADDRESS"]]),
                        state_id=fields[at["STATE_ID"]].strip().upper(),
                        open=fields[at["STATUS"]].strip().upper() != "CLOSED",
                        latitude=latitude,
                        longitude=longitude,
                    )
                )
        if not by_zip:
            raise BadFile(f"{path}: no hospital with coordinates")
        # Open hospitals first, so a tie goes to the one still operating.
        return cls({z: sorted(places, key=lambda p: not p.open) for z, places in by_zip.items()})

    def find(self, ccn: str, name: str, address: str, zip5: str) -> tuple[Place | None, str]:
        """The HIFLD hospital for a CMS one and how it matched ('name', 'address', 'ccn',
        'similar name'), or (None, '')."""
        places = self.by_zip.get(zip5, [])
        wanted_name, wanted_street = normalise_name(name), street_key(address)
        for how, test in (
            ("name", lambda p: p.name == wanted_name),
            ("address", lambda p: wanted_street and p.street == wanted_street),
            ("ccn", lambda p: p.state_id.zfill(6) == ccn),
        ):
            for place in places:
                if test(place):
                    return place, how
        scored = [
            (difflib.SequenceMatcher(None, wanted_name, place.name).ratio(), place)
            for place in places
        ]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best[0] >= SIMILAR_NAME:
            return best[1], "similar name"
        return None, ""
