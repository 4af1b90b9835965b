"""The pack's list files: specialties.yaml, conditions.yaml and sources.yaml."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from careatlas.procedures.models.sources import doi_validator, pmcid_validator, pmid_validator
from careatlas.procedures.models.taxonomy import nucc_code_validator
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.yamlio import load_yaml

SPECIALTY_FIELDS = ["slug", "name", "description", "nucc_codes"]
# Rules that claim NUCC codes by name, on top of the explicit nucc_codes; applied by
# `manage.py import_nucc` (docs/adr/0010-taxonomy-mapping.md). Not stored on Specialty.
TAXONOMY_RULE_FIELDS = ["nucc_specializations", "nucc_classifications"]
CONDITION_FIELDS = ["slug", "name", "synonyms", "summary", "specialty"]
REVIEWER_FIELDS = ["key", "name", "credentials", "licence_state", "licence_number"]
SOURCE_FIELDS = ["key", "authors", "title", "publisher", "year", "pmid", "pmcid", "doi", "url"]


def _read_list(content_dir: Path, name: str, allowed: list[str], required: set[str]) -> list[dict]:
    path = content_dir / name
    if not path.exists():
        raise ContentError(name, "", "file is missing")
    try:
        items = load_yaml(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(
            name, f"line {mark.line + 1}" if mark else "", f"is not valid YAML ({exc})"
        ) from None
    if not isinstance(items, list):
        raise ContentError(name, "", "must be a YAML list")
    seen = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ContentError(name, f"[{i}]", "must be a mapping")
        unknown = set(item) - set(allowed)
        if unknown:
            raise ContentError(name, f"[{i}].{sorted(unknown)[0]}", "unknown field")
        for key in sorted(required):
            if item.get(key) in (None, ""):
                raise ContentError(name, f"[{i}].{key}", "is required")
        ident = item[allowed[0]]
        if ident in seen:
            raise ContentError(name, f"[{i}].{allowed[0]}", f"{ident!r} appears twice")
        seen.add(ident)
    return items


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _strings(name: str, where: str, value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContentError(name, where, "must be a list")
    return [str(v) for v in value]


def _specialties(content_dir: Path) -> list[tuple[dict, dict[str, list[str]]]]:
    """Each specialty's model fields, and its taxonomy rules, validated."""
    items = _read_list(
        content_dir, "specialties.yaml", SPECIALTY_FIELDS + TAXONOMY_RULE_FIELDS, {"slug", "name"}
    )
    specialties = []
    for i, item in enumerate(items):
        codes = _strings("specialties.yaml", f"[{i}].nucc_codes", item.get("nucc_codes"))
        for j, code in enumerate(codes):
            try:
                nucc_code_validator(code)
            except ValidationError:
                raise ContentError(
                    "specialties.yaml", f"[{i}].nucc_codes[{j}]", f"{code!r} is not a NUCC code"
                ) from None
        row = {
            "slug": item["slug"],
            "name": _text(item["name"]),
            "description": _text(item.get("description")),
            "nucc_codes": codes,
        }
        specialties.append((row, _taxonomy_rules(i, item)))
    return specialties


def _taxonomy_rules(i: int, item: dict) -> dict[str, list[str]]:
    """The rule lists of one specialty: NUCC names, each given once and not blank."""
    rules = {}
    for key in TAXONOMY_RULE_FIELDS:
        names = [
            " ".join(name.split())
            for name in _strings("specialties.yaml", f"[{i}].{key}", item.get(key))
        ]
        for j, name in enumerate(names):
            if not name:
                raise ContentError("specialties.yaml", f"[{i}].{key}[{j}]", "is empty")
            if name in names[:j]:
                raise ContentError(
                    "specialties.yaml", f"[{i}].{key}[{j}]", f"{name!r} appears twice"
                )
        if names:
            rules[key] = names
    return rules


def read_specialties(content_dir: Path) -> list[dict]:
    """Specialty rows as the model stores them."""
    return [row for row, _rules in _specialties(content_dir)]


def read_taxonomy_rules(content_dir: Path) -> dict[str, dict[str, list[str]]]:
    """slug -> {"nucc_codes": [...], "nucc_specializations": [...], "nucc_classifications":
    [...]} for every specialty that claims NUCC codes (empty lists left out)."""
    claims = {}
    for row, rules in _specialties(content_dir):
        claim = ({"nucc_codes": row["nucc_codes"]} if row["nucc_codes"] else {}) | rules
        if claim:
            claims[row["slug"]] = claim
    return claims


def read_conditions(content_dir: Path) -> list[dict]:
    items = _read_list(content_dir, "conditions.yaml", CONDITION_FIELDS, {"slug", "name"})
    return [
        {
            "slug": item["slug"],
            "name": _text(item["name"]),
            "synonyms": _strings("conditions.yaml", f"[{i}].synonyms", item.get("synonyms")),
            "summary": _text(item.get("summary")),
            "specialty": item.get("specialty"),
        }
        for i, item in enumerate(items)
    ]


def read_sources(content_dir: Path) -> list[dict]:
    rows = []
    items = _read_list(
        content_dir, "sources.yaml", SOURCE_FIELDS, {"key", "title", "publisher", "year"}
    )
    for i, item in enumerate(items):
        row = {key: _text(item.get(key)) for key in SOURCE_FIELDS if key != "year"}
        if not isinstance(item["year"], int):
            raise ContentError("sources.yaml", f"[{i}].year", "must be a year such as 2019")
        row["year"] = item["year"]
        if not any(row[k] for k in ("pmid", "pmcid", "doi", "url")):
            raise ContentError(
                "sources.yaml", f"[{i}]", "needs at least one of pmid, pmcid, doi or url"
            )
        for key, validator in (
            ("pmid", pmid_validator),
            ("pmcid", pmcid_validator),
            ("doi", doi_validator),
        ):
            if row[key]:
                try:
                    validator(row[key])
                except ValidationError as exc:
                    raise ContentError("sources.yaml", f"[{i}].{key}", exc.messages[0]) from None
        rows.append(row)
    return rows


def read_reviewers(content_dir: Path) -> list[dict]:
    """Named medical reviewers; the file may be absent while no one has signed off yet."""
    if not (content_dir / "reviewers.yaml").exists():
        return []
    items = _read_list(
        content_dir,
        "reviewers.yaml",
        REVIEWER_FIELDS,
        {"key", "name", "credentials", "licence_state"},
    )
    rows = []
    for i, item in enumerate(items):
        row = {key: _text(item.get(key)) for key in REVIEWER_FIELDS}
        if len(row["licence_state"]) != 2 or not row["licence_state"].isalpha():
            raise ContentError(
                "reviewers.yaml", f"[{i}].licence_state", "must be a two-letter US state code"
            )
        row["licence_state"] = row["licence_state"].upper()
        rows.append(row)
    return rows
