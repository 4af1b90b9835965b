"""Small CMS utilization files written row by row, for tests that need exact numbers."""

import csv
from pathlib import Path

from django.core.management import call_command

from careatlas.demo.utilization import DESCRIPTION
from careatlas.imports.utilization.layout import COLUMNS


def claim(npi: str, code: str, place: str = "O", benes=20, services=30, allowed=50.0) -> dict:
    """One row: what a practitioner billed for one code at one place of service."""
    return {
        "Rndrng_NPI": npi,
        "Rndrng_Prvdr_Last_Org_Name": "Testname",
        "Rndrng_Prvdr_First_Name": "Alex",
        "Rndrng_Prvdr_Crdntls": "D.O.",
        "Rndrng_Prvdr_Gndr": "F",
        "Rndrng_Prvdr_Ent_Cd": "I",
        "Rndrng_Prvdr_St1": "1 Example St",
        "Rndrng_Prvdr_City": "New York",
        "Rndrng_Prvdr_State_Abrvtn": "NY",
        "Rndrng_Prvdr_State_FIPS": "36",
        "Rndrng_Prvdr_Zip5": "10001",
        "Rndrng_Prvdr_RUCA": "1",
        "Rndrng_Prvdr_RUCA_Desc": "Metropolitan area core: primary flow within an urbanized area",
        "Rndrng_Prvdr_Cntry": "US",
        "Rndrng_Prvdr_Type": "Osteopathic Manipulative Medicine",
        "Rndrng_Prvdr_Mdcr_Prtcptg_Ind": "Y",
        "HCPCS_Cd": code,
        "HCPCS_Desc": DESCRIPTION,
        "HCPCS_Drug_Ind": "N",
        "Place_Of_Srvc": place,
        "Tot_Benes": str(benes),
        "Tot_Srvcs": str(services),
        "Tot_Bene_Day_Srvcs": str(services),
        "Avg_Sbmtd_Chrg": str(allowed * 2),
        "Avg_Mdcr_Alowd_Amt": str(allowed),
        "Avg_Mdcr_Pymt_Amt": str(round(allowed * 0.78, 2)),
        "Avg_Mdcr_Stdzd_Amt": str(round(allowed * 0.8, 2)),
    }


def write_claims(path: Path, rows: list[dict | list[str]]) -> Path:
    """A file with the real header; dict rows are claims, list rows are written as given."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(c, "") for c in COLUMNS] if isinstance(row, dict) else row)
    return path


def import_claims(path: Path, year: int = 2023, *args: str, **options) -> str:
    """Run the command as an operator would; returns what it printed."""
    from io import StringIO

    out = StringIO()
    call_command("import_utilization", str(path), "--year", str(year), *args, stdout=out, **options)
    return out.getvalue()
