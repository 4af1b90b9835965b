"""NPPES files for tests: hand-written rows in the real 330-column layout, written as NPPES
writes them (every field quoted, CRLF, Latin-1 unless told otherwise), and the operator's
side: running the command and looking at what it left."""

import csv
import datetime
import io
from pathlib import Path

from django.core.management import call_command

from careatlas.imports.models import ImportRun
from careatlas.imports.nppes.layout import COLUMNS, HEADER, POSITION, taxonomy_columns
from careatlas.providers.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    TaxonomyCode,
    Verification,
)
from careatlas.providers.npi import npi_check_digit
from careatlas.search.interface import ProviderQuery, find_providers


def npi(n: int) -> str:
    """A valid NPI from a small number: npi(1) -> '1000000014'."""
    first_nine = str(100_000_000 + n)
    return first_nine + npi_check_digit(first_nine)


def mmddyyyy(day: datetime.date | str) -> str:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return day.strftime("%m/%d/%Y")


def individual(
    number: str,
    *,
    first: str = "ALEX",
    last: str = "TESTNAME",
    credential: str = "D.O.",
    sex: str = "F",
    street: str = "12 TESTING ST",
    city: str = "NEW YORK",
    state: str = "NY",
    zip_code: str = "100011234",
    phone: str = "2125550123",
    taxonomies: tuple[tuple[str, str, str, str], ...] = (("204D00000X", "D1234", "NY", "Y"),),
    enumerated: str = "2010-01-04",
    updated: str = "2020-03-02",
    deactivated: str = "",
    reactivated: str = "",
    **columns: str,
) -> list[str]:
    """An entity type 1 row; `taxonomies` are (code, license number, license state, switch)."""
    row = [""] * COLUMNS
    values = {
        "NPI": number,
        "Entity Type Code": "1",
        "Provider Last Name (Legal Name)": last,
        "Provider First Name": first,
        "Provider Credential Text": credential,
        "Provider Sex Code": sex,
        "Provider First Line Business Practice Location Address": street,
        "Provider Business Practice Location Address City Name": city,
        "Provider Business Practice Location Address State Name": state,
        "Provider Business Practice Location Address Postal Code": zip_code,
        "Provider Business Practice Location Address Country Code (If outside U.S.)": "US",
        "Provider Business Practice Location Address Telephone Number": phone,
        "Provider Enumeration Date": mmddyyyy(enumerated),
        "Last Update Date": mmddyyyy(updated),
        "NPI Deactivation Date": mmddyyyy(deactivated) if deactivated else "",
        "NPI Reactivation Date": mmddyyyy(reactivated) if reactivated else "",
        **columns,
    }
    for n, group in enumerate(taxonomies, start=1):
        values.update(zip(taxonomy_columns(n), group, strict=True))
    for name, value in values.items():
        row[POSITION[name]] = value
    return row


def organization(
    number: str,
    *,
    name: str = "SYNTHETICA OSTEOPATHIC CARE LLC",
    street: str = "400 SAMPLE AVE",
    city: str = "CHICAGO",
    state: str = "IL",
    zip_code: str = "60601",
    code: str = "261QP2300X",
    updated: str = "2021-05-05",
) -> list[str]:
    row = [""] * COLUMNS
    values = {
        "NPI": number,
        "Entity Type Code": "2",
        "Employer Identification Number (EIN)": "<UNAVAIL>",
        "Provider Organization Name (Legal Business Name)": name,
        "Provider First Line Business Practice Location Address": street,
        "Provider Business Practice Location Address City Name": city,
        "Provider Business Practice Location Address State Name": state,
        "Provider Business Practice Location Address Postal Code": zip_code,
        "Provider Business Practice Location Address Country Code (If outside U.S.)": "US",
        "Provider Enumeration Date": "01/02/2008",
        "Last Update Date": mmddyyyy(updated),
        "Healthcare Provider Taxonomy Code_1": code,
        "Healthcare Provider Primary Taxonomy Switch_1": "Y",
    }
    for name_, value in values.items():
        row[POSITION[name_]] = value
    return row


def deactivation(number: str, day: str) -> list[str]:
    """How the registry lists a deactivated NPI: the NPI and the date, nothing else."""
    row = [""] * COLUMNS
    row[0] = number
    row[POSITION["NPI Deactivation Date"]] = mmddyyyy(day)
    return row


def write_nppes(
    folder: Path,
    rows: list[list[str]],
    *,
    data_date: datetime.date | str = "2025-06-08",
    encoding: str = "latin-1",
    name: str | None = None,
) -> Path:
    """npidata_pfile_20050523-<data date>.csv in `folder` (or `name`)."""
    if isinstance(data_date, str):
        data_date = datetime.date.fromisoformat(data_date)
    path = folder / (name or f"npidata_pfile_20050523-{data_date:%Y%m%d}.csv")
    with path.open("w", encoding=encoding, newline="") as stream:
        for fields in [list(HEADER), *rows]:
            stream.write('"' + '","'.join(fields) + '"\r\n')
    return path


def load_taxonomy(real_data: Path) -> int:
    """The NUCC code set from the real file, as import_nucc would leave it (codes only)."""
    with (real_data / "nucc" / "nucc_taxonomy_251.csv").open(encoding="utf-8") as stream:
        codes = [
            TaxonomyCode(
                code=row["Code"].strip(),
                grouping=row["Grouping"].strip(),
                classification=row["Classification"].strip(),
                specialization=row["Specialization"].strip(),
                display_name=row["Display Name"].strip(),
                section=row["Section"].strip(),
                version="25.1",
            )
            for row in csv.DictReader(stream)
        ]
    TaxonomyCode.objects.bulk_create(codes, ignore_conflicts=True)
    return len(codes)


def run_import(path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_nppes", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def last_run() -> ImportRun:
    return ImportRun.objects.filter(kind="nppes").latest("started_at", "id")


def found(text: str) -> list[str]:
    return [hit.npi for hit in find_providers(ProviderQuery(text=text, page_size=50)).hits]


def snapshot() -> dict:
    """Every directory row the importer writes, with its last-modified time."""
    return {
        "practitioners": list(Practitioner.objects.order_by("npi").values()),
        "organizations": list(Organization.objects.order_by("npi").values()),
        "locations": list(Location.objects.order_by("source_key").values()),
        "roles": list(PractitionerRole.objects.order_by("id").values()),
        "specialties": list(RoleSpecialty.objects.order_by("id").values()),
        "licenses": list(StateLicense.objects.order_by("id").values()),
        "verifications": list(Verification.objects.order_by("id").values()),
    }
