"""Load the content pack into the database: all or nothing, and idempotent."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from careatlas.procedures.models import (
    Condition,
    FAQItem,
    Guide,
    GuideQuestion,
    GuideReview,
    GuideSource,
    GuideStatus,
    Procedure,
    ProcedureCode,
    Reviewer,
    Source,
    Specialty,
    StatRange,
)
from careatlas.procedures.pack.conditions import load_condition_pages, read_condition_pages
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.lists import (
    read_conditions,
    read_reviewers,
    read_sources,
    read_specialties,
)
from careatlas.procedures.pack.names import load_names, read_names
from careatlas.procedures.pack.svg import read_illustration
from careatlas.procedures.pack.text import PROSE_FIELDS, GuideDoc, guide_to_text, parse_guide_text
from careatlas.procedures.revisions import (
    keep_fingerprint,
    notify_content_changed,
    record_revision,
)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"

        return (
            f"created {fmt(self.created)}; updated {fmt(self.updated)}; "
            f"unchanged {fmt(self.unchanged)}"
        )


def read_guides(content_dir: Path) -> list[GuideDoc]:
    docs = []
    for path in sorted((content_dir / "guides").glob("*/*.md")):
        rel = (
            str(path.relative_to(content_dir.parent))
            if content_dir.parent in path.parents
            else str(path)
        )
        doc = parse_guide_text(path.read_text(encoding="utf-8"), file=rel)
        if doc.slug != path.stem:
            raise ContentError(
                rel, "slug", f"{doc.slug!r} does not match the file name {path.stem!r}"
            )
        if doc.language != path.parent.name:
            raise ContentError(
                rel, "language", f"{doc.language!r} does not match the folder {path.parent.name!r}"
            )
        if doc.language != settings.LANGUAGE_CODE and doc.fields["translated_from"] is None:
            raise ContentError(
                rel,
                "translated_from",
                "is required: the date and fingerprint of the English guide this translates "
                f"(manage.py translation_base {doc.slug})",
            )
        doc.illustration = read_illustration(content_dir, doc.slug)
        docs.append(doc)
    return docs


def sources_by_key(doc: GuideDoc) -> dict[str, Source]:
    found = {s.key: s for s in Source.objects.filter(key__in=doc.fields["sources"])}
    for i, key in enumerate(doc.fields["sources"]):
        if key not in found:
            raise ContentError(doc.file, f"sources[{i}]", f"unknown source {key!r}")
    return found


def _check_references(docs: list[GuideDoc]) -> None:
    slugs = {d.slug for d in docs} | set(Procedure.objects.values_list("slug", flat=True))
    specialties = set(Specialty.objects.values_list("slug", flat=True))
    conditions = set(Condition.objects.values_list("slug", flat=True))
    originals = {d.slug for d in docs if d.language == settings.LANGUAGE_CODE}
    originals |= set(Procedure.objects.values_list("slug", flat=True))
    for doc in docs:
        if doc.language != settings.LANGUAGE_CODE:
            # A translation names no procedure facts (checked when parsed): its original does.
            if doc.slug not in originals:
                raise ContentError(
                    doc.file,
                    "slug",
                    f"no guides/{settings.LANGUAGE_CODE}/{doc.slug}.md: a translation needs "
                    "the original it translates",
                )
            continue
        if doc.fields.get("specialty") not in specialties:
            raise ContentError(
                doc.file, "specialty", f"unknown specialty {doc.fields.get('specialty')!r}"
            )
        for i, slug in enumerate(doc.fields["alternatives"]):
            if slug not in slugs or slug == doc.slug:
                raise ContentError(doc.file, f"alternatives[{i}]", f"unknown procedure {slug!r}")
        for i, slug in enumerate(doc.fields["conditions"]):
            if slug not in conditions:
                raise ContentError(doc.file, f"conditions[{i}]", f"unknown condition {slug!r}")
    for doc in docs:
        sources_by_key(doc)
        reviewers = set(Reviewer.objects.values_list("key", flat=True))
        for i, review in enumerate(doc.fields["reviews"]):
            if review["reviewer"] not in reviewers:
                raise ContentError(
                    doc.file,
                    f"reviews[{i}].reviewer",
                    f"unknown reviewer {review['reviewer']!r} (add them to reviewers.yaml)",
                )


def _apply_procedure(doc: GuideDoc, procedure: Procedure) -> None:
    procedure.specialty = Specialty.objects.get(slug=doc.fields["specialty"])
    procedure.synonyms = doc.fields["synonyms"]
    if doc.illustration is not None:
        procedure.illustration_svg = doc.illustration
    procedure.save()
    procedure.alternatives.set(Procedure.objects.filter(slug__in=doc.fields["alternatives"]))
    procedure.conditions.set(Condition.objects.filter(slug__in=doc.fields["conditions"]))
    procedure.codes.all().delete()
    ProcedureCode.objects.bulk_create(
        ProcedureCode(procedure=procedure, code=c) for c in doc.fields["codes"]
    )


def apply_guide_doc(doc: GuideDoc, guide: Guide, sources: dict[str, Source]) -> Guide:
    """Write a parsed guide into `guide` (saved), replacing stats, questions, FAQ and sources."""
    f = doc.fields
    guide.language = f["language"]
    guide.title, guide.summary = f["title"].strip(), f["summary"].strip()
    guide.abbreviation = f.get("abbreviation") or ""
    guide.illustration_alt = f.get("illustration_alt") or ""
    guide.deep_dive_title = f.get("deep_dive_title") or ""
    guide.deep_dive = doc.body
    for name in PROSE_FIELDS:
        setattr(guide, name, (f.get(name) or "").strip())
    guide.sample_content = f["sample_content"]
    based_on = f.get("translated_from") or {}
    guide.translated_from_date = based_on.get("date")
    guide.translated_from_hash = based_on.get("fingerprint", "")
    review = f["review"] or {}
    guide.reviewer_name = review.get("reviewer", "")
    guide.reviewer_credentials = review.get("credentials", "")
    guide.reviewed_on = review.get("reviewed_on")
    guide.next_review_due = review.get("next_review_due")
    if f["status"] == GuideStatus.PUBLISHED and guide.status != GuideStatus.PUBLISHED:
        guide.published_at = timezone.now()
        guide.first_published_at = guide.first_published_at or guide.published_at
    guide.status = f["status"]
    guide.save()
    guide.stats.all().delete()
    StatRange.objects.bulk_create(
        StatRange(
            guide=guide,
            kind=s["kind"],
            low=s["low"],
            high=s["high"],
            unit=s["unit"],
            qualifier=s["qualifier"],
            population=s["population"],
            comparison=s["comparison"],
            excludes=s["excludes"],
            year=s["year"],
            method=s["method"],
            source=sources[s["source"]],
        )
        for s in doc.stats
    )
    guide.questions.all().delete()
    GuideQuestion.objects.bulk_create(
        GuideQuestion(guide=guide, position=i, text=t) for i, t in enumerate(f["questions"])
    )
    guide.faq.all().delete()
    FAQItem.objects.bulk_create(
        FAQItem(guide=guide, position=i, question=q["question"], answer=q["answer"])
        for i, q in enumerate(f["faq"])
    )
    guide.guide_sources.all().delete()
    GuideSource.objects.bulk_create(
        GuideSource(guide=guide, source=sources[k], position=i) for i, k in enumerate(f["sources"])
    )
    guide.reviews.all().delete()
    reviewers = {
        r.key: r for r in Reviewer.objects.filter(key__in=[r["reviewer"] for r in f["reviews"]])
    }
    GuideReview.objects.bulk_create(
        GuideReview(guide=guide, **(r | {"reviewer": reviewers[r["reviewer"]]}))
        for r in reversed(f["reviews"])
    )
    guide.sync_current_review()
    return guide


def _upsert_rows(model, rows: list[dict], key: str, report: LoadReport, kind: str) -> None:
    existing = {
        getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": [r[key] for r in rows]})
    }
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            model.objects.create(**row)
            report.count("created", kind)
        elif any(getattr(obj, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(obj, name, value)
            obj.save()
            report.count("updated", kind)
        else:
            report.count("unchanged", kind)


def _upsert_conditions(rows: list[dict], report: LoadReport) -> None:
    specialty_ids = dict(Specialty.objects.values_list("slug", "id"))
    for row in rows:
        slug = row.pop("specialty", None)
        row["specialty_id"] = specialty_ids.get(slug) if slug else None
    _upsert_rows(Condition, rows, "slug", report, "conditions")


def _load_guide(doc: GuideDoc, report: LoadReport) -> None:
    procedure = Procedure.objects.get(slug=doc.slug)
    guide = Guide.objects.filter(procedure=procedure, language=doc.language).first()
    if guide is None:
        apply_guide_doc(doc, Guide(procedure=procedure), sources_by_key(doc))
        report.count("created", "guides")
        _record(procedure, doc)
        return
    before = guide_to_text(Guide.objects.for_page().get(pk=guide.pk))
    with transaction.atomic():
        savepoint = transaction.savepoint()
        apply_guide_doc(doc, guide, sources_by_key(doc))
        after = guide_to_text(Guide.objects.for_page().get(pk=guide.pk))
        if before == after:
            transaction.savepoint_rollback(savepoint)
            report.count("unchanged", "guides")
            if not guide.content_hash:  # loaded before fingerprints were kept
                keep_fingerprint(Guide.objects.for_page().get(pk=guide.pk))
            return
        transaction.savepoint_commit(savepoint)
    report.count("updated", "guides")
    _record(procedure, doc)


def _record(procedure: Procedure, doc: GuideDoc) -> None:
    guide = Guide.objects.get(procedure=procedure, language=doc.language)
    record_revision(guide, None, f"Loaded from {doc.file}")


@transaction.atomic
def load_pack(content_dir: Path) -> LoadReport:
    """Validate every file first, then write everything in one transaction."""
    content_dir = Path(content_dir)
    specialties = read_specialties(content_dir)
    conditions = read_conditions(content_dir)
    sources = read_sources(content_dir)
    reviewers = read_reviewers(content_dir)
    docs = read_guides(content_dir)
    condition_pages = read_condition_pages(content_dir)
    names = read_names(content_dir)
    report = LoadReport()
    _upsert_rows(Specialty, specialties, "slug", report, "specialties")
    _upsert_conditions(conditions, report)
    _upsert_rows(Source, sources, "key", report, "sources")
    _upsert_rows(Reviewer, reviewers, "key", report, "reviewers")
    for bucket, n in load_condition_pages(condition_pages).items():
        for _ in range(n):
            report.count(bucket, "condition pages")
    _check_references(docs)
    # The procedure's facts come from its guide in the site's language; translations follow it.
    default_docs = {d.slug: d for d in docs if d.language == settings.LANGUAGE_CODE}
    existing = set(Procedure.objects.filter(slug__in=default_docs).values_list("slug", flat=True))
    # Create every new procedure first so that alternatives can point at any of them.
    for slug, doc in default_docs.items():
        if slug not in existing:
            Procedure.objects.create(
                slug=slug, specialty=Specialty.objects.get(slug=doc.fields["specialty"])
            )
    for slug, doc in default_docs.items():
        procedure = Procedure.objects.get(slug=slug)
        if slug not in existing:
            report.count("created", "procedures")
        elif _procedure_state(procedure) == _desired_state(doc, procedure):
            report.count("unchanged", "procedures")
            continue
        else:
            report.count("updated", "procedures")
        _apply_procedure(doc, procedure)
    for _ in range(load_names(names)):
        report.count("updated", "names")
    # Originals first, so a translation loaded in the same run compares with the new text.
    for doc in sorted(docs, key=lambda d: d.language != settings.LANGUAGE_CODE):
        _load_guide(doc, report)
    if report.changed:
        notify_content_changed()
    return report


def _desired_state(doc: GuideDoc, procedure: Procedure) -> tuple:
    f = doc.fields
    illustration = doc.illustration if doc.illustration is not None else procedure.illustration_svg
    return (
        f["specialty"],
        tuple(f["synonyms"]),
        illustration,
        tuple(sorted(f["alternatives"])),
        tuple(sorted(f["conditions"])),
        tuple(sorted(f["codes"])),
    )


def _procedure_state(procedure: Procedure) -> tuple:
    return (
        procedure.specialty.slug,
        tuple(procedure.synonyms),
        procedure.illustration_svg,
        tuple(sorted(procedure.alternatives.values_list("slug", flat=True))),
        tuple(sorted(procedure.conditions.values_list("slug", flat=True))),
        tuple(sorted(procedure.codes.values_list("code", flat=True))),
    )
