"""Email the owners of practices whose facts are overdue for confirmation (run daily)."""

from careatlas.core.management.task_command import TaskCommand
from careatlas.practices import reminders


class Command(TaskCommand):
    help = (
        "Email owners whose practice has not confirmed its facts for "
        "PRACTICE_CONFIRMATION_DAYS; each practice at most once per PRACTICE_REMINDER_EVERY_DAYS."
    )
    task = reminders.send_confirmation_reminders

    def run(self) -> str:
        return f"Reminded the owners of {reminders.send_reminders()} practice(s)."
