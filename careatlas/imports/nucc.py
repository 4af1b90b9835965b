"""The NUCC Health Care Provider Taxonomy code set in, mapped onto our specialties.

The mapping is data: each specialty in the content pack's specialties.yaml claims codes
explicitly (nucc_codes) and by NUCC name (nucc_specializations, nucc_classifications).
An explicit code beats a specialization rule, which beats a classification rule; two
specialties claiming one code at the same level is an error in the pack, not a coin toss.
See docs/adr/0010-taxonomy-mapping.md.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportKind
from careatlas.imports.rows import RowSource
from careatlas.imports.source import BadFile, BadRow, refresh_search
from careatlas.procedures.models import Specialty
from careatlas.procedures.models.taxonomy import nucc_code_validator
from careatlas.procedures.pack import ContentError
from careatlas.procedures.pack.lists import read_taxonomy_rules
from careatlas.providers.models import RoleSpecialty, TaxonomyCode

COLUMNS = {
    "code": "Code",
    "grouping": "Grouping",
    "classification": "Classification",
    "specialization": "Specialization",
    "definition": "Definition",
    "display_name": "Display Name",
    "section": "Section",
}
# Rule kinds from the most to the least specific: the first level that claims a code wins.
LEVELS = ("nucc_codes", "nucc_specializations", "nucc_classifications")
_VERSION_IN_NAME = re.compile(r"nucc_taxonomy_(\d{2})(\d)\b", re.IGNORECASE)
_VERSION = re.compile(r"^\d{2}\.\d$")


def version_from_name(path: Path) -> str:
    """'nucc_taxonomy_251.csv' -> '25.1' (NUCC's own file naming), or ''."""
    match = _VERSION_IN_NAME.search(path.name)
    return f"{match.group(1)}.{match.group(2)}" if match else ""


def check_version(version: str) -> str:
    if not _VERSION.match(version):
        raise BadFile(f"{version!r} is not a NUCC code set version such as 25.1")
    return version


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class Mapping:
    """Our specialty slug for each code, and what an editor should look at."""

    by_code: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)


def map_codes(codes: Iterable[TaxonomyCode], rules: dict[str, dict[str, list[str]]]) -> Mapping:
    """Apply the content pack's rules to a code set (pure: no database)."""
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)  # (level, key) -> slugs
    for slug, claim in rules.items():
        for level in LEVELS:
            for value in claim.get(level, ()):
                key = value if level == "nucc_codes" else _fold(value)
                claims[(level, key)].add(slug)
    matched: set[tuple[str, str]] = set()
    mapping = Mapping()
    for code in codes:
        keys = {
            "nucc_codes": code.code,
            "nucc_specializations": _fold(code.specialization),
            "nucc_classifications": _fold(code.classification),
        }
        winner: set[str] = set()
        for level in LEVELS:
            slugs = claims.get((level, keys[level])) if keys[level] else None
            if not slugs:
                continue
            matched.add((level, keys[level]))
            if winner:
                continue
            winner = slugs
            if len(slugs) > 1:
                mapping.conflicts.append(
                    f"{code.code} is claimed by {' and '.join(sorted(slugs))} through {level}"
                )
            mapping.by_code[code.code] = min(slugs)
    for slug, claim in sorted(rules.items()):
        for level in LEVELS:
            for value in claim.get(level, ()):
                key = value if level == "nucc_codes" else _fold(value)
                if (level, key) not in matched:
                    mapping.unused.append(f"{slug}: {level} {value!r} matches no code")
    return mapping


def load_rules(content_dir: Path) -> dict[str, dict[str, list[str]]]:
    try:
        return read_taxonomy_rules(content_dir)
    except ContentError as error:
        raise BadFile(f"the specialty mapping cannot be read: {error}") from None


class NuccImporter(RowSource):
    """Upserts codes by code; the mapping runs once the whole file is in."""

    kind = ImportKind.NUCC
    label = "NUCC taxonomy"
    columns = tuple(COLUMNS.values())

    def __init__(self, path, options: dict) -> None:
        super().__init__(path, options)
        self.content_dir = Path(options["content_dir"])
        self.seen: set[str] = set()

    def identity(self, file: SourceFile) -> dict:
        version = self.options.get("code_set_version") or version_from_name(file.path)
        if not version:
            raise BadFile(
                f"{file.path}: cannot tell the code set version from the file name; "
                "pass --version, e.g. --version 25.1"
            )
        self.version = check_version(version)
        self.rules = load_rules(self.content_dir)
        return {"version": self.version}

    def _values(self, fields: list[str]) -> dict[str, str]:
        values = {
            name: " ".join(fields[self.at[column]].split())
            for name, column in COLUMNS.items()
            if name != "definition"
        }
        # Definitions keep their paragraphs.
        values["definition"] = fields[self.at["Definition"]].strip()
        return values

    def row(self, line: int, fields: list[str]) -> str:
        values = self._values(fields)
        code = values["code"]
        if not re.fullmatch(nucc_code_validator.regex, code):
            raise BadRow(f"{code!r} is not a NUCC code (ten characters ending in X)", code)
        if code in self.seen:
            raise BadRow(f"{code} appears twice in the file", code)
        if not values["grouping"] or not values["classification"]:
            raise BadRow("grouping and classification are required", code)
        self.seen.add(code)
        values["version"] = self.version
        existing = TaxonomyCode.objects.filter(code=code).first()
        if existing is None:
            TaxonomyCode.objects.create(**values)
            return "created"
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if not changed:
            return "unchanged"
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        return "updated"

    def finish_rows(self) -> None:
        notes = self.noted
        try:
            remapped, practitioner_ids = apply_mapping(self.rules, notes)
        except BadFile as error:
            raise BadFile(f"{self.content_dir / 'specialties.yaml'}: {error}") from None
        if remapped:
            notes.append(f"Specialty mapping: {remapped:,} taxonomy code(s) remapped.")
        if practitioner_ids and not self.run.dry_run:
            refresh_search(practitioner_ids)


def apply_mapping(
    rules: dict[str, dict[str, list[str]]], notes: list[str] | None = None
) -> tuple[int, set[int]]:
    """Set TaxonomyCode.specialty from the rules, then every RoleSpecialty whose code is in
    the code set; returns (codes remapped, practitioners whose specialties changed)."""
    notes = notes if notes is not None else []
    specialty_ids = dict(Specialty.objects.values_list("slug", "id"))
    missing = sorted(set(rules) - set(specialty_ids))
    if missing:
        notes.append(
            f"Specialty mapping: {', '.join(missing)} not in the database "
            "(run `manage.py load_content` first); their codes stay unmapped."
        )
    codes = list(TaxonomyCode.objects.only("code", "classification", "specialization", "specialty"))
    mapping = map_codes(codes, rules)
    if mapping.conflicts:
        raise BadFile("the specialty mapping is ambiguous: " + "; ".join(mapping.conflicts))
    notes.extend(f"Specialty mapping: {text}" for text in mapping.unused)
    target = {c.code: specialty_ids.get(mapping.by_code.get(c.code, "")) for c in codes}
    stale = [c for c in codes if c.specialty_id != target[c.code]]
    for code in stale:
        code.specialty_id = target[code.code]
    TaxonomyCode.objects.bulk_update(stale, ["specialty"], batch_size=500)
    return len(stale), _map_role_specialties(target)


def _map_role_specialties(target: dict[str, int | None]) -> set[int]:
    """RoleSpecialty follows the code set's mapping (it is derived, never typed by hand)."""
    by_specialty: dict[int | None, list[str]] = defaultdict(list)
    for code, specialty_id in target.items():
        by_specialty[specialty_id].append(code)
    practitioner_ids: set[int] = set()
    for specialty_id, codes in by_specialty.items():
        rows = RoleSpecialty.objects.filter(code__in=codes)
        if specialty_id is None:
            wrong = rows.filter(specialty__isnull=False)
        else:
            wrong = rows.filter(Q(specialty__isnull=True) | ~Q(specialty_id=specialty_id))
        practitioner_ids |= set(wrong.values_list("role__practitioner_id", flat=True))
        wrong.update(specialty_id=specialty_id)
    return practitioner_ids
