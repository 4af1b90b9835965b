"""manage.py translation_base SLUG: what a new or updated translation of a guide is based on."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from careatlas.procedures.models import Guide
from careatlas.procedures.pack.text import guide_fingerprint
from careatlas.procedures.pack.yamlio import dump_yaml


class Command(BaseCommand):
    help = (
        "Print the translated_from block for a translation of SLUG: the date and content "
        "fingerprint of its guide in the site's language, as loaded now."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The procedure's slug, e.g. osteopathic-manual-treatment.")

    def handle(self, slug: str, **options):
        original = (
            Guide.objects.for_page()
            .filter(procedure__slug=slug, language=settings.LANGUAGE_CODE)
            .first()
        )
        if original is None:
            raise CommandError(
                f"No guide {slug!r} in {settings.LANGUAGE_CODE!r}: run load_content first, "
                "or check the slug."
            )
        changed = original.content_changed_at or original.updated_at
        block = {
            "translated_from": {
                "date": timezone.localtime(changed).date(),
                "fingerprint": guide_fingerprint(original),
            }
        }
        self.stdout.write(dump_yaml(block), ending="")
