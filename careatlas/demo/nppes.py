"""Synthetic NPPES data files in the real V2 layout, for tests and benchmarks.

Rows look like the real file where it matters to an importer: 330 quoted columns with the
real header, CRLF line ends, upper-case values within the real field lengths, about three
individuals to one organization, real NUCC codes and real ZIP codes, a few deactivated NPIs
that carry nothing but the NPI and the deactivation date, reactivated ones, Latin-1 accents,
`<UNAVAIL>` placeholders and masked license numbers. Names are obviously fake (TESTNAME,
SYNTHETICA, ...) so nobody mistakes a row for a real provider. Same seed, same file.
"""

import csv
import datetime
import io
import random
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from careatlas.imports.nppes.layout import (
    COLUMNS,
    HEADER,
    POSITION,
    TAXONOMY_GROUPS,
    UNAVAILABLE,
    max_length,
    taxonomy_columns,
)
from careatlas.providers.geocoding import standard_zip_places
from careatlas.providers.npi import npi_check_digit

FIRST_ENUMERATION = datetime.date(2005, 5, 23)
DEFAULT_AS_OF = datetime.date(2025, 6, 8)
BAD_KINDS = ("columns", "npi", "date", "taxonomy")

_SURNAME_STEMS = (
    "TEST", "SYNTH", "FAKE", "MOCK", "SAMPLE", "PLACEHOLD", "EXAMPLE", "DUMMY", "PRETEND",
    "FICTIO", "SIMULA", "MADEUP",
)  # fmt: skip
_SURNAME_ENDINGS = (
    "NAME", "ETICA", "WORTH", "BERG", "TON", "LEY", "SON", "FIELD", "MAN", "OVA", "EZ", "ELLI",
)  # fmt: skip
# Latin-1 letters, as the real file has them (José, Peña, Müller, Côté...).
_ACCENTED_SURNAMES = (
    "TESTÉZ", "SYNTHÉTICA", "FAKEÑO", "MOCKWÖLL", "SAMPLEÇON", "PEÑA-TESTNAME", "DUMMYÈRE",
)  # fmt: skip
_FIRST_NAMES = (
    "ALEX", "JORDAN", "TAYLOR", "MORGAN", "CASEY", "RILEY", "SAM", "JAMIE", "AVERY", "QUINN",
    "MARIA", "JAMES", "LINDA", "ROBERT", "PRIYA", "WEI", "FATIMA", "DMITRI", "AIKO", "OMAR",
    "JOSÉ", "RENÉE", "ZOË", "FRANÇOIS", "BJÖRN", "INÉS", "CHLOÉ", "JOÃO",
)  # fmt: skip
_CREDENTIALS = (
    ("M.D.", 22), ("MD", 14), ("D.O.", 5), ("DO", 4), ("DO, MPH", 1), ("M.D., PH.D.", 1),
    ("NP", 8), ("FNP-C", 3), ("RN", 6), ("PA-C", 4), ("PT", 4), ("DPT", 4), ("PT, DPT", 2),
    ("D.C.", 3), ("DC", 2), ("L.AC.", 1), ("LAC", 1), ("DDS", 3), ("LCSW", 3), ("PHD", 2),
    ("", 8),
)  # fmt: skip
_STREETS = ("TESTING", "SAMPLE", "EXAMPLE", "MAIN", "OAK", "CEDAR", "PARK", "LAKE", "HILL")
_STREET_KINDS = ("ST", "AVE", "RD", "BLVD", "DR", "LN", "WAY", "PKWY")
_ORG_WORDS = (
    "FAMILY MEDICINE", "PHYSICAL THERAPY", "CHIROPRACTIC", "OSTEOPATHIC CARE", "PHARMACY",
    "HOME HEALTH", "IMAGING CENTER", "DENTAL GROUP", "BEHAVIORAL HEALTH", "ACUPUNCTURE",
)  # fmt: skip
_ORG_SUFFIXES = ("LLC", "PC", "INC", "PLLC", "PA", "GROUP")
# Codes that real files list most often, used first when the code set has them.
_COMMON_INDIVIDUAL = (
    "207Q00000X", "207R00000X", "363L00000X", "363LF0000X", "225100000X", "111N00000X",
    "204D00000X", "1223G0001X", "163W00000X", "367500000X", "2084P0800X", "103T00000X",
    "101YM0800X", "171100000X", "225X00000X", "235Z00000X", "152W00000X", "183500000X",
    "363A00000X", "208600000X",
)  # fmt: skip
_COMMON_ORGANIZATION = (
    "261QP2300X", "332B00000X", "3336C0003X", "193200000X", "193400000X", "282N00000X",
    "251E00000X", "314000000X", "261QR1300X", "225100000X",
)  # fmt: skip


@dataclass(frozen=True)
class TaxonomyChoice:
    code: str
    individual: bool


def nucc_codes_from_csv(path: str | Path) -> list[TaxonomyChoice]:
    """The codes of a NUCC taxonomy CSV (columns Code, ..., Section)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as stream:
        return [
            TaxonomyChoice(row["Code"].strip(), row.get("Section", "").strip() != "Non-Individual")
            for row in csv.DictReader(stream)
            if row.get("Code", "").strip()
        ]


@dataclass
class SyntheticFile:
    path: Path
    rows: int
    bytes: int
    data_date: datetime.date
    planted: dict[int, str] = field(default_factory=dict)  # line number -> kind of bad row


def _date(day: datetime.date) -> str:
    return day.strftime("%m/%d/%Y")


class _Generator:
    def __init__(self, seed: int, codes: list[TaxonomyChoice], as_of: datetime.date):
        self.rng = random.Random(seed)
        individual = [c.code for c in codes if c.individual]
        organization = [c.code for c in codes if not c.individual] or individual
        if not individual:
            raise ValueError("the taxonomy code set has no codes for individuals")
        self.individual_codes = individual
        self.organization_codes = organization
        known = set(individual) | set(organization)
        self.common_individual = [c for c in _COMMON_INDIVIDUAL if c in known] or individual
        self.common_organization = [c for c in _COMMON_ORGANIZATION if c in known] or organization
        self.places = standard_zip_places()
        self.as_of = as_of
        self.days = (as_of - FIRST_ENUMERATION).days
        self.credentials = [c for c, _w in _CREDENTIALS]
        self.credential_weights = [w for _c, w in _CREDENTIALS]
        self.surnames = [s + e for s in _SURNAME_STEMS for e in _SURNAME_ENDINGS]
        self.accented = _ACCENTED_SURNAMES
        self.npi_base = 100_000_000 + self.rng.randrange(1_000_000)
        self.pos = POSITION
        self.taxonomy = [
            tuple(POSITION[c] for c in taxonomy_columns(n)) for n in range(1, TAXONOMY_GROUPS + 1)
        ]

    def next_npi(self) -> str:
        # Ascending like the real file, with gaps; the tenth digit is a valid check digit.
        self.npi_base += self.rng.randint(1, 9)
        first_nine = str(self.npi_base)
        return first_nine + npi_check_digit(first_nine)

    def _day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = max(0, (end - start).days)
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    def _surname(self) -> str:
        if self.rng.random() < 0.04:
            return self.rng.choice(self.accented)
        return self.rng.choice(self.surnames)

    def _code(self, individual: bool) -> str:
        rng = self.rng
        if individual:
            pool = self.common_individual if rng.random() < 0.6 else self.individual_codes
        else:
            pool = self.common_organization if rng.random() < 0.6 else self.organization_codes
        return rng.choice(pool)

    def _address(self, row: list[str], prefix: str) -> None:
        rng, pos = self.rng, self.pos
        place = rng.choice(self.places)
        line1 = f"{rng.randint(1, 9999)} {rng.choice(_STREETS)} {rng.choice(_STREET_KINDS)}"
        zip_code = place.zip_code + (f"{rng.randint(0, 9999):04d}" if rng.random() < 0.8 else "")
        area = place.area_codes[0] if place.area_codes else "555"
        phone = f"{area}555{rng.randint(0, 9999):04d}"
        row[pos[f"Provider First Line Business {prefix} Address"]] = line1
        if rng.random() < 0.2:
            row[pos[f"Provider Second Line Business {prefix} Address"]] = (
                f"SUITE {rng.randint(1, 999)}"
            )
        base = f"Provider Business {prefix} Address"
        row[pos[f"{base} City Name"]] = place.city.upper()[: max_length(f"{base} City Name")]
        row[pos[f"{base} State Name"]] = place.state
        row[pos[f"{base} Postal Code"]] = zip_code
        row[pos[f"{base} Country Code (If outside U.S.)"]] = "US"
        roll = rng.random()
        row[pos[f"{base} Telephone Number"]] = (
            phone if roll < 0.9 else (UNAVAILABLE if roll < 0.905 else "")
        )
        if rng.random() < 0.3:
            row[pos[f"{base} Fax Number"]] = f"{area}555{rng.randint(0, 9999):04d}"

    def _taxonomies(self, row: list[str], individual: bool, state: str) -> None:
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < 0.7 else 2 if roll < 0.9 else 3 if roll < 0.98 else rng.randint(4, 15)
        primary = rng.randrange(count)
        for i in range(count):
            code_at, license_at, state_at, switch_at = self.taxonomy[i]
            row[code_at] = self._code(individual)
            if individual and rng.random() < 0.75:
                if rng.random() < 0.002:
                    row[license_at] = "$$$$$$$$$"  # a masked SSN, as NPPES publishes it
                else:
                    row[license_at] = f"{rng.choice('ABCDEFGHMPRT')}{rng.randint(1000, 99999999)}"
                row[state_at] = state if rng.random() < 0.9 else rng.choice(("NY", "CA", "TX"))
            row[switch_at] = "Y" if i == primary else "N"

    def _dates(self, row: list[str]) -> datetime.date:
        pos = self.pos
        enumerated = FIRST_ENUMERATION + datetime.timedelta(days=self.rng.randint(0, self.days))
        updated = self._day_between(enumerated, self.as_of)
        row[pos["Provider Enumeration Date"]] = _date(enumerated)
        row[pos["Last Update Date"]] = _date(updated)
        if self.rng.random() < 0.5:
            row[pos["Certification Date"]] = _date(self._day_between(updated, self.as_of))
        return updated

    def individual(self, npi: str) -> list[str]:
        rng, pos = self.rng, self.pos
        row = [""] * COLUMNS
        row[0], row[1] = npi, "1"
        row[pos["Provider Last Name (Legal Name)"]] = self._surname()
        row[pos["Provider First Name"]] = rng.choice(_FIRST_NAMES)
        if rng.random() < 0.5:
            row[pos["Provider Middle Name"]] = (
                rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.5 else rng.choice(_FIRST_NAMES)
            )
        if rng.random() < 0.15:
            row[pos["Provider Name Prefix Text"]] = rng.choice(("DR.", "DR", "MS.", "MR."))
        if rng.random() < 0.04:
            row[pos["Provider Name Suffix Text"]] = rng.choice(("JR.", "SR.", "III", "II"))
        row[pos["Provider Credential Text"]] = rng.choices(
            self.credentials, self.credential_weights
        )[0]
        self._address(row, "Practice Location")
        self._mailing(row)
        self._dates(row)
        row[pos["Provider Sex Code"]] = rng.choice("MF") if rng.random() < 0.97 else ""
        row[pos["Is Sole Proprietor"]] = rng.choice(("N", "N", "Y", "X"))
        state = row[pos["Provider Business Practice Location Address State Name"]]
        self._taxonomies(row, True, state)
        if rng.random() < 0.1:
            row[pos["Other Provider Identifier_1"]] = str(rng.randint(10**7, 10**9))
            row[pos["Other Provider Identifier Type Code_1"]] = "05"
            row[pos["Other Provider Identifier State_1"]] = state
            row[pos["Other Provider Identifier Issuer_1"]] = "MEDICAID"
        return row

    def organization(self, npi: str) -> list[str]:
        rng, pos = self.rng, self.pos
        row = [""] * COLUMNS
        row[0], row[1] = npi, "2"
        row[pos["Employer Identification Number (EIN)"]] = UNAVAILABLE
        name = f"{self._surname()} {rng.choice(_ORG_WORDS)} {rng.choice(_ORG_SUFFIXES)}"
        row[pos["Provider Organization Name (Legal Business Name)"]] = name[:100]
        self._address(row, "Practice Location")
        self._mailing(row)
        self._dates(row)
        row[pos["Authorized Official Last Name"]] = self._surname()
        row[pos["Authorized Official First Name"]] = rng.choice(_FIRST_NAMES)
        row[pos["Authorized Official Title or Position"]] = rng.choice(
            ("OWNER", "PRESIDENT", "ADMINISTRATOR", "CEO")
        )
        row[pos["Authorized Official Telephone Number"]] = f"555555{rng.randint(0, 9999):04d}"
        subpart = rng.random() < 0.15
        row[pos["Is Organization Subpart"]] = "Y" if subpart else "N"
        if subpart:
            row[pos["Parent Organization LBN"]] = f"{self._surname()} HEALTH SYSTEM"
            row[pos["Parent Organization TIN"]] = UNAVAILABLE
        state = row[pos["Provider Business Practice Location Address State Name"]]
        self._taxonomies(row, False, state)
        return row

    def _mailing(self, row: list[str]) -> None:
        pos = self.pos
        if self.rng.random() < 0.8:  # usually the practice address again
            for part in ("First Line", "Second Line"):
                row[pos[f"Provider {part} Business Mailing Address"]] = row[
                    pos[f"Provider {part} Business Practice Location Address"]
                ]
            for part in (
                "City Name",
                "State Name",
                "Postal Code",
                "Country Code (If outside U.S.)",
                "Telephone Number",
            ):
                row[pos[f"Provider Business Mailing Address {part}"]] = row[
                    pos[f"Provider Business Practice Location Address {part}"]
                ]
        else:
            self._address(row, "Mailing")
            row[pos["Provider First Line Business Mailing Address"]] = (
                f"PO BOX {self.rng.randint(1, 99999)}"
            )

    def deactivated(self, npi: str) -> list[str]:
        # The real file keeps only the NPI and the date of a deactivated record.
        row = [""] * COLUMNS
        row[0] = npi
        day = self._day_between(datetime.date(2008, 1, 1), self.as_of)
        row[self.pos["NPI Deactivation Date"]] = _date(day)
        return row

    def reactivated(self, npi: str) -> list[str]:
        row = self.individual(npi)
        enumerated = datetime.datetime.strptime(
            row[self.pos["Provider Enumeration Date"]], "%m/%d/%Y"
        ).date()
        deactivated = self._day_between(enumerated, self.as_of)
        reactivated = self._day_between(deactivated, self.as_of)
        row[self.pos["NPI Deactivation Date"]] = _date(deactivated)
        row[self.pos["NPI Reactivation Date"]] = _date(reactivated)
        row[self.pos["Last Update Date"]] = _date(reactivated)
        return row

    def row(self) -> list[str]:
        npi = self.next_npi()
        roll = self.rng.random()
        if roll < 0.75:
            return self.individual(npi)
        if roll < 0.975:
            return self.organization(npi)
        if roll < 0.995:
            return self.deactivated(npi)
        return self.reactivated(npi)

    def spoil(self, row: list[str], kind: str) -> list[str]:
        """Plant one defect an importer must catch."""
        if kind == "columns":
            return row[:-3]
        if kind == "npi":
            npi = row[0]
            row[0] = npi[:9] + str((int(npi[9]) + 1) % 10)
        elif kind == "date":
            row[self.pos["Provider Enumeration Date"]] = "02/30/2019"
        elif kind == "taxonomy":
            code_at = self.taxonomy[0][0]
            row[code_at] = "999Z99999X"
            row[self.taxonomy[0][3]] = row[self.taxonomy[0][3]] or "Y"
        return row


def _line(fields: list[str]) -> str:
    # Every field quoted, as in the real file (which turns quotes inside values into ').
    return '"' + '","'.join(fields) + '"\r\n'


def synthetic_lines(
    rows: int,
    seed: int,
    codes: list[TaxonomyChoice],
    *,
    bad_rows: int = 0,
    as_of: datetime.date = DEFAULT_AS_OF,
    planted: dict[int, str] | None = None,
) -> Iterator[str]:
    """The header line, then `rows` data lines (`bad_rows` of them spoiled, noted in
    `planted` by line number)."""
    generator = _Generator(seed, codes, as_of)
    bad_rows = min(max(0, bad_rows), rows)
    spoiled = dict.fromkeys(sorted(random.Random(seed + 1).sample(range(rows), bad_rows)))
    for i, index in enumerate(spoiled):
        spoiled[index] = BAD_KINDS[i % len(BAD_KINDS)]
    yield _line(list(HEADER))
    for index in range(rows):
        row = generator.row()
        kind = spoiled.get(index)
        if kind:
            row = generator.spoil(row, kind)
            if planted is not None:
                planted[index + 2] = kind  # line 1 is the header
        yield _line(row)


def default_file_name(as_of: datetime.date = DEFAULT_AS_OF) -> str:
    return f"npidata_pfile_{FIRST_ENUMERATION:%Y%m%d}-{as_of:%Y%m%d}.csv"


@contextmanager
def _open_output(path: Path, latin1: bool, as_of: datetime.date) -> Iterator[TextIO]:
    encoding = "latin-1" if latin1 else "utf-8"
    if path.suffix.lower() != ".zip":
        with path.open("w", encoding=encoding, newline="") as stream:
            yield stream
        return
    # The ZIP as NPPES ships it: the data file plus its one-line header file.
    member = default_file_name(as_of)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            member.replace(".csv", "_fileheader.csv"), _line(list(HEADER)).encode(encoding)
        )
        with (
            archive.open(member, "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding=encoding, newline="") as stream,
        ):
            yield stream


def write_synthetic_nppes(
    path: str | Path,
    rows: int,
    seed: int,
    codes: list[TaxonomyChoice],
    *,
    bad_rows: int = 0,
    latin1: bool = False,
    as_of: datetime.date = DEFAULT_AS_OF,
) -> SyntheticFile:
    """Write a synthetic NPPES file (.csv, or .zip holding npidata_pfile_*.csv)."""
    path = Path(path)
    result = SyntheticFile(path=path, rows=rows, bytes=0, data_date=as_of)
    with _open_output(path, latin1, as_of) as stream:
        write = stream.write
        buffer: list[str] = []
        for line in synthetic_lines(
            rows, seed, codes, bad_rows=bad_rows, as_of=as_of, planted=result.planted
        ):
            buffer.append(line)
            if len(buffer) >= 2000:
                write("".join(buffer))
                buffer.clear()
        write("".join(buffer))
    result.bytes = path.stat().st_size
    return result
