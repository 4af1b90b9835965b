"""The CMS "Medicare Physician & Other Practitioners - by Provider and Service" file layout.

One row per rendering NPI, HCPCS code and place of service (F facility, O office) for one
data year. CMS leaves out every row with fewer than 11 beneficiaries, so small volumes are
absent rather than zero. HCPCS_Desc holds CPT descriptors (AMA copyright): the importer
reads past it and never keeps it.
"""

from careatlas.providers.medicare import (  # noqa: F401 - the dataset's facts, re-exported
    DATASET,
    DATASET_URL,
    SUPPRESSION_THRESHOLD,
    verified_by,
)

COLUMNS = (
    "Rndrng_NPI",
    "Rndrng_Prvdr_Last_Org_Name",
    "Rndrng_Prvdr_First_Name",
    "Rndrng_Prvdr_MI",
    "Rndrng_Prvdr_Crdntls",
    "Rndrng_Prvdr_Gndr",
    "Rndrng_Prvdr_Ent_Cd",
    "Rndrng_Prvdr_St1",
    "Rndrng_Prvdr_St2",
    "Rndrng_Prvdr_City",
    "Rndrng_Prvdr_State_Abrvtn",
    "Rndrng_Prvdr_State_FIPS",
    "Rndrng_Prvdr_Zip5",
    "Rndrng_Prvdr_RUCA",
    "Rndrng_Prvdr_RUCA_Desc",
    "Rndrng_Prvdr_Cntry",
    "Rndrng_Prvdr_Type",
    "Rndrng_Prvdr_Mdcr_Prtcptg_Ind",
    "HCPCS_Cd",
    "HCPCS_Desc",
    "HCPCS_Drug_Ind",
    "Place_Of_Srvc",
    "Tot_Benes",
    "Tot_Srvcs",
    "Tot_Bene_Day_Srvcs",
    "Avg_Sbmtd_Chrg",
    "Avg_Mdcr_Alowd_Amt",
    "Avg_Mdcr_Pymt_Amt",
    "Avg_Mdcr_Stdzd_Amt",
)
# The columns the importer reads; the rest (names, address, charges) are not kept.
USED = ("Rndrng_NPI", "HCPCS_Cd", "Place_Of_Srvc", "Tot_Benes", "Tot_Srvcs", "Avg_Mdcr_Alowd_Amt")
PLACES_OF_SERVICE = ("F", "O")
# Data years CMS has published in this layout (2013 onwards).
FIRST_YEAR = 2013
