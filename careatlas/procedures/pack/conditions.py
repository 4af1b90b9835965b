"""Condition pages in the pack: conditions/<language>/<slug>.yaml, every section sourced."""

import datetime
from pathlib import Path

import yaml

from careatlas.procedures.models import (
    Condition,
    ConditionPage,
    ConditionPageSource,
    ConditionSection,
    Source,
)
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.yamlio import dump_yaml, load_yaml

SECTIONS = list(ConditionSection.values)
# A page must say what the condition is, how it shows and when to get help; self-care is
# left out where no self-care has evidence.
REQUIRED_SECTIONS = {"what_it_is", "symptoms", "red_flags"}
FIELDS = ["slug", "language", "updated_on"] + [
    name for section in SECTIONS for name in (section, f"{section}_sources")
]


def _parse(path: Path, rel: str) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(rel, "", f"is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ContentError(rel, "", "must be a mapping")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ContentError(rel, sorted(unknown)[0], "unknown field")
    if data.get("slug") != path.stem:
        raise ContentError(rel, "slug", f"{data.get('slug')!r} does not match the file name")
    if data.get("language") != path.parent.name:
        raise ContentError(rel, "language", "does not match the folder")
    if not isinstance(data.get("updated_on"), datetime.date):
        raise ContentError(rel, "updated_on", "must be a date like 2026-12-07")
    for section in SECTIONS:
        text, keys = data.get(section), data.get(f"{section}_sources")
        if text in (None, ""):
            if section in REQUIRED_SECTIONS:
                raise ContentError(rel, section, "is required")
            if keys:
                raise ContentError(rel, f"{section}_sources", f"is given but {section} is empty")
            continue
        if not isinstance(text, str):
            raise ContentError(rel, section, "must be text")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise ContentError(
                rel, f"{section}_sources", "is required: list the sources this section rests on"
            )
    return data


def read_condition_pages(content_dir: Path) -> list[tuple[str, dict]]:
    """(file, fields) of every condition page, validated without the database."""
    pages = []
    for path in sorted((content_dir / "conditions").glob("*/*.yaml")):
        rel = f"conditions/{path.parent.name}/{path.name}"
        pages.append((rel, _parse(path, rel)))
    return pages


def load_condition_pages(pages: list[tuple[str, dict]]) -> dict[str, int]:
    """Write the pages; return counts of created, updated and unchanged. References are
    checked first."""
    conditions = {c.slug: c for c in Condition.objects.all()}
    sources = {s.key: s for s in Source.objects.all()}
    for rel, data in pages:
        if data["slug"] not in conditions:
            raise ContentError(rel, "slug", f"no condition {data['slug']!r} in conditions.yaml")
        for section in SECTIONS:
            for i, key in enumerate(data.get(f"{section}_sources") or []):
                if key not in sources:
                    raise ContentError(rel, f"{section}_sources[{i}]", f"unknown source {key!r}")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for _rel, data in pages:
        condition = conditions[data["slug"]]
        existing = (
            ConditionPage.objects.for_page()
            .filter(condition=condition, language=data["language"])
            .first()
        )
        if existing is not None and page_to_dict(existing) == _canonical(data):
            counts["unchanged"] += 1
            continue
        counts["created" if existing is None else "updated"] += 1
        page = existing or ConditionPage(condition=condition, language=data["language"])
        for section in SECTIONS:
            setattr(page, section, (data.get(section) or "").strip())
        page.updated_on = data["updated_on"]
        page.save()
        page.page_sources.all().delete()
        ConditionPageSource.objects.bulk_create(
            ConditionPageSource(page=page, section=section, source=sources[key], position=i)
            for section in SECTIONS
            for i, key in enumerate(data.get(f"{section}_sources") or [])
        )
    return counts


def _canonical(data: dict) -> dict:
    out = {"slug": data["slug"], "language": data["language"], "updated_on": data["updated_on"]}
    for section in SECTIONS:
        text = (data.get(section) or "").strip()
        out[section] = text or None
        out[f"{section}_sources"] = list(data.get(f"{section}_sources") or []) or None
    return out


def page_to_dict(page: ConditionPage) -> dict:
    by_section: dict[str, list[str]] = {}
    for ps in page.page_sources.all():
        by_section.setdefault(ps.section, []).append(ps.source.key)
    out = {"slug": page.condition.slug, "language": page.language, "updated_on": page.updated_on}
    for section in SECTIONS:
        out[section] = getattr(page, section) or None
        out[f"{section}_sources"] = by_section.get(section) or None
    return out


def export_condition_pages(content_dir: Path, write) -> int:
    changed = 0
    for page in ConditionPage.objects.for_page().select_related("condition"):
        data = page_to_dict(page)
        path = content_dir / "conditions" / page.language / f"{page.condition.slug}.yaml"
        changed += write(path, dump_yaml(data))
    return changed
