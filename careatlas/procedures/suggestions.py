"""Data-derived figures for guides: offered by importers, accepted or dismissed by editors.

Accepting is the only way a suggestion reaches a page: it writes the guide's StatRange and
its Source through the same path as an editor's save (a revision, then a cache refresh if
the guide is public), and records who decided.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from careatlas.procedures.models import (
    Guide,
    GuideSource,
    GuideStatus,
    Measure,
    Source,
    StatRange,
    StatSuggestion,
    SuggestionStatus,
)
from careatlas.procedures.revisions import notify_content_changed, record_revision
from careatlas.procedures.services import WorkflowError

# How many code numbers the method note lists before "and N more" (the note has 300 chars).
_CODES_SHOWN = 8


@dataclass(frozen=True)
class Figure:
    """One measured value with everything needed to trace it back to its file."""

    measure: str
    value: Decimal
    year: int
    services: int
    practitioners: int
    hcpcs_codes: tuple[str, ...]
    dataset: str
    dataset_url: str
    file_sha256: str
    import_run: int | None = None


def offer(guide: Guide, figure: Figure) -> str:
    """Leave `figure` for the guide's editors; returns "created", "unchanged" or "skipped".

    Never touches the guide. A figure already decided (same year and value) is not offered
    again, older data never replaces newer, and a changed figure supersedes the one still
    waiting so editors see one suggestion per measure.
    """
    same = StatSuggestion.objects.filter(guide=guide, measure=figure.measure)
    value = Decimal(figure.value).quantize(Decimal("0.01"))
    newest = same.exclude(status=SuggestionStatus.SUPERSEDED).order_by("-year").first()
    if newest is not None and newest.year > figure.year:
        return "skipped"
    decided = same.filter(
        year=figure.year,
        value=value,
        status__in=[SuggestionStatus.ACCEPTED, SuggestionStatus.DISMISSED],
    )
    if decided.exists():
        return "skipped"
    pending = same.pending().first()
    if pending is not None:
        if (
            pending.year == figure.year
            and pending.value == value
            and pending.practitioners == figure.practitioners
            and pending.services == figure.services
        ):
            return "unchanged"
        pending.status = SuggestionStatus.SUPERSEDED
        pending.save(update_fields=["status", "updated_at"])
    StatSuggestion.objects.create(
        guide=guide,
        measure=figure.measure,
        value=value,
        year=figure.year,
        services=figure.services,
        practitioners=figure.practitioners,
        hcpcs_codes=sorted(figure.hcpcs_codes),
        dataset=figure.dataset,
        dataset_url=figure.dataset_url,
        import_run=figure.import_run,
        file_sha256=figure.file_sha256,
    )
    return "created"


def source_for(suggestion: StatSuggestion) -> Source:
    """The citation of the data year's CMS file (one Source per dataset and year)."""
    source, _created = Source.objects.get_or_create(
        key=f"cms-physician-by-provider-service-{suggestion.year}",
        defaults={
            "authors": "Centers for Medicare & Medicaid Services",
            "title": f"{suggestion.dataset}, {suggestion.year} data",
            "publisher": "Centers for Medicare & Medicaid Services",
            "year": suggestion.year,
            "url": suggestion.dataset_url,
        },
    )
    return source


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:_CODES_SHOWN])
    if len(codes) > _CODES_SHOWN:
        shown += " " + _("and %(n)s more") % {"n": len(codes) - _CODES_SHOWN}
    return shown


def figure_texts(suggestion: StatSuggestion) -> tuple[str, str]:
    """(qualifier, method note) in the active language, saying plainly what was counted."""
    return _figure_texts(suggestion)[:2]


def _figure_texts(suggestion: StatSuggestion) -> tuple[str, str, str, str]:
    """(qualifier, method, population, excludes) for the card, in the active language."""
    numbers = {
        "practitioners": formats.number_format(suggestion.practitioners, 0, force_grouping=True),
        "services": formats.number_format(suggestion.services, 0, force_grouping=True),
        "year": suggestion.year,
        "codes": _codes(list(suggestion.hcpcs_codes)),
        "run": suggestion.import_run or "-",
        "hash": suggestion.file_sha256[:12],
    }
    if suggestion.measure == Measure.MEDICARE_SERVICES:
        qualifier = _(
            "services billed to Original Medicare by %(practitioners)s clinicians; "
            "Medicare Advantage, other insurance and counts under 11 are not included"
        )
        method = _(
            "Sum of services for HCPCS %(codes)s over all places of service, CMS Medicare "
            "Physician & Other Practitioners by Provider and Service, %(year)s "
            "(file %(hash)s, import run %(run)s)"
        )
    else:
        qualifier = _(
            "average amount Original Medicare allowed per service (Medicare's payment plus "
            "the patient's share), over %(services)s services"
        )
        method = _(
            "Allowed amounts weighted by services for HCPCS %(codes)s, CMS Medicare "
            "Physician & Other Practitioners by Provider and Service, %(year)s "
            "(file %(hash)s, import run %(run)s)"
        )
    population = _("people in Original Medicare (fee-for-service Part B), all ages")
    excludes = (
        _("facility fees, anesthesia, other services on the same day and private-plan prices")
        if suggestion.measure != Measure.MEDICARE_SERVICES
        else ""
    )
    return (qualifier % numbers)[:300], (method % numbers)[:300], population, excludes


@transaction.atomic
def accept(suggestion: StatSuggestion, user=None) -> StatRange:
    """Write the suggested figure into its guide, cited, with a revision; it replaces the
    guide's figure of the same kind (the editor saw that figure before accepting)."""
    suggestion = StatSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_pending:
        raise WorkflowError(_("This figure was already decided."))
    guide = suggestion.guide
    source = source_for(suggestion)
    if not guide.guide_sources.filter(source=source).exists():
        GuideSource.objects.create(guide=guide, source=source, position=guide.guide_sources.count())
    with translation.override(guide.language):
        qualifier, method, population, excludes = _figure_texts(suggestion)
    stat, _created = StatRange.objects.update_or_create(
        guide=guide,
        kind=suggestion.kind,
        defaults={
            "low": suggestion.value,
            "high": suggestion.value,
            "unit": suggestion.unit,
            "qualifier": qualifier,
            "population": population,
            "comparison": "",
            "excludes": excludes,
            "method": method,
            "year": suggestion.year,
            "source": source,
        },
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.stat = stat
    suggestion.save(update_fields=["status", "decided_at", "decided_by", "stat", "updated_at"])
    record_revision(
        guide,
        user,
        _("Accepted %(measure)s %(year)s from CMS data")
        % {"measure": suggestion.get_measure_display(), "year": suggestion.year},
    )
    if guide.status == GuideStatus.PUBLISHED:
        notify_content_changed()
    return stat


@transaction.atomic
def dismiss(suggestion: StatSuggestion, user=None) -> None:
    """The editor does not want this figure; the same figure is not offered again."""
    updated = StatSuggestion.objects.filter(
        pk=suggestion.pk, status=SuggestionStatus.PENDING
    ).update(
        status=SuggestionStatus.DISMISSED,
        decided_at=timezone.now(),
        decided_by=user,
        updated_at=timezone.now(),
    )
    if not updated:
        raise WorkflowError(_("This figure was already decided."))
