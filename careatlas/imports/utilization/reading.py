"""Reading a utilization file into totals per NPI and procedure, and per procedure nationally.

The file has one row per NPI, HCPCS code and place of service; a procedure has several
codes and a code may belong to several procedures. Rows are summed in memory (only rows
whose code some procedure uses are kept: a few hundred thousand NPI/procedure pairs for a
full national file), so the database is written once per pair, in NPI order.
"""

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from careatlas.imports.files import CsvSource, SourceFileError
from careatlas.imports.runs import Quarantine
from careatlas.imports.utilization.layout import COLUMNS, PLACES_OF_SERVICE, USED
from careatlas.providers.npi import is_valid_npi

# Larger than any real count or amount in the file; rejects "inf" and absurd values.
_MAX_VALUE = 1e12
# Bad rows are written in batches while reading, so a very bad file stays in constant memory.
_QUARANTINE_BATCH = 5_000


class Volume:
    """What one NPI billed for one procedure in the year, summed over its codes and places."""

    __slots__ = ("allowed", "beneficiaries", "codes", "services")

    def __init__(self) -> None:
        self.services = 0.0
        # CMS counts beneficiaries per code and place: one patient seen at two places, or
        # for two codes, is counted twice, so a sum over-counts. The largest single count
        # is kept instead: a lower bound of the distinct patients.
        self.beneficiaries = 0
        self.codes: tuple[str, ...] = ()  # a tuple: most pairs have one or two codes
        self.allowed = 0.0  # sum of average allowed amount x services, in dollars


@dataclass
class National:
    """One procedure over the whole file, every NPI included (for the guide's figures)."""

    services: float = 0.0
    allowed: float = 0.0
    npis: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)


@dataclass
class Tally:
    pairs: dict[tuple[str, int], Volume] = field(default_factory=dict)
    national: dict[int, National] = field(default_factory=dict)
    rows_by_npi: Counter = field(default_factory=Counter)  # rows of used codes, per NPI
    rows_read: int = 0
    quarantined: int = 0
    other_codes: int = 0  # valid rows whose code no procedure uses


def check_header(source: CsvSource) -> dict[str, int]:
    """Column positions by name; a file in another layout is refused as a whole."""
    header = source.header
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise SourceFileError(
            f"{source.path}: not a CMS Medicare Physician & Other Practitioners by Provider "
            f"and Service file: missing column(s) {', '.join(missing)}"
        )
    return {name: header.index(name) for name in USED}


def _problem(place: str, numbers: tuple[tuple[str, str], ...]) -> str:
    """Why a row's place of service or counts are unusable (the slow path, bad rows only)."""
    if place not in PLACES_OF_SERVICE:
        return f"Place_Of_Srvc must be F or O, not {place[:10]!r}"
    for column, text in numbers:
        try:
            value = float(text)
        except ValueError:
            return f"{column} is not a number: {text[:20]!r}"
        if not 0 <= value < _MAX_VALUE:  # also false for nan
            return f"{column} must be a number of 0 or more, not {text[:20]!r}"
    return "unreadable row"


def read_rows(
    source: CsvSource,
    procedures_by_code: dict[str, tuple[int, ...]],
    quarantine: Quarantine,
    on_progress: Callable[[int, int], None] | None = None,
) -> Tally:
    """Validate every row and sum the rows of codes a procedure uses.

    Bad rows (wrong width, invalid NPI, place of service other than F or O, counts that are
    not numbers) go to the quarantine with their line and reason; they are checked whatever
    their code, so the bad-row share describes the whole file.
    """
    position = check_header(source)
    width = len(source.header)
    at_npi, at_code, at_place = (
        position["Rndrng_NPI"],
        position["HCPCS_Cd"],
        position["Place_Of_Srvc"],
    )
    at_benes, at_services = position["Tot_Benes"], position["Tot_Srvcs"]
    at_allowed = position["Avg_Mdcr_Alowd_Amt"]
    tally = Tally()
    pairs, national, rows_by_npi = tally.pairs, tally.national, tally.rows_by_npi
    checked_npi, npi_ok = "", False  # files are sorted by NPI: check each one once
    rows = quarantined = other_codes = 0
    for line, fields in source.rows():
        rows += 1
        if not rows % 20_000:
            if on_progress is not None:
                on_progress(rows, source.offset)
            if len(quarantine.pending) >= _QUARANTINE_BATCH:
                quarantine.flush()  # the read phase writes nothing else: safe to commit
        if len(fields) != width:
            quarantine.add(line, f"expected {width} fields, found {len(fields)}")
            quarantined += 1
            continue
        npi = fields[at_npi].strip()
        if npi != checked_npi:
            checked_npi, npi_ok = npi, is_valid_npi(npi)
        if not npi_ok:
            quarantine.add(line, f"Rndrng_NPI {npi[:12]!r} is not a valid NPI", npi)
            quarantined += 1
            continue
        place = fields[at_place].strip()
        try:
            beneficiaries = float(fields[at_benes])
            services = float(fields[at_services])
            allowed = float(fields[at_allowed])
            usable = (
                place in PLACES_OF_SERVICE
                and 0 <= beneficiaries < _MAX_VALUE
                and 0 <= services < _MAX_VALUE
                and 0 <= allowed < _MAX_VALUE
            )
        except ValueError:
            usable = False
        if not usable:
            numbers = (
                ("Tot_Benes", fields[at_benes]),
                ("Tot_Srvcs", fields[at_services]),
                ("Avg_Mdcr_Alowd_Amt", fields[at_allowed]),
            )
            quarantine.add(line, _problem(place, numbers), npi)
            quarantined += 1
            continue
        code = fields[at_code].strip()
        procedure_ids = procedures_by_code.get(code)
        if procedure_ids is None:
            other_codes += 1
            continue
        rows_by_npi[npi] += 1
        for procedure_id in procedure_ids:
            volume = pairs.get((npi, procedure_id))
            if volume is None:
                volume = pairs[(npi, procedure_id)] = Volume()
            volume.services += services
            volume.allowed += allowed * services
            volume.beneficiaries = max(volume.beneficiaries, int(beneficiaries))
            if code not in volume.codes:
                volume.codes += (code,)
            whole = national.get(procedure_id)
            if whole is None:
                whole = national[procedure_id] = National()
            whole.services += services
            whole.allowed += allowed * services
            whole.npis.add(npi)
            whole.codes.add(code)
    tally.rows_read, tally.quarantined, tally.other_codes = rows, quarantined, other_codes
    if on_progress is not None:
        on_progress(rows, source.offset)
    return tally


def whole_services(services: float) -> int:
    """CMS reports some services in fractions (drug units, time): totals are rounded."""
    return int(math.floor(services + 0.5))
