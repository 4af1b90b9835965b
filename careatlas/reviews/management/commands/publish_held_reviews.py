"""manage.py publish_held_reviews: publish reviews whose REVIEW_HOLD_HOURS have passed."""

from django.core.management.base import BaseCommand

from careatlas.reviews import upkeep


class Command(BaseCommand):
    help = "Publish clean reviews whose hold (REVIEW_HOLD_HOURS) has ended. Run it hourly."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = upkeep.publish_held_reviews.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        self.stdout.write(f"Published {upkeep.publish_held()} review(s).")
