"""manage.py seed_demo_providers: synthetic providers for demos and benchmarks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careatlas.demo.offices import claim_demo_practices
from careatlas.demo.providers import DemoDataError, clear_demo_data, seed_demo_providers
from careatlas.demo.providers.reviews import seed_demo_reviews
from careatlas.imports.sql import database
from careatlas.search.interface import rebuild_provider_index


class Command(BaseCommand):
    help = (
        "Replace the demo providers with COUNT synthetic ones drawn from SEED (deterministic: "
        "the same seed gives the same providers). Real providers are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="providers to create")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--chunk", type=int, default=20_000, help="providers per insert transaction"
        )
        parser.add_argument(
            "--clear", action="store_true", help="only delete the demo data, then stop"
        )
        parser.add_argument(
            "--demo-offices",
            type=int,
            default=0,
            help="claim this many demo practices with office accounts (development only)",
        )

    def handle(self, *args, count, seed, chunk, clear, demo_offices, **options):
        if demo_offices and settings.ENVIRONMENT != "development":
            raise CommandError(
                "--demo-offices prints passwords: only with CAREATLAS_ENV=development."
            )
        if clear:
            deleted = clear_demo_data()
            summary = ", ".join(f"{n:,} {what}" for what, n in deleted.items() if n)
            self.stdout.write(f"Deleted demo data: {summary or 'there was none'}.")
            self._rebuild_search_index()
            return

        def progress(done: int, seconds: float) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {done:,} providers in {seconds:.1f} s")

        try:
            result = seed_demo_providers(count, seed, chunk_size=max(1, chunk), progress=progress)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        rate = result.total_rows / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.practitioners:,} demo providers (seed {seed}): "
                f"{result.total_rows:,} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s)."
            )
        )
        if options["verbosity"] >= 2:
            for table, n in result.rows.items():
                self.stdout.write(f"  {table}: {n:,}")
        reviews = seed_demo_reviews(seed, chunk_size=max(1, chunk))
        self.stdout.write(f"Seeded {reviews:,} demo reviews (marked as demo on every page).")
        self._rebuild_search_index()
        if demo_offices:
            self._print_offices(claim_demo_practices(demo_offices))

    def _print_offices(self, offices) -> None:
        # Development only (checked above): how to try the practice side of a request.
        self.stdout.write("Demo office accounts (sign in at /accounts/login/, then set up a")
        self.stdout.write("second factor; their inbox is under /practice/):")
        for office in offices:
            self.stdout.write(
                f"  {office.email}  password {office.password}  {office.name} {office.profile_url}"
            )

    def _rebuild_search_index(self) -> None:
        # The seeder writes in bulk without signals, so the search index is rebuilt whole.
        database().analyze()  # the index build's plan relies on fresh statistics
        entries = rebuild_provider_index()
        self.stdout.write(f"Provider search index rebuilt: {entries:,} entries.")
