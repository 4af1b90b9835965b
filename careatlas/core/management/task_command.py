"""A management command that does its work now, or hands it to the task worker (--enqueue)."""

from django.core.management.base import BaseCommand


class TaskCommand(BaseCommand):
    """Subclasses set `task` (a django-tasks task) and define `run()`, which returns the line
    to print. Cron runs the command; `--enqueue` suits a host where only db_worker may write."""

    task = None

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def run(self) -> str:
        raise NotImplementedError

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            result = self.task.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        self.stdout.write(self.run())
