"""Writes with side effects: reports of incorrect information and their review."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from careatlas.core import page_tags
from careatlas.providers.models import (
    FACT_SUBJECTS,
    OTHER,
    IncorrectInfoReport,
    Practitioner,
    ReportStatus,
    Verification,
)
from careatlas.providers.signals import practitioners_changed

logger = logging.getLogger(__name__)


def directory_changed(practitioner_ids: Iterable[int] = ()) -> None:
    """Retire the cached pages showing these practitioners, or with no ids every directory page.

    Guides keep their cached copies either way (core/page_tags.py). A change to what search
    finds also re-indexes, which retires the result pages (search/receivers.py).
    """
    tags = [page_tags.practitioner(pk) for pk in sorted(set(practitioner_ids))]
    page_tags.bump(*(tags or [page_tags.DIRECTORY]))


def parse_fact_key(key: str) -> tuple[str, int | None]:
    """'phone:17' -> ('phone', 17); 'other' -> ('other', None)."""
    fact, _sep, subject = key.partition(":")
    if fact == OTHER:
        return OTHER, None
    if fact not in FACT_SUBJECTS or not subject.isdigit():
        raise ValueError(f"not a fact key: {key!r}")
    return fact, int(subject)


@sensitive_variables("contact", "details")
@transaction.atomic
def file_report(
    practitioner: Practitioner, fact_key: str, about: str, details: str, contact: str = ""
) -> IncorrectInfoReport:
    """Queue a report for review and mark the fact's verification as disputed meanwhile.

    `fact_key` must come from the practitioner's own profile (the form only offers those).
    """
    fact, subject_id = parse_fact_key(fact_key)
    verification = None
    if subject_id is not None:
        verification = Verification.objects.filter(
            fact=fact, **{f"{FACT_SUBJECTS[fact]}_id": subject_id}
        ).first()
    report = IncorrectInfoReport.objects.create(
        practitioner=practitioner,
        fact=fact,
        fact_key=fact_key,
        about=about[:300],
        verification=verification,
        details=details,
        contact=contact,
    )
    if verification is not None and not verification.disputed:
        Verification.objects.filter(pk=verification.pk).update(
            disputed=True, updated_at=timezone.now()
        )
        _practitioners_changed([practitioner.pk])
    # Cached profile pages must show the dispute at once.
    directory_changed([practitioner.pk])
    # Ids only: the details and contact stay out of logs.
    logger.info("Report %s filed about %s of practitioner %s", report.pk, fact, practitioner.pk)
    return report


@transaction.atomic
def close_reports(reports, status: str, user=None) -> int:
    """Resolve or reject open reports; a fact stays disputed while any report on it is open."""
    if status not in (ReportStatus.RESOLVED, ReportStatus.REJECTED):
        raise ValueError(f"reports are closed as resolved or rejected, not {status!r}")
    open_reports = IncorrectInfoReport.objects.open().filter(pk__in=[r.pk for r in reports])
    verification_ids = set(
        open_reports.exclude(verification=None).values_list("verification_id", flat=True)
    )
    practitioner_ids = list(open_reports.values_list("practitioner_id", flat=True))
    closed = open_reports.update(status=status, closed_at=timezone.now(), closed_by=user)
    Verification.objects.filter(pk__in=verification_ids, disputed=True).exclude(
        reports__status=ReportStatus.OPEN
    ).update(disputed=False, updated_at=timezone.now())
    if closed:
        _practitioners_changed(practitioner_ids)
        directory_changed(practitioner_ids)
    return closed


def _practitioners_changed(practitioner_ids: list[int]) -> None:
    """Tell listeners (search) after commit; `.update()` above sends no post_save."""
    ids = sorted(set(practitioner_ids))
    transaction.on_commit(
        lambda: practitioners_changed.send(sender=Practitioner, practitioner_ids=ids)
    )
