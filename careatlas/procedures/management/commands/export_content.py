"""manage.py export_content [DIR]: write the database's guides out as a content pack."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from careatlas.procedures.pack.exporter import export_pack


class Command(BaseCommand):
    help = "Write specialties, conditions, sources, guides and illustrations as content-pack files."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.CONTENT_DIR))

    def handle(self, directory: str, **options):
        changed = export_pack(Path(directory))
        self.stdout.write(self.style.SUCCESS(f"Exported to {directory}: {changed} file(s) changed"))
