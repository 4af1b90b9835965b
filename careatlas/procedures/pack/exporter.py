"""Write the database's guides back out as a content pack."""

from pathlib import Path

from django.conf import settings

from careatlas.procedures.models import Condition, Guide, Procedure, Reviewer, Source, Specialty
from careatlas.procedures.pack.conditions import export_condition_pages
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.lists import (
    REVIEWER_FIELDS,
    SOURCE_FIELDS,
    TAXONOMY_RULE_FIELDS,
    read_taxonomy_rules,
)
from careatlas.procedures.pack.names import export_names
from careatlas.procedures.pack.text import guide_to_text
from careatlas.procedures.pack.yamlio import dump_yaml


def _write(path: Path, text: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _taxonomy_rules() -> dict[str, dict[str, list[str]]]:
    """The NUCC mapping rules of the configured pack.

    They are not database content (import_nucc applies them to the code set), so an export
    carries them over from CONTENT_DIR rather than dropping them.
    """
    try:
        return read_taxonomy_rules(Path(settings.CONTENT_DIR))
    except ContentError:
        return {}


def export_pack(content_dir: Path) -> int:
    """Write every file; return how many files changed on disk."""
    content_dir = Path(content_dir)
    rules = _taxonomy_rules()
    specialties = []
    for s in Specialty.objects.order_by("slug"):
        row = {"slug": s.slug, "name": s.name, "description": s.description}
        row["nucc_codes"] = s.nucc_codes
        for key in TAXONOMY_RULE_FIELDS:
            if rules.get(s.slug, {}).get(key):
                row[key] = rules[s.slug][key]
        specialties.append(row)
    conditions = [
        {
            "slug": c.slug,
            "name": c.name,
            "synonyms": c.synonyms,
            "summary": c.summary,
            "specialty": c.specialty.slug if c.specialty else None,
        }
        for c in Condition.objects.select_related("specialty").order_by("slug")
    ]
    sources = []
    for source in Source.objects.order_by("key"):
        row = {key: getattr(source, key) for key in SOURCE_FIELDS}
        sources.append({k: (v if v != "" else None) for k, v in row.items()})
    reviewers = [
        {key: (getattr(r, key) or None) for key in REVIEWER_FIELDS}
        for r in Reviewer.objects.order_by("key")
    ]
    changed = sum(
        [
            _write(content_dir / "specialties.yaml", dump_yaml(specialties)),
            _write(content_dir / "conditions.yaml", dump_yaml(conditions)),
            _write(content_dir / "sources.yaml", dump_yaml(sources)),
            _write(content_dir / "reviewers.yaml", dump_yaml(reviewers)),
        ]
    )
    changed += export_condition_pages(content_dir, _write)
    changed += export_names(content_dir, _write)
    for guide in Guide.objects.for_page().prefetch_related(
        "procedure__alternatives", "procedure__conditions"
    ):
        changed += _write(
            content_dir / "guides" / guide.language / f"{guide.procedure.slug}.md",
            guide_to_text(guide),
        )
    for procedure in Procedure.objects.exclude(illustration_svg=""):
        changed += _write(
            content_dir / "illustrations" / f"{procedure.slug}.svg",
            procedure.illustration_svg.strip() + "\n",
        )
    return changed
