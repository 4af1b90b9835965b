"""manage.py rebuild_provider_index: rebuild the provider search index from the directory."""

from django.core.management.base import BaseCommand

from careatlas.search.interface import BuildStats, rebuild_provider_index


class Command(BaseCommand):
    help = (
        "Rebuild the provider search index (one row per active practitioner role at a "
        "located place) from the directory tables, in one transaction."
    )

    def handle(self, **options):
        stats = BuildStats()
        rebuild_provider_index(stats)
        self.stdout.write(
            self.style.SUCCESS(
                f"Provider index rebuilt: {stats.entries:,} entries for {stats.names:,} "
                f"practitioners in {sum(stats.seconds.values()):.1f} s."
            )
        )
        if options["verbosity"] >= 2:
            for step, seconds in stats.seconds.items():
                self.stdout.write(f"  {step}: {seconds:.1f} s")
