"""Bad NPPES rows written by the tests themselves, each with the reason the importer must give.

Synthetic registry files are generated clean; a test puts these rows at line numbers it
chooses, so what is bad, and why, is said here rather than learnt from the generator.
Each takes a small number `n` for an NPI of its own, far above the synthetic generator's
(which start near 100,000,000 and climb a few per row), so no bad row shares a good row's NPI.
"""

from pathlib import Path

from careatlas.imports.nppes.layout import POSITION
from tests.nppes_files import individual, npi

BadRow = tuple[list[str], str]  # the row's fields, the start of the reason it is quarantined


def _npi(n: int) -> str:
    return npi(99_000_000 + n)


def short_row(n: int) -> BadRow:
    """A row that lost its last three columns."""
    return individual(_npi(n))[:-3], "expected 330 columns, found 327"


def wrong_check_digit(n: int) -> BadRow:
    """An NPI whose tenth digit is not its Luhn check digit."""
    valid = _npi(n)
    wrong = valid[:9] + str((int(valid[9]) + 1) % 10)
    return individual(wrong), f"invalid NPI '{wrong}'"


def impossible_date(n: int) -> BadRow:
    row = individual(_npi(n))
    row[POSITION["Provider Enumeration Date"]] = "02/30/2019"
    return row, "unparseable Provider Enumeration Date '02/30/2019'"


def unknown_taxonomy(n: int) -> BadRow:
    row = individual(_npi(n), taxonomies=(("999Z99999X", "", "", "Y"),))
    return row, "unknown taxonomy code '999Z99999X'"


def plant(path: Path, rows: dict[int, BadRow]) -> None:
    """Put each row at its line number (the header is line 1) of the NPPES CSV at `path`,
    written as NPPES writes rows: every field quoted, CRLF."""
    lines = path.read_bytes().split(b"\r\n")
    for number in sorted(rows):
        fields, _reason = rows[number]
        lines.insert(number - 1, ('"' + '","'.join(fields) + '"').encode("latin-1"))
    path.write_bytes(b"\r\n".join(lines))
