"""manage.py purge_requests: delete consultation requests past their retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from careatlas.consultations.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete consultation requests closed or declined more than CONSULTATION_RETENTION_DAYS ago."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_expired()
        self.stdout.write(
            f"Deleted {deleted} request(s) finished over "
            f"{settings.CONSULTATION_RETENTION_DAYS} days ago."
        )
