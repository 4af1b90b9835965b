"""manage.py purge_rate_counters: drop the database's counts of rate-limit windows that ended."""

from django.core.management.base import BaseCommand

from careatlas.core.models import RateCounter


class Command(BaseCommand):
    help = (
        "Delete rate-limit counts whose window has ended. Only needed without Redis "
        "(RATE_LIMIT_STORE=database), where each client leaves one row per window; run it "
        "hourly (cron or the task worker)."
    )

    def handle(self, *args, **options):
        deleted = RateCounter.purge()
        self.stdout.write(f"Deleted {deleted} ended rate-limit counts.")
