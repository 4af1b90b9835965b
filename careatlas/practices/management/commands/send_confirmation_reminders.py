"""Email the owners of practices whose facts are overdue for confirmation (run daily)."""

from django.core.management.base import BaseCommand

from careatlas.practices import reminders


class Command(BaseCommand):
    help = (
        "Email owners whose practice has not confirmed its facts for "
        "PRACTICE_CONFIRMATION_DAYS; each practice at most once per PRACTICE_REMINDER_EVERY_DAYS."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = reminders.send_confirmation_reminders.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        count = reminders.send_reminders()
        self.stdout.write(f"Reminded the owners of {count} practice(s).")
