"""manage.py export_fhir --out DIR: the public directory as FHIR NDJSON, one file per type."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careatlas.fhir.bulk import DEFAULT_CHUNK_SIZE, Written, export_directory
from careatlas.fhir.registry import RESOURCES


class Command(BaseCommand):
    help = (
        "Write the public provider directory as FHIR R4 NDJSON (Bulk Data format): one file per"
        " resource type, one resource per line, exactly as the /fhir/ API serves them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="directory to write into")
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            choices=list(RESOURCES),
            help="only this resource type (repeat for several; default: all)",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"rows read (and prefetched) at a time (default {DEFAULT_CHUNK_SIZE})",
        )

    def handle(self, *args, out: Path, types, chunk_size: int, **options) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a directory.")

        def report(done: Written) -> None:
            self.stdout.write(
                f"{done.path}: {done.resources:,} resources, {done.bytes:,} bytes in"
                f" {done.seconds:.1f} s"
            )

        try:
            written = export_directory(out, types, chunk_size, progress=report)
        except OSError as error:
            raise CommandError(f"Cannot write to {out}: {error}") from error
        total = sum(done.resources for done in written)
        self.stdout.write(self.style.SUCCESS(f"Exported {total:,} resources to {out}."))
