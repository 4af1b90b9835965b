"""The automatic checks a review or a reply passes before anyone can read it.

One function, `screen`, serves both. A hit never rejects: it sends the text to a moderator
with the reasons (`flags`), so the checks lean towards flagging. Bursts from one browser
are counted separately (`burst_flags`), since they depend on the sender, not the text.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WORD_LISTS = Path(settings.BASE_DIR) / "data" / "reviews"
# All-capital text: at least this many letters, nearly all of them capitals ("MRI" is fine).
CAPS_MIN_LETTERS = 20
CAPS_SHARE = 0.8
DETAIL_CHARS = 40

RULES = {
    "email": _("An e-mail address"),
    "phone": _("A phone number"),
    "url": _("A web address"),
    "profanity": _("Profanity"),
    "full_name": _("Someone's full name"),
    "all_caps": _("Written in capitals"),
    "record_number": _("A medical record, insurance or ID number"),
    "burst": _("Many reviews from one browser in a short time"),
    "confirms_patient": _("Says or hints that the reviewer is a patient"),
}

# "pat@example.net", and the spelled-out "pat (at) example (dot) net".
EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+"
)
# US numbers written any usual way ("(212) 555-0101", "212.555.0101", "+1 212 555 0101") and
# local seven-digit ones ("555-0101"); bare digit runs are the record-number rule's.
PHONE = re.compile(
    r"(?<![\w])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)"
    r"|(?<![\w.-])\d{3}-\d{4}(?![\w-])"
)
URL = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[a-z0-9-]+\.(?:com|org|net|info|biz|io|co|us|me|health|clinic|ly)\b",
    re.IGNORECASE,
)
RECORD_WORDS = re.compile(
    r"\b(?:MRN|medical record (?:number|no)|chart (?:number|no)|member (?:ID|number|no)"
    r"|policy (?:number|no)|subscriber (?:ID|number)|group number|SSN|social security)\b",
    re.IGNORECASE,
)
# Seven or more digits in a row, an SSN's shape, or letters and digits mixed into one long
# code ("XEH123456789", "W2345-67890"): how member IDs and record numbers look.
RECORD_NUMBER = re.compile(
    r"\b\d{3}-\d{2}-\d{4}\b|\b\d{7,}\b|\b(?=[A-Z0-9-]*\d{5})(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{8,}\b",
    re.IGNORECASE,
)
# "Jane Smith": a listed first name, then a capitalised word of two or more letters. The
# lookahead lets pairs overlap, so "Nurse Maria Lopez" still finds "Maria Lopez".
NAME_PAIR = re.compile(r"\b([A-Z][a-z]+)(?=\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
# Capitalised words that follow a first name without making a person's full name.
NOT_SURNAMES = frozenset(
    {
        *("dr", "doctor", "nurse", "hospital", "clinic", "center", "centre", "medical"),
        *("health", "care", "office", "street", "avenue", "road", "university", "urgent"),
        *("therapy", "and", "the", "monday", "tuesday", "wednesday", "thursday", "friday"),
        *("saturday", "sunday", "january", "february", "march", "april", "may", "june"),
        *("july", "august", "september", "october", "november", "december"),
    }
)
# A practice's reply must not confirm that the reviewer is its patient (HIPAA): no talk of
# the reviewer's visit, appointment, treatment or records.
CONFIRMS_PATIENT = re.compile(
    r"\byour\s+(?:recent\s+|last\s+)?(?:visit|appointment|treatment|procedure|surgery|"
    r"operation|diagnosis|condition|records?|chart|results?|prescription|care\s+plan|"
    r"exam|session|test)s?\b|\bwe\s+(?:saw|treated|examined)\s+you\b|\bwhen\s+you\s+came\s+in\b"
    r"|\bas\s+your\s+(?:doctor|physician|provider|surgeon|nurse)\b",
    re.IGNORECASE,
)
LEET = str.maketrans("013457@$", "oieastas")


@dataclass(frozen=True)
class Flag:
    rule: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "detail": self.detail}


def _words(name: str) -> frozenset[str]:
    lines = (WORD_LISTS / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def profanities() -> re.Pattern:
    """One pattern for every listed word and phrase, matched as whole words."""
    entries = sorted(_words("profanity-en.txt"), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, entry.split())) for entry in entries)
    # Plurals count too ("assholes"): the list mostly gives the singular.
    return re.compile(rf"(?<![\w])(?:{alternatives})(?:e?s)?(?![\w])", re.IGNORECASE)


@cache
def first_names() -> frozenset[str]:
    return _words("first-names-us.txt")


def _excerpt(match: re.Match) -> str:
    return match.group(0)[:DETAIL_CHARS]


def _full_names(text: str, allowed: set[str]) -> list[str]:
    found = []
    for match in NAME_PAIR.finditer(text):
        first, last = match.group(1).lower(), match.group(2).lower()
        if first not in first_names() or last in NOT_SURNAMES:
            continue
        if f"{first} {last}" in allowed:
            continue
        found.append(f"{match.group(1)} {match.group(2)}")
    return found


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < CAPS_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= CAPS_SHARE


def screen(
    text: str,
    *,
    allowed_names: tuple[str, ...] = (),
    is_reply: bool = False,
    reviewer_name: str = "",
) -> list[Flag]:
    """What a moderator must look at in `text` (empty when it may be published).

    `allowed_names` are full names the text may carry (the practitioner's own). A practice's
    reply (`is_reply`) must also not talk of the reviewer's visit or repeat the name they
    chose (`reviewer_name`): either would confirm they are a patient.
    """
    flags: list[Flag] = []
    if not text.strip():
        return flags

    def add(rule: str, matches) -> None:
        flags.extend(Flag(rule, detail) for detail in dict.fromkeys(matches))

    add("email", (_excerpt(m) for m in EMAIL.finditer(text)))
    add("phone", (_excerpt(m) for m in PHONE.finditer(text)))
    emails = " ".join(f.detail for f in flags)
    add("url", (_excerpt(m) for m in URL.finditer(text) if m.group(0) not in emails))
    words = profanities()
    add("profanity", (_excerpt(m) for m in words.finditer(text)))
    if not any(f.rule == "profanity" for f in flags):  # "sh1t", "fvck"-style spellings
        add("profanity", (_excerpt(m) for m in words.finditer(text.lower().translate(LEET))))
    allowed = {" ".join(name.lower().split()) for name in allowed_names if name}
    add("full_name", _full_names(text, allowed))
    if _all_caps(text):
        flags.append(Flag("all_caps", text.strip()[:DETAIL_CHARS]))
    record = [_excerpt(m) for m in RECORD_WORDS.finditer(text)]
    phones = {f.detail for f in flags if f.rule == "phone"}
    record += [_excerpt(m) for m in RECORD_NUMBER.finditer(text) if m.group(0) not in phones]
    add("record_number", record)
    if is_reply:
        add("confirms_patient", (_excerpt(m) for m in CONFIRMS_PATIENT.finditer(text)))
        name = re.escape(reviewer_name.strip())
        if name and re.search(rf"(?<!\w){name}(?!\w)", text, re.IGNORECASE):
            flags.append(Flag("confirms_patient", reviewer_name.strip()[:DETAIL_CHARS]))
    return flags


def fingerprint(ip: str, user_agent: str) -> str:
    """A keyed digest of the sender's address and browser: bursts can be counted, and without
    the secret key nobody can test guesses of an address against it. Never the address."""
    message = f"review-sender|{ip}|{user_agent}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def burst_flags(recent_count: int) -> list[Flag]:
    """The burst flag when this review is the REVIEW_BURST_COUNT-th from one browser within
    REVIEW_BURST_HOURS, across all practices (`recent_count` counts the others)."""
    if recent_count + 1 < settings.REVIEW_BURST_COUNT:
        return []
    detail = f"{recent_count + 1} / {settings.REVIEW_BURST_HOURS} h"
    return [Flag("burst", detail)]


def burst_window_start(now=None):
    return (now or timezone.now()) - timedelta(hours=settings.REVIEW_BURST_HOURS)


def describe(flags: list[dict]) -> list[str]:
    """Flags as a moderator reads them: 'A phone number: 212-555-0101'."""
    return [f"{RULES.get(f.get('rule'), f.get('rule'))}: {f.get('detail')}" for f in flags]
