"""manage.py rebuild_search_index: rebuild the search index from published content."""

from django.core.management.base import BaseCommand

from careatlas.search.interface import refresh_index


class Command(BaseCommand):
    help = "Rebuild the search index (documents and typo vocabulary) from published content."

    def handle(self, **options):
        count = refresh_index()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} pages."))
