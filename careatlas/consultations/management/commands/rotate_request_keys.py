"""manage.py rotate_request_keys: re-encrypt request details with the newest key."""

from django.core.management.base import BaseCommand, CommandError

from careatlas.consultations.rotation import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every consultation request's details with the first FIELD_ENCRYPTION_KEY. "
        "Run after putting a new key first; remove the old key only once this reports 0 unreadable."
    )

    def handle(self, *args, **options) -> None:
        rotated, unreadable = rotate_keys()
        self.stdout.write(f"Re-encrypted {rotated} value(s).")
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) open with none of the configured keys and were left as "
                "they are. Add the key they were written with to FIELD_ENCRYPTION_KEY and rerun."
            )
