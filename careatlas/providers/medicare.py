"""The CMS Medicare claims dataset behind procedure volumes: its name, link and privacy rule.

Shared by the importer that reads it and the pages that cite it.
"""

DATASET = "Medicare Physician & Other Practitioners - by Provider and Service"
DATASET_URL = (
    "https://data.cms.gov/provider-summary-by-type-of-service/"
    "medicare-physician-other-practitioners/"
    "medicare-physician-other-practitioners-by-provider-and-service"
)
# CMS leaves out every NPI/code/place-of-service row with fewer beneficiaries than this.
SUPPRESSION_THRESHOLD = 11


def verified_by(year: int) -> str:
    """How a claims verification names its source (Verification.verified_by)."""
    return f"CMS Medicare claims {year}"
