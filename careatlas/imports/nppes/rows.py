"""One NPPES row in, one validated record out (or the reason it was refused).

This runs for every one of the file's ~9 million rows, so it does as little Python as it
can: columns are picked by position with one itemgetter, what repeats (dates, credentials,
names) is converted once and remembered, and a ZIP's centroid is one dict lookup.
"""

import datetime
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cache
from hashlib import blake2b
from operator import itemgetter

import zipcodes

from careatlas.imports.casing import person_name
from careatlas.imports.nppes.layout import (
    ENTITY_INDIVIDUAL,
    ENTITY_ORGANIZATION,
    MASK_CHARACTERS,
    SEX,
    TAXONOMY_GROUPS,
    UNAVAILABLE,
    taxonomy_columns,
)
from careatlas.providers.credentials import normalise_credentials
from careatlas.providers.geocoding import STATE_NAMES
from careatlas.providers.npi import is_valid_npi

# Bump when the mapping from a row to the directory changes: every row then counts as
# changed once, so the next import rewrites what the old mapping wrote.
MAPPING_VERSION = "1"

# The columns the importer reads, in the order of the tuple `RowParser` picks.
FIELDS = (
    "NPI",
    "Entity Type Code",
    "Provider Organization Name (Legal Business Name)",
    "Provider Last Name (Legal Name)",
    "Provider First Name",
    "Provider Middle Name",
    "Provider Name Prefix Text",
    "Provider Name Suffix Text",
    "Provider Credential Text",
    "Provider First Line Business Practice Location Address",
    "Provider Second Line Business Practice Location Address",
    "Provider Business Practice Location Address City Name",
    "Provider Business Practice Location Address State Name",
    "Provider Business Practice Location Address Postal Code",
    "Provider Business Practice Location Address Country Code (If outside U.S.)",
    "Provider Business Practice Location Address Telephone Number",
    "Provider Enumeration Date",
    "Last Update Date",
    "NPI Deactivation Date",
    "NPI Reactivation Date",
    "Provider Sex Code",
    *(name for n in range(1, TAXONOMY_GROUPS + 1) for name in taxonomy_columns(n)),
)
_TAXONOMY_START = FIELDS.index("Healthcare Provider Taxonomy Code_1")
_DATE_FIELDS = (
    (16, "Provider Enumeration Date"),
    (17, "Last Update Date"),
    (18, "NPI Deactivation Date"),
    (19, "NPI Reactivation Date"),
)
_NUCC_CODE = re.compile(r"^[0-9A-Z]{9}X$")
_SEPARATOR = "\x1f"
ADDRESS_LINE1 = 8  # position of the practice address's first line in Record.values
_NO_ADDRESS = ("", "", "", "", "", None, None, "")
# The data columns of a deactivated NPI's record, before its dates.
_NO_DETAILS = ("", "", "", "", "", "[]", "unknown", "", *_NO_ADDRESS)


class BadRow(Exception):
    """The row cannot be imported; the message is the quarantine reason."""


@dataclass(slots=True)
class Record:
    """A valid row, ready for the batch tables. Dates are ISO strings."""

    npi: str
    line: int
    entity: int | None  # None: a deactivated NPI with nothing but its dates
    row_hash: int
    as_of: str  # the latest date the row mentions: newer rows win over older files
    active: bool
    values: tuple  # the batch table's data columns (BATCH_COLUMNS in staging)
    specialties: list[tuple[str, bool, int | None]] = field(default_factory=list)
    licenses: list[tuple[str, str]] = field(default_factory=list)
    stub: bool = False  # unchanged as far as the reader knew: no details were read
    # Set by linking: how the batch writes it, and the ids of rows created for it.
    mode: str = ""
    practitioner_id: int | None = None
    organization_id: int | None = None
    location_id: int | None = None
    role_id: int | None = None
    license_ids: list[int] | None = None

    @property
    def has_address(self) -> bool:
        return bool(self.values[ADDRESS_LINE1])

    def __reduce__(self):
        # Records cross from the reading process in batches: pickled as one constructor
        # call each, half the size and time of the default for a slotted dataclass.
        return (
            Record,
            (
                self.npi,
                self.line,
                self.entity,
                self.row_hash,
                self.as_of,
                self.active,
                self.values,
                self.specialties,
                self.licenses,
                self.stub,
            ),
        )


class _Memo(dict):
    """value -> converted value, computed once: a hit is a plain dict lookup, in C.

    Bounded, so memory stays flat over a 9-million-row file: when full it starts afresh
    (the values that repeat most come back at once).
    """

    def __init__(self, convert: Callable[[str], object], limit: int = 50_000):
        super().__init__()
        self.convert = convert
        self.limit = limit

    def __missing__(self, value: str):
        if len(self) >= self.limit:
            self.clear()
        result = self[value] = self.convert(value)
        return result


def _iso_date(value: str) -> str | None:
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return "bad"


def _credentials_json(value: str) -> str:
    return json.dumps(normalise_credentials(value))


@cache
def zip_centroids() -> dict[str, tuple[float, float]]:
    """ZIP -> (latitude, longitude), from the same zipcodes data as providers.geocoding.

    Read state by state: the package's list of all 42,000 ZIPs as dicts, once loaded, stays
    in memory for the life of the process (about 170 MB), which an import that promises to
    stay under 400 MB cannot afford. This dict takes a few MB.
    """
    centroids = {}
    for state in STATE_NAMES:
        for place in zipcodes.filter_by(state=state):
            if place["lat"] and place["long"]:
                centroids[place["zip_code"]] = (float(place["lat"]), float(place["long"]))
    return centroids


def _zip_code(value: str, centroids: dict[str, tuple[float, float]]) -> tuple | None:
    """'173399527' -> ('17339-9527', lat, lon); None if it is not a US ZIP."""
    digits = value.replace("-", "").strip()
    if not digits.isdigit() or not digits.isascii() or len(digits) not in (5, 9):
        return None
    zip5 = digits[:5]
    formatted = zip5 if len(digits) == 5 else f"{zip5}-{digits[5:]}"
    return formatted, *centroids.get(zip5, (None, None))


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def check_header(header: list[str]) -> None:
    """ValueError unless the header has every column the importer reads."""
    missing = [name for name in FIELDS if name not in header]
    if missing:
        raise ValueError(
            f"not an NPPES data file: no column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
        )


class RowParser:
    """Turns the fields of one data row into a `Record`, or raises `BadRow`.

    `taxonomy_codes` is the known NUCC code set (None: check the code's shape only);
    `specialty_for_code` maps a code to our Specialty id.
    """

    def __init__(
        self,
        header: list[str],
        *,
        taxonomy_codes: Collection[str] | None,
        specialty_for_code: dict[str, int],
    ):
        check_header(header)
        self.columns = len(header)
        self.pick = itemgetter(*(header.index(name) for name in FIELDS))
        self.taxonomy_codes = frozenset(taxonomy_codes) if taxonomy_codes is not None else None
        # Codes seen to be valid: the code set, or (unchecked) codes of the right shape.
        self.known_codes = set(self.taxonomy_codes or ())
        self.specialty_for_code = specialty_for_code
        self.date = _Memo(_iso_date)
        self.credentials = _Memo(_credentials_json)
        self.name = _Memo(person_name)
        self.centroids = zip_centroids()
        self.sex = SEX.get
        self.states = frozenset(STATE_NAMES)

    def _dates(self, v: tuple) -> tuple[str | None, str | None, str | None, str | None]:
        date = self.date
        dates = (date[v[16]], date[v[17]], date[v[18]], date[v[19]])
        if "bad" in dates:
            index, label = _DATE_FIELDS[dates.index("bad")]
            raise BadRow(f"unparseable {label} {v[index]!r} (expected MM/DD/YYYY)")
        return dates

    def _taxonomies(self, v: tuple, keep: bool) -> tuple[list, list]:
        codes = v[_TAXONOMY_START::4]
        listed = TAXONOMY_GROUPS - codes.count("")
        if not listed:
            return [], []
        known = self.known_codes
        specialties: dict[str, bool] = {}
        licenses: dict[tuple[str, str], None] = {}
        for group, code in enumerate(codes):
            if not code:
                continue
            if code not in known:
                if self.taxonomy_codes is not None or not _NUCC_CODE.match(code):
                    raise BadRow(f"unknown taxonomy code {code!r} (not in the NUCC code set)")
                known.add(code)
            if keep:
                start = _TAXONOMY_START + 4 * group
                specialties[code] = specialties.get(code, False) or v[start + 3] == "Y"
                number, state = v[start + 1].strip(), v[start + 2]
                if number and state in self.states and not set(number) <= MASK_CHARACTERS:
                    licenses[(state, number[:40])] = None
            listed -= 1
            if not listed:
                break
        if not keep:
            return [], []
        if not any(specialties.values()):
            specialties[next(iter(specialties))] = True  # the first listed stands in
        elif sum(specialties.values()) > 1:  # more than one "Y": the first one counts
            first = next(code for code, primary in specialties.items() if primary)
            specialties = {code: code == first for code in specialties}
        get = self.specialty_for_code.get
        return (
            [(code, primary, get(code)) for code, primary in specialties.items()],
            list(licenses),
        )

    def head(self, fields: list[str]) -> tuple[tuple, str, int]:
        """The cheap first look at a row: its columns, NPI and content hash. A row whose
        hash the importer already holds needs nothing more."""
        if len(fields) != self.columns:
            raise BadRow(f"expected {self.columns} columns, found {len(fields)}")
        v = self.pick(fields)
        text = _SEPARATOR.join(v)
        if UNAVAILABLE in text:
            v = tuple("" if x == UNAVAILABLE else x for x in v)
            text = _SEPARATOR.join(v)
        npi = v[0]
        if not is_valid_npi(npi):
            raise BadRow(f"invalid NPI {npi!r} (10 digits with a valid check digit)")
        digest = blake2b((MAPPING_VERSION + text).encode("utf-8", "surrogatepass"), digest_size=8)
        return v, npi, int.from_bytes(digest.digest(), "big", signed=True)

    def parse(self, line: int, fields: list[str]) -> Record:
        v, npi, row_hash = self.head(fields)
        return self.record(line, v, npi, row_hash)

    def stub(self, line: int, v: tuple, npi: str, row_hash: int) -> Record:
        """A row known to be unchanged: only what re-confirming it needs (no details)."""
        dates = self._dates(v)
        _enumerated, _updated, deactivated, reactivated = dates
        active = not deactivated or (reactivated is not None and reactivated >= deactivated)
        entity = {ENTITY_INDIVIDUAL: 1, ENTITY_ORGANIZATION: 2}.get(v[1])
        as_of = max(filter(None, dates), default="")
        record = Record(npi, line, entity, row_hash, as_of, active, (*_NO_DETAILS, *dates))
        record.stub = True
        return record

    def record(self, line: int, v: tuple, npi: str, row_hash: int) -> Record:
        """Everything the directory takes from the row, validated."""
        dates = self._dates(v)
        enumerated, updated, deactivated, reactivated = dates
        active = not deactivated or (reactivated is not None and reactivated >= deactivated)
        as_of = max(filter(None, dates), default="")
        entity_code = v[1]
        if entity_code == ENTITY_INDIVIDUAL:
            if not v[3] or not v[4]:
                raise BadRow("missing Provider Last Name (Legal Name) or Provider First Name")
            entity = 1
        elif entity_code == ENTITY_ORGANIZATION:
            if not v[2]:
                raise BadRow("missing Provider Organization Name (Legal Business Name)")
            entity = 2
        elif entity_code:
            raise BadRow(f"unknown Entity Type Code {entity_code!r} (expected 1 or 2)")
        elif active:
            raise BadRow("missing Entity Type Code")
        else:
            # A deactivated NPI: the file keeps nothing else about it.
            self._taxonomies(v, keep=False)
            return Record(npi, line, None, row_hash, as_of, False, (*_NO_DETAILS, *dates))
        specialties, licenses = self._taxonomies(v, keep=entity == 1)
        name = self.name
        values = (
            name[v[6]].strip()[:20],
            name[v[4]][:80],
            name[v[5]][:80],
            name[v[3]][:80],
            name[v[7]].strip()[:20],
            self.credentials[v[8]] if entity == 1 else "[]",
            self.sex(v[20], "unknown"),
            v[2][:200],
            *self._address(v),
            *dates,
        )
        return Record(npi, line, entity, row_hash, as_of, active, values, specialties, licenses)

    def _address(self, v: tuple) -> tuple:
        """line1, line2, city, state, ZIP, latitude, longitude, phone ('' line1: none)."""
        line1, state, country = v[9].strip(), v[12], v[14]
        zipped = _zip_code(v[13], self.centroids) if line1 and state in self.states else None
        if zipped is None or country not in ("", "US") or not v[11]:
            return _NO_ADDRESS
        zip_code, latitude, longitude = zipped
        phone = v[15]
        if phone and (len(phone) != 10 or not phone.isdigit()):
            phone = _phone(phone)
        return (
            line1[:200],
            v[10].strip()[:200],
            self.name[v[11]][:100],
            state,
            zip_code,
            latitude,
            longitude,
            phone,
        )
