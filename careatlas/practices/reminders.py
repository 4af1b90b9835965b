"""Emails asking a practice's owners to confirm its facts again, every 90 days."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from careatlas.core.audit import record
from careatlas.practices import notify
from careatlas.practices.models import Practice
from careatlas.providers.models import Organization, Practitioner, confirmation_days

REMINDED = "practice.reminder_sent"


def reminder_gap() -> datetime.timedelta:
    """How long after one reminder another may be sent while the practice stays overdue."""
    return datetime.timedelta(days=int(getattr(settings, "PRACTICE_REMINDER_EVERY_DAYS", 14)))


def due_for_reminder(now: datetime.datetime | None = None) -> QuerySet[Practice]:
    """Practices whose listing is overdue and whose owners were not reminded lately."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = Q(practitioner__in=Practitioner.objects.confirmation_overdue(today).values("pk")) | Q(
        organization__in=Organization.objects.confirmation_overdue(today).values("pk")
    )
    return Practice.objects.filter(overdue).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - reminder_gap())
    )


def _remind(practice_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        # The row lock and the second look keep two runs at once from both sending.
        practice = (
            due_for_reminder(now)
            # Only the practice row is locked: PostgreSQL cannot lock the nullable side of
            # the outer joins to its practitioner or organization.
            .select_for_update(of=("self",))
            .select_related("practitioner", "organization")
            .filter(pk=practice_id)
            .first()
        )
        if practice is None:
            return False
        owners = [m.user.email for m in practice.owners().select_related("user") if m.user.email]
        link = settings.SITE_URL + reverse("practices:home", args=[practice.pk])
        for email in owners:
            notify.send_email(
                email,
                _("Please confirm the facts on your %(site)s profile")
                % {"site": settings.SITE_NAME},
                "practices/email/confirmation_reminder.txt",
                {"practice": practice, "link": link, "days": confirmation_days()},
            )
        practice.reminded_at = now
        practice.save(update_fields=["reminded_at"])
        record(
            REMINDED,
            subject=practice,
            field="reminded_at",
            new=f"{len(owners)} owner(s)",
            practice_key=practice.key,
        )
    return True


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Email the owners of every practice due a reminder; returns how many practices."""
    now = now or timezone.now()
    ids = list(due_for_reminder(now).order_by("pk").values_list("pk", flat=True))
    # One transaction per practice: a failure halfway leaves the reminded ones recorded.
    return sum(_remind(practice_id, now) for practice_id in ids)


@task()
def send_confirmation_reminders() -> int:
    """The same, run by the task worker (`manage.py db_worker`)."""
    return send_reminders()
