"""manage.py backup: a consistent copy of the database, taken while the site serves."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careatlas.core.backups import BackupError, backup, default_backup_path


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: SQLite through its online backup API, "
        "PostgreSQL with pg_dump's custom format. Encrypted patient details need the same "
        "FIELD_ENCRYPTION_KEY (else SECRET_KEY) to be read after a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="file to write (default: var/backups/careatlas-<date>-<time>.sqlite3|.dump)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, output: Path | None, database: str, **options):
        destination = output or default_backup_path(
            Path(settings.BASE_DIR) / "var" / "backups", database
        )
        try:
            outcome = backup(destination, database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up to {outcome.path} ({outcome.size_bytes / 1e6:.1f} MB "
            f"in {outcome.seconds:.1f} s)."
        )
