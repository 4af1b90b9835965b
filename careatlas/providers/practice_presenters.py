"""What a practice's dashboard lists: each fact it keeps, with its last confirmation."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from careatlas.providers.confirmation import practice_subjects, verifications_of
from careatlas.providers.models import Fact, Method, Organization, Practitioner


@dataclass(frozen=True)
class KeptFact:
    fact: str
    label: str
    subject: models.Model
    last_confirmed: datetime.date | None  # by the practice; None if it never has
    status: str  # "Confirmed by the practice on ...", or why not


def kept_facts(
    owner: Practitioner | Organization, today: datetime.date | None = None
) -> list[KeptFact]:
    """Every fact the practice keeps on public pages (three queries)."""
    today = today or timezone.localdate()
    pairs = practice_subjects(owner)
    by_key = verifications_of(pairs)
    rows = []
    for fact, subject in pairs:
        verification = by_key.get((fact, subject.pk))
        confirmed = (
            verification.verified_on
            if verification and verification.method == Method.OFFICE_CONFIRMATION
            else None
        )
        if confirmed is None and verification is not None:
            # Checked some other way (NPPES, claims data, our editors): say which.
            day = formats.date_format(verification.verified_on, "DATE_FORMAT")
            status = _("Checked by %(method)s on %(day)s; not confirmed by the practice yet") % {
                "method": verification.get_method_display(),
                "day": day,
            }
        elif confirmed is None:
            status = _("Not confirmed by the practice yet")
        else:
            day = formats.date_format(confirmed, "DATE_FORMAT")
            status = _("Confirmed by the practice on %(day)s") % {"day": day}
        if verification and verification.disputed:
            status = _("Reported as possibly wrong; we are checking it")
        elif verification and verification.is_stale(today):
            status = _("May be out of date")
        rows.append(KeptFact(fact, str(Fact(fact).label), subject, confirmed, status))
    return rows
