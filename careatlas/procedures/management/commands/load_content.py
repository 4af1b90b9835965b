"""manage.py load_content [DIR]: load the content pack, all or nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careatlas.procedures.pack import ContentError
from careatlas.procedures.pack.loader import load_pack


class Command(BaseCommand):
    help = "Load guides, specialties, conditions and sources from the content pack (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(settings.CONTENT_DIR),
            help="Content pack folder (default: CONTENT_DIR, ./content).",
        )

    def handle(self, directory: str, **options):
        path = Path(directory)
        if not path.is_dir():
            raise CommandError(f"{path}: no such content folder")
        try:
            report = load_pack(path)
        except ContentError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from None
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Content pack {path}: {report.summary()}"))
