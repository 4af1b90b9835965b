"""manage.py publish_held_reviews: publish reviews whose REVIEW_HOLD_HOURS have passed."""

from careatlas.core.management.task_command import TaskCommand
from careatlas.reviews import upkeep


class Command(TaskCommand):
    help = "Publish clean reviews whose hold (REVIEW_HOLD_HOURS) has ended. Run it hourly."
    task = upkeep.publish_held_reviews

    def run(self) -> str:
        return f"Published {upkeep.publish_held()} review(s)."
