"""Directory accuracy: a figure per profile, and the site-wide figures /about/accuracy/ shows."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Func, Q
from django.utils import timezone

from careatlas.providers.models import (
    Fact,
    IncorrectInfoReport,
    Practitioner,
    ReportStatus,
    Verification,
    confirmation_due_before,
)

# How much each fact counts towards a profile's figure (ADR 0015). The facts a patient acts
# on before a visit, and that CMS's secret-shopper audits found wrong most often (the place,
# its phone number, whether new patients are taken, the plans accepted), count three
# times; who the clinician is and what they do, twice; the rest once.
FACT_WEIGHTS: dict[str, int] = {
    Fact.ADDRESS: 3,
    Fact.PHONE: 3,
    Fact.ACCEPTING_NEW_PATIENTS: 3,
    Fact.INSURANCE: 3,
    Fact.IDENTITY: 2,
    Fact.LICENSE: 2,
    Fact.SPECIALTY: 2,
    Fact.HOURS: 2,
    Fact.TELEHEALTH: 2,
}
SITE_FIGURES_KEY = "providers:accuracy:site:v1"


def fact_weight(fact: str) -> int:
    return FACT_WEIGHTS.get(fact, 1)


@dataclass(frozen=True)
class ProfileAccuracy:
    percent: int
    current: int  # facts verified and current
    total: int  # facts shown


def profile_accuracy(facts) -> ProfileAccuracy | None:
    """Weighted share of a profile's facts (FactViews) whose badge is verified and current."""
    total = sum(fact_weight(view.key.partition(":")[0]) for view in facts)
    if not total:
        return None
    verified = [view for view in facts if view.badge.state == "verified"]
    weight = sum(fact_weight(view.key.partition(":")[0]) for view in verified)
    return ProfileAccuracy(
        percent=round(100 * weight / total), current=len(verified), total=len(facts)
    )


@dataclass(frozen=True)
class SiteFigures:
    computed_at: datetime.datetime
    profiles: int
    claimed: int
    claimed_confirmed: int  # claimed and confirmed by the practice within the period
    facts_confirmed: int  # verifications a practice made within the period
    reports_open: int
    reports_resolved: int
    reports_rejected: int
    median_days_to_close: float | None
    confirmation_days: int


class DaysBetween(Func):
    """`end - start` in days, computed by the database itself.

    Django's datetime subtraction calls a Python function per row on SQLite (190 ms for
    16,000 reports); julianday() is built in (25 ms).
    """

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
        )


def _median_days(closed, count: int) -> float | None:
    """Median of closed_at - created_at in days; the database sorts, two rows are read."""
    if not count:
        return None
    took = DaysBetween(F("closed_at"), F("created_at"))
    ordered = closed.annotate(took=took).order_by("took").values_list("took", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return sum(middle) / len(middle)


def compute_site_figures(today: datetime.date | None = None) -> SiteFigures:
    """Four queries (three aggregates and the median's two rows), whatever the size."""
    today = today or timezone.localdate()
    due = confirmation_due_before(today)
    profiles = Practitioner.objects.public().aggregate(
        profiles=Count("pk"),
        claimed=Count("pk", filter=Q(claimed_on__isnull=False)),
        claimed_confirmed=Count(
            "pk", filter=Q(claimed_on__isnull=False, practice_confirmed_on__gte=due)
        ),
    )
    closed = ~Q(status=ReportStatus.OPEN) & Q(closed_at__isnull=False)
    reports = IncorrectInfoReport.objects.aggregate(
        open=Count("pk", filter=Q(status=ReportStatus.OPEN)),
        resolved=Count("pk", filter=Q(status=ReportStatus.RESOLVED)),
        rejected=Count("pk", filter=Q(status=ReportStatus.REJECTED)),
        closed=Count("pk", filter=closed),
    )
    median = _median_days(IncorrectInfoReport.objects.filter(closed), reports["closed"])
    return SiteFigures(
        computed_at=timezone.now(),
        profiles=profiles["profiles"],
        claimed=profiles["claimed"],
        claimed_confirmed=profiles["claimed_confirmed"],
        facts_confirmed=Verification.objects.confirmed_by_practice_since(due).count(),
        reports_open=reports["open"],
        reports_resolved=reports["resolved"],
        reports_rejected=reports["rejected"],
        median_days_to_close=round(median, 1) if median is not None else None,
        confirmation_days=(today - due).days,
    )


def site_figures() -> SiteFigures:
    """The figures, computed at most once per ACCURACY_CACHE_SECONDS across app servers."""
    return cache.get_or_set(
        SITE_FIGURES_KEY,
        compute_site_figures,
        int(getattr(settings, "ACCURACY_CACHE_SECONDS", 3600)),
    )
