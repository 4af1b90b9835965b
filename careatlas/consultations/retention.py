"""Deleting finished requests once CONSULTATION_RETENTION_DAYS have passed since they closed."""

import logging

from django_tasks import task

from careatlas.consultations.models import ConsultationRequest

log = logging.getLogger(__name__)


def purge_expired(now=None) -> int:
    """Delete expired requests; returns how many. The audit trail keeps only references."""
    deleted, _by_model = ConsultationRequest.objects.expired(now).delete()
    log.info("Purged %d expired consultation requests.", deleted)
    return deleted


@task()
def purge_expired_requests() -> int:
    """The scheduled form of `manage.py purge_requests` (run daily by the task worker's cron)."""
    return purge_expired()
