"""`manage.py check_translatable`: fail when user-facing text is not marked for translation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from careatlas.core.translatable import findings

PACKAGE = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "List user-facing text in templates and Python that gettext would not translate."

    def handle(self, *args, **options) -> None:
        found = list(findings(PACKAGE))
        for finding in found:
            self.stderr.write(str(finding))
        if found:
            raise CommandError(
                f"{len(found)} user-facing text(s) not marked for translation: wrap them in "
                "{% translate %} / gettext, or add a word that reads the same in every "
                "language to ALLOWED in careatlas/core/translatable.py."
            )
        self.stdout.write("Every user-facing text is marked for translation.")
