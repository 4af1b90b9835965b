"""manage.py restore: replace the database's contents with a backup, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from careatlas.core.backups import BackupError, restore
from careatlas.core.models import EVERYTHING, ContentTag, SiteVersion, forget_site_version


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` over the current database. Everything "
        "written since that backup is lost. Encrypted patient details need the keys in force "
        "when the backup was made (FIELD_ENCRYPTION_KEY, else SECRET_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts, drills)"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, backup: Path, yes: bool, database: str, **options):
        if not yes and not self._confirmed(backup):
            raise CommandError("Restore cancelled; nothing was changed.")
        before = SiteVersion.objects.using(database).filter(pk=1).first()
        try:
            outcome = restore(backup, database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Page caches and ETags depend on the content version. The backup's version may be
        # one the site had already passed, with newer pages cached under it: move past both.
        restored = SiteVersion.objects.using(database).filter(pk=1).first()
        newest = max((row.version for row in (before, restored) if row), default=0)
        moved = {"version": newest + 1, "changed_at": timezone.now()}
        SiteVersion.objects.using(database).update_or_create(pk=1, defaults=moved)
        # Pages that name what they show are retired by their tags: all of them, here.
        ContentTag.objects.using(database).update_or_create(name=EVERYTHING, defaults=moved)
        forget_site_version()
        self.stdout.write(f"Restored {outcome.path} in {outcome.seconds:.1f} s.")

    def _confirmed(self, backup: Path) -> bool:
        try:
            answer = input(
                f"Replace everything in the database with {backup}? Writes since it are lost. "
                "Type 'yes' to go on: "
            )
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
