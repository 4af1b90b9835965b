"""manage.py purge_review_links: erase what expired review links kept (run it daily)."""

from django.core.management.base import BaseCommand

from careatlas.reviews import upkeep


class Command(BaseCommand):
    help = (
        "Delete expired review links that never wrote a review, and erase the email address "
        "kept with expired links whose review stays."
    )

    def handle(self, *args, **options) -> None:
        deleted, erased = upkeep.purge_expired_links()
        self.stdout.write(f"Deleted {deleted} unused link(s); erased {erased} address(es).")
