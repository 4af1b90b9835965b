"""Professional credentials as they are written after a name, normalised to one spelling each."""

import re

# Spellings found in NPPES and on practice websites, folded (no dots or spaces, upper case),
# mapped to how we show them. Anything unknown is kept, upper-cased, so nothing is lost.
CANONICAL = {
    "MD": "MD",
    "DO": "DO",
    "DC": "DC",
    "PT": "PT",
    "DPT": "DPT",
    "MPT": "MPT",
    "LAC": "LAc",
    "LICAC": "LAc",
    "DIPLAC": "Dipl. Ac.",
    "DACM": "DACM",
    "DAOM": "DAOM",
    "LMT": "LMT",
    "LMBT": "LMBT",
    "CMT": "CMT",
    "PHD": "PhD",
    "MPH": "MPH",
    "FACS": "FACS",
    "FAAOS": "FAAOS",
    "FAAPMR": "FAAPMR",
    "OCS": "OCS",
}
# Credentials that make someone a physician (for schema.org and the "Dr." prefix).
PHYSICIAN = frozenset({"MD", "DO"})


def normalise_credential(raw: str) -> str:
    folded = re.sub(r"[.\s]", "", raw).upper()
    return CANONICAL.get(folded, folded)


def normalise_credentials(raw: str | list[str] | None) -> list[str]:
    """'d.o., faaos' -> ['DO', 'FAAOS']; duplicates dropped, order kept."""
    if not raw:
        return []
    parts = raw if isinstance(raw, list) else re.split(r"[,;/]+", raw)
    seen: dict[str, None] = {}
    for part in parts:
        if part and part.strip():
            seen.setdefault(normalise_credential(part.strip()), None)
    return list(seen)
