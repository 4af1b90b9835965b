"""A guide as text: front matter fields, validation, and canonical serialisation."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.conf import settings

from careatlas.procedures.models import Guide, GuideStatus, StatKind, StatUnit
from careatlas.procedures.models.taxonomy import procedure_code_validator
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.yamlio import dump_yaml, load_yaml

PROSE_FIELDS = ["who_it_helps", "what_to_expect", "recovery", "cost", "risks"]
# Fields that describe the procedure itself rather than one language's guide.
PROCEDURE_FIELDS = ["specialty", "synonyms", "alternatives", "conditions", "codes"]
TRANSLATED_FROM_KEYS = {"date", "fingerprint"}
FIELD_ORDER = [
    "slug",
    "language",
    "translated_from",
    "title",
    "abbreviation",
    "specialty",
    "status",
    "sample_content",
    "synonyms",
    "summary",
    "illustration_alt",
    "deep_dive_title",
    "stats",
    *PROSE_FIELDS,
    "questions",
    "faq",
    "alternatives",
    "conditions",
    "codes",
    "sources",
    "review",
    "reviews",
]
# The words and figures a reader sees: what a translation follows, so their fingerprint
# changes when the original changes in a way a translator must look at. Identity, workflow,
# review history and the procedure's facts are not; any other field (even one added later) is.
NOT_CONTENT = {"slug", "language", "translated_from", "status", "sample_content"}
NOT_CONTENT |= {"review", "reviews", *PROCEDURE_FIELDS}
CONTENT_FIELDS = [name for name in FIELD_ORDER if name not in NOT_CONTENT]
REQUIRED = {"slug", "language", "title", "status", "summary"}
STAT_KEYS = {
    "kind",
    "low",
    "high",
    "unit",
    "qualifier",
    "population",
    "comparison",
    "excludes",
    "year",
    "method",
    "source",
}
# Text a card shows beside its figure, in this order; all of it is one language's words.
STAT_TEXT_KEYS = ["qualifier", "population", "comparison", "excludes"]
REVIEW_KEYS = {"reviewer", "credentials", "reviewed_on", "next_review_due"}
REVIEWS_KEYS = {"reviewer", "reviewed_on", "next_review_due", "conflicts_of_interest", "changes"}
# What a reader must see on a card with a figure, by kind (see docs/content-pack.md).
EXPLANATION_REQUIRED = {
    "success_rate": ("qualifier", "population", "comparison"),
    "cost": ("qualifier", "population", "excludes"),
    "recovery": ("qualifier", "population"),
    "volume": ("qualifier", "population"),
}


@dataclass
class GuideDoc:
    """A parsed, validated guide file, independent of the database."""

    file: str
    fields: dict
    body: str
    stats: list[dict] = field(default_factory=list)
    illustration: str | None = None

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    @property
    def language(self) -> str:
        return self.fields["language"]


def _fail(file: str, name: str, reason: str):
    raise ContentError(file, name, reason)


def _str_list(file: str, name: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        _fail(file, name, "must be a list of strings")
    return [str(v) for v in value]


def _decimal(file: str, name: str, value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        _fail(file, name, f"must be a number, not {value!r}")
    if not number.is_finite() or number < 0:
        _fail(file, name, f"must be a number of zero or more, not {value!r}")
    return number


def _date(file: str, name: str, value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        _fail(file, name, f"must be a date like 2026-01-31, not {value!r}")


def _parse_stats(file: str, raw) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        _fail(file, "stats", "must be a list")
    stats, seen = [], set()
    for i, item in enumerate(raw):
        where = f"stats[{i}]"
        if not isinstance(item, dict):
            _fail(file, where, "must be a mapping")
        unknown = set(item) - STAT_KEYS
        if unknown:
            _fail(file, where, f"unknown key(s): {', '.join(sorted(unknown))}")
        for key in ("kind", "qualifier", "year", "method", "source"):
            if item.get(key) in (None, ""):
                _fail(file, f"{where}.{key}", "is required")
        if item["kind"] not in StatKind.values:
            _fail(file, f"{where}.kind", f"must be one of {', '.join(StatKind.values)}")
        if item["kind"] in seen:
            _fail(file, f"{where}.kind", f"{item['kind']} appears twice")
        seen.add(item["kind"])
        for key in STAT_TEXT_KEYS:
            if item.get(key) is not None and not isinstance(item[key], str):
                _fail(file, f"{where}.{key}", "must be text")
        low, high = _stat_numbers(file, where, item)
        if not isinstance(item["year"], int) or not 1900 <= item["year"] <= 2100:
            _fail(file, f"{where}.year", "must be a year such as 2022")
        stats.append(
            {
                **item,
                "low": low,
                "high": high,
                "unit": item.get("unit") or "",
                **{key: (item.get(key) or "").strip() for key in STAT_TEXT_KEYS},
                "source": str(item["source"]),
            }
        )
    return stats


def _stat_numbers(file: str, where: str, item: dict) -> tuple[Decimal | None, Decimal | None]:
    """A figure's low and high, checked with the explanation it needs; (None, None) for a
    card that says in words what is known instead of a number."""
    given = [key for key in ("low", "high", "unit") if item.get(key) not in (None, "")]
    if not given:
        return None, None
    for key in ("low", "high", "unit"):
        if key not in given:
            _fail(file, f"{where}.{key}", "is required when the card shows a number")
    if item["unit"] not in StatUnit.values:
        _fail(file, f"{where}.unit", f"must be one of {', '.join(StatUnit.values)}")
    for key in EXPLANATION_REQUIRED[item["kind"]]:
        if not str(item.get(key) or "").strip():
            _fail(file, f"{where}.{key}", "is required: the card must explain its figure")
    low, high = (
        _decimal(file, f"{where}.low", item["low"]),
        _decimal(file, f"{where}.high", item["high"]),
    )
    if low > high:
        _fail(file, f"{where}.low", "is above high")
    return low, high


def _parse_faq(file: str, raw) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        _fail(file, "faq", "must be a list")
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"question", "answer"}:
            _fail(file, f"faq[{i}]", "must have exactly a question and an answer")
        if not str(item["question"]).strip() or not str(item["answer"]).strip():
            _fail(file, f"faq[{i}]", "question and answer must not be empty")
    return [
        {"question": str(i["question"]).strip(), "answer": str(i["answer"]).strip()} for i in raw
    ]


def _parse_review(file: str, raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        _fail(file, "review", "must be a mapping or null")
    unknown = set(raw) - REVIEW_KEYS
    if unknown:
        _fail(file, "review", f"unknown key(s): {', '.join(sorted(unknown))}")
    review = {
        "reviewer": str(raw.get("reviewer") or ""),
        "credentials": str(raw.get("credentials") or ""),
        "reviewed_on": _date(file, "review.reviewed_on", raw.get("reviewed_on")),
        "next_review_due": _date(file, "review.next_review_due", raw.get("next_review_due")),
    }
    if review["reviewed_on"] and not review["reviewer"]:
        _fail(file, "review.reviewer", "is required when reviewed_on is set")
    if (
        review["reviewed_on"]
        and review["next_review_due"]
        and review["next_review_due"] < review["reviewed_on"]
    ):
        _fail(file, "review.next_review_due", "is before reviewed_on")
    return review


def _parse_reviews(file: str, raw) -> list[dict]:
    """The guide's medical review history, newest first once loaded."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        _fail(file, "reviews", "must be a list")
    reviews = []
    for i, item in enumerate(raw):
        where = f"reviews[{i}]"
        if not isinstance(item, dict):
            _fail(file, where, "must be a mapping")
        unknown = set(item) - REVIEWS_KEYS
        if unknown:
            _fail(file, where, f"unknown key(s): {', '.join(sorted(unknown))}")
        for key in ("reviewer", "reviewed_on", "conflicts_of_interest"):
            if not str(item.get(key) or "").strip():
                _fail(file, f"{where}.{key}", "is required")
        review = {
            "reviewer": str(item["reviewer"]),
            "reviewed_on": _date(file, f"{where}.reviewed_on", item["reviewed_on"]),
            "next_review_due": _date(file, f"{where}.next_review_due", item.get("next_review_due")),
            "conflicts_of_interest": str(item["conflicts_of_interest"]).strip(),
            "changes": str(item.get("changes") or "").strip(),
        }
        if review["next_review_due"] and review["next_review_due"] < review["reviewed_on"]:
            _fail(file, f"{where}.next_review_due", "is before reviewed_on")
        reviews.append(review)
    return sorted(reviews, key=lambda r: r["reviewed_on"], reverse=True)


def _parse_translated_from(file: str, fields: dict) -> dict | None:
    raw = fields.get("translated_from")
    if fields["language"] == settings.LANGUAGE_CODE:
        if raw is not None:
            _fail(file, "translated_from", "is only for translations")
        return None
    for name in PROCEDURE_FIELDS:
        if fields.get(name):
            _fail(
                file,
                name,
                "belongs to the procedure and is kept in the English guide; "
                "a translation carries only its own words",
            )
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != TRANSLATED_FROM_KEYS:
        _fail(file, "translated_from", "must have exactly a date and a fingerprint")
    fingerprint = str(raw["fingerprint"])
    if len(fingerprint) != 16 or any(c not in "0123456789abcdef" for c in fingerprint):
        _fail(
            file,
            "translated_from.fingerprint",
            "must be the 16 hex digits printed by `manage.py translation_base <slug>`",
        )
    date = _date(file, "translated_from.date", raw["date"])
    if date is None:
        _fail(file, "translated_from.date", "is required")
    return {"date": date, "fingerprint": fingerprint}


def parse_guide_text(text: str, file: str = "<text>") -> GuideDoc:
    """Parse and validate one guide file's text; raise ContentError naming file and field."""
    if not text.startswith("---\n"):
        _fail(file, "", "must start with a '---' front matter line")
    try:
        _, front, body = text.split("---\n", 2)
    except ValueError:
        _fail(file, "", "front matter is not closed with a '---' line")
    try:
        fields = load_yaml(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark else "front matter"
        _fail(file, where, f"is not valid YAML ({getattr(exc, 'problem', exc)})")
    if not isinstance(fields, dict):
        _fail(file, "", "front matter must be a mapping")
    unknown = set(fields) - set(FIELD_ORDER)
    if unknown:
        _fail(file, ", ".join(sorted(unknown)), "unknown field")
    for name in sorted(REQUIRED):
        if not str(fields.get(name) or "").strip():
            _fail(file, name, "is required")
    if fields["status"] not in GuideStatus.values:
        _fail(file, "status", f"must be one of {', '.join(GuideStatus.values)}")
    for name in (
        "title",
        "summary",
        "abbreviation",
        "illustration_alt",
        "deep_dive_title",
        *PROSE_FIELDS,
    ):
        if fields.get(name) is not None and not isinstance(fields[name], str):
            _fail(file, name, "must be text")
    fields["sample_content"] = bool(fields.get("sample_content", False))
    fields["translated_from"] = _parse_translated_from(file, fields)
    for name in ("synonyms", "alternatives", "conditions", "codes", "sources", "questions"):
        fields[name] = _str_list(file, name, fields.get(name))
    for i, code in enumerate(fields["codes"]):
        try:
            procedure_code_validator(code)
        except Exception:
            _fail(file, f"codes[{i}]", f"{code!r} is not a five-character HCPCS/CPT number")
    fields["faq"] = _parse_faq(file, fields.get("faq"))
    fields["review"] = _parse_review(file, fields.get("review"))
    fields["reviews"] = _parse_reviews(file, fields.get("reviews"))
    if fields["reviews"] and fields["review"]:
        _fail(file, "review", "give either review or reviews; reviews replaces review")
    if (
        not fields["sample_content"]
        and fields["status"] == GuideStatus.PUBLISHED
        and not fields["reviews"]
    ):
        _fail(
            file,
            "sample_content",
            "may be false only once a named reviewer has signed the guide off in reviews",
        )
    stats = _parse_stats(file, fields.pop("stats", None))
    listed = set(fields["sources"])
    for i, stat in enumerate(stats):
        if stat["source"] not in listed:
            _fail(
                file,
                f"stats[{i}].source",
                f"{stat['source']!r} is not in this guide's sources list",
            )
    return GuideDoc(file=file, fields=fields, body=body.strip("\n"), stats=stats)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def guide_to_dict(guide: Guide) -> dict:
    procedure = guide.procedure
    review = None
    reviews = [
        {
            "reviewer": r.reviewer.key,
            "reviewed_on": r.reviewed_on.isoformat(),
            "next_review_due": r.next_review_due.isoformat() if r.next_review_due else None,
            "conflicts_of_interest": r.conflicts_of_interest,
            "changes": r.changes or None,
        }
        for r in guide.reviews.all()
    ]
    if not reviews and (guide.reviewer_name or guide.reviewed_on or guide.next_review_due):
        review = {
            "reviewer": guide.reviewer_name or None,
            "credentials": guide.reviewer_credentials or None,
            "reviewed_on": guide.reviewed_on.isoformat() if guide.reviewed_on else None,
            "next_review_due": guide.next_review_due.isoformat() if guide.next_review_due else None,
        }
    stats = []
    for stat in sorted(guide.stats.all(), key=lambda s: StatKind.values.index(s.kind)):
        item = {"kind": stat.kind}
        if stat.has_figure:
            item.update(low=_number(stat.low), high=_number(stat.high), unit=stat.unit)
        for key in STAT_TEXT_KEYS:
            if getattr(stat, key):
                item[key] = getattr(stat, key)
        item.update(
            year=stat.year, method=stat.method, source=stat.source.key if stat.source else None
        )
        stats.append(item)
    data = {
        "slug": procedure.slug,
        "language": guide.language,
        "title": guide.title,
        "abbreviation": guide.abbreviation or None,
        "specialty": procedure.specialty.slug,
        "status": guide.status,
        "sample_content": guide.sample_content,
        "synonyms": list(procedure.synonyms),
        "summary": guide.summary,
        "illustration_alt": guide.illustration_alt or None,
        "deep_dive_title": guide.deep_dive_title or None,
        "stats": stats,
        **{name: getattr(guide, name) or None for name in PROSE_FIELDS},
        "questions": [q.text for q in guide.questions.all()],
        "faq": [{"question": f.question, "answer": f.answer} for f in guide.faq.all()],
        "alternatives": sorted(p.slug for p in procedure.alternatives.all()),
        "conditions": sorted(c.slug for c in procedure.conditions.all()),
        "codes": [c.code for c in procedure.codes.all()],
        "sources": [gs.source.key for gs in guide.guide_sources.all()],
        "review": review,
        "reviews": reviews or None,
    }
    if guide.is_translation:
        # A translation carries its own words only; the procedure's facts live in the
        # original, and what it was translated from comes right after its language.
        for name in PROCEDURE_FIELDS:
            del data[name]
        based_on = None
        if guide.translated_from_hash and guide.translated_from_date:
            based_on = {
                "date": guide.translated_from_date,
                "fingerprint": guide.translated_from_hash,
            }
        data = {key: data[key] for key in ("slug", "language")} | {
            "translated_from": based_on,
            **{k: v for k, v in data.items() if k not in ("slug", "language")},
        }
    return data


def content_fingerprint(data: dict, body: str) -> str:
    """16 hex digits that change whenever a guide's words or figures change (given the
    guide's `guide_to_dict` and its deep-dive text)."""
    content = {name: data.get(name) for name in CONTENT_FIELDS} | {"deep_dive": body.strip()}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def guide_fingerprint(guide: Guide) -> str:
    return content_fingerprint(guide_to_dict(guide), guide.deep_dive)


def guide_to_text(guide: Guide) -> str:
    """The canonical file text of a guide: loading it and exporting again gives the same text."""
    return f"---\n{dump_yaml(guide_to_dict(guide))}---\n{guide.deep_dive.strip()}\n"
