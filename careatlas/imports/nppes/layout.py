"""The NPPES data file layout (V2, 330 columns): column names, field lengths, code values.

The header is rebuilt here rather than read from a sample so the importer needs nothing but
the file it is given; tests compare it with the real header kept in shared data.
"""

import re

# The 47 named columns at the start of every row.
LEADING = (
    "NPI",
    "Entity Type Code",
    "Replacement NPI",
    "Employer Identification Number (EIN)",
    "Provider Organization Name (Legal Business Name)",
    "Provider Last Name (Legal Name)",
    "Provider First Name",
    "Provider Middle Name",
    "Provider Name Prefix Text",
    "Provider Name Suffix Text",
    "Provider Credential Text",
    "Provider Other Organization Name",
    "Provider Other Organization Name Type Code",
    "Provider Other Last Name",
    "Provider Other First Name",
    "Provider Other Middle Name",
    "Provider Other Name Prefix Text",
    "Provider Other Name Suffix Text",
    "Provider Other Credential Text",
    "Provider Other Last Name Type Code",
    "Provider First Line Business Mailing Address",
    "Provider Second Line Business Mailing Address",
    "Provider Business Mailing Address City Name",
    "Provider Business Mailing Address State Name",
    "Provider Business Mailing Address Postal Code",
    "Provider Business Mailing Address Country Code (If outside U.S.)",
    "Provider Business Mailing Address Telephone Number",
    "Provider Business Mailing Address Fax Number",
    "Provider First Line Business Practice Location Address",
    "Provider Second Line Business Practice Location Address",
    "Provider Business Practice Location Address City Name",
    "Provider Business Practice Location Address State Name",
    "Provider Business Practice Location Address Postal Code",
    "Provider Business Practice Location Address Country Code (If outside U.S.)",
    "Provider Business Practice Location Address Telephone Number",
    "Provider Business Practice Location Address Fax Number",
    "Provider Enumeration Date",
    "Last Update Date",
    "NPI Deactivation Reason Code",
    "NPI Deactivation Date",
    "NPI Reactivation Date",
    "Provider Sex Code",
    "Authorized Official Last Name",
    "Authorized Official First Name",
    "Authorized Official Middle Name",
    "Authorized Official Title or Position",
    "Authorized Official Telephone Number",
)
TAXONOMY_GROUPS = 15  # taxonomy code / license number / license state / primary switch
OTHER_IDENTIFIERS = 50
TRAILING = (
    "Is Sole Proprietor",
    "Is Organization Subpart",
    "Parent Organization LBN",
    "Parent Organization TIN",
    "Authorized Official Name Prefix Text",
    "Authorized Official Name Suffix Text",
    "Authorized Official Credential Text",
)


def taxonomy_columns(n: int) -> tuple[str, str, str, str]:
    """The four columns of taxonomy group n (1-15): code, license number, state, switch."""
    return (
        f"Healthcare Provider Taxonomy Code_{n}",
        f"Provider License Number_{n}",
        f"Provider License Number State Code_{n}",
        f"Healthcare Provider Primary Taxonomy Switch_{n}",
    )


def other_identifier_columns(n: int) -> tuple[str, str, str, str]:
    return (
        f"Other Provider Identifier_{n}",
        f"Other Provider Identifier Type Code_{n}",
        f"Other Provider Identifier State_{n}",
        f"Other Provider Identifier Issuer_{n}",
    )


HEADER: tuple[str, ...] = (
    *LEADING,
    *(name for n in range(1, TAXONOMY_GROUPS + 1) for name in taxonomy_columns(n)),
    *(name for n in range(1, OTHER_IDENTIFIERS + 1) for name in other_identifier_columns(n)),
    *TRAILING,
    *(f"Healthcare Provider Taxonomy Group_{n}" for n in range(1, TAXONOMY_GROUPS + 1)),
    "Certification Date",
)
COLUMNS = len(HEADER)  # 330
POSITION = {name: i for i, name in enumerate(HEADER)}

# Maximum field lengths of the V2 layout: the NPPES readme (exhibit 2-1), except taxonomy
# groups, which the real June 2025 file fills up to 42 characters against the readme's 10.
_LENGTH_BY_FAMILY = (
    (re.compile(r"Name Type Code$"), 1),
    (re.compile(r"Organization Name|LBN"), 100),
    (re.compile(r"Last Name|First Name|Title or Position"), 35),
    (re.compile(r"Middle Name|Credential Text|Telephone|Fax|Postal Code|License Number_"), 20),
    (re.compile(r"Prefix Text|Suffix Text"), 5),
    (re.compile(r"Line .*Address"), 55),
    (re.compile(r"City Name|State Name"), 40),
    (re.compile(r"Date"), 10),
    (re.compile(r"Country Code|State Code|Reason Code|Identifier State"), 2),
    (re.compile(r"Taxonomy Code_"), 10),
    (re.compile(r"Taxonomy Group_"), 42),
    (re.compile(r"Other Provider Identifier_"), 20),
    (re.compile(r"Identifier Issuer"), 80),
    (re.compile(r"Identifier Type Code"), 2),
    (re.compile(r"^(NPI|Replacement NPI)$"), 10),
    (re.compile(r"EIN|TIN"), 9),
)


def max_length(column: str) -> int:
    """The longest value the column may hold; one character for flags and type codes."""
    for pattern, length in _LENGTH_BY_FAMILY:
        if pattern.search(column):
            return length
    return 1


ENTITY_INDIVIDUAL = "1"
ENTITY_ORGANIZATION = "2"
# Provider Sex Code: the file uses M and F; anything else (blank, or a newer code) is shown
# as "not stated" rather than guessed.
SEX = {"M": "male", "F": "female"}
# NPPES replaces values it must not publish: a placeholder for suppressed fields and masks
# for identifiers typed where a license number belongs (SSN, ITIN, EIN).
UNAVAILABLE = "<UNAVAIL>"
MASK_CHARACTERS = frozenset("$*_")
# npidata_pfile_20050523-20250608.csv (monthly) or npidata_pfile_20250609-20250615.csv
# (weekly): the second date is the day the file's data is from.
FILE_NAME_DATES = re.compile(r"npidata_pfile_(\d{8})-(\d{8})", re.IGNORECASE)
