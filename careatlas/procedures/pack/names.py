"""The pack's name files: content/names/<language>.yaml, names and synonyms by slug."""

from pathlib import Path

import yaml
from django.conf import settings

from careatlas.procedures.models import Condition, Procedure, Specialty
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.yamlio import dump_yaml, load_yaml

# Section of the file -> the model it names, in the order the file lists them.
KINDS = {"specialties": Specialty, "conditions": Condition, "procedures": Procedure}
NAMES_DIR = "names"

# language -> kind -> slug -> {"name": ..., "synonyms": [...]}
Names = dict[str, dict[str, dict[str, dict]]]


def _entry(file: str, where: str, value) -> dict:
    if not isinstance(value, dict) or set(value) - {"name", "synonyms"}:
        raise ContentError(file, where, "must be a mapping of name and synonyms")
    name = str(value.get("name") or "").strip()
    if not name:
        raise ContentError(file, f"{where}.name", "is required")
    synonyms = value.get("synonyms") or []
    if not isinstance(synonyms, list) or not all(isinstance(s, str) and s for s in synonyms):
        raise ContentError(file, f"{where}.synonyms", "must be a list of words")
    return {"name": name, "synonyms": [s.strip() for s in synonyms]}


def read_names(content_dir: Path) -> Names:
    """Every names file, validated; slugs are checked against the pack when loading."""
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    found: Names = {}
    for path in sorted((Path(content_dir) / NAMES_DIR).glob("*.yaml")):
        file = f"{NAMES_DIR}/{path.name}"
        if path.stem not in languages:
            raise ContentError(file, "", f"{path.stem!r} is not one of the site's other languages")
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ContentError(file, "", f"is not valid YAML ({exc})") from None
        if not isinstance(data, dict) or set(data) - set(KINDS):
            raise ContentError(file, "", f"must be a mapping with keys {', '.join(KINDS)}")
        found[path.stem] = {
            kind: {
                str(slug): _entry(file, f"{kind}.{slug}", value)
                for slug, value in (data.get(kind) or {}).items()
            }
            for kind in KINDS
        }
    return found


def load_names(names: Names) -> int:
    """Store the names on their specialties, conditions and procedures; returns rows changed."""
    changed = 0
    for kind, model in KINDS.items():
        for obj in model.objects.all():
            wanted = {
                language: by_kind[kind][obj.slug]
                for language, by_kind in sorted(names.items())
                if obj.slug in by_kind[kind]
            }
            if obj.names != wanted:
                obj.names = wanted
                obj.save(update_fields=["names"])
                changed += 1
        for language, by_kind in names.items():
            unknown = set(by_kind[kind]) - set(model.objects.values_list("slug", flat=True))
            if unknown:
                raise ContentError(
                    f"{NAMES_DIR}/{language}.yaml", f"{kind}.{sorted(unknown)[0]}", "unknown slug"
                )
    return changed


def export_names(content_dir: Path, write) -> int:
    """Write one names file per language that has any; returns how many files changed."""
    by_language: Names = {}
    for kind, model in KINDS.items():
        for obj in model.objects.order_by("slug"):
            for language, entry in obj.names.items():
                by_language.setdefault(language, {k: {} for k in KINDS})[kind][obj.slug] = entry
    return sum(
        write(Path(content_dir) / NAMES_DIR / f"{language}.yaml", dump_yaml(data))
        for language, data in sorted(by_language.items())
    )
