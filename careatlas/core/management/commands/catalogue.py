"""manage.py catalogue: update, check, list and fill the translation catalogues."""

import json
import shutil
import tempfile
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from careatlas.core import translation_catalogue as po


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _po_path(language: str, locale_dir: Path | None = None) -> Path:
    base = locale_dir or Path(settings.LOCALE_PATHS[0])
    return base / language / "LC_MESSAGES" / "django.po"


def _need_gettext() -> None:
    if not (shutil.which("xgettext") and shutil.which("msgfmt")):
        raise CommandError(
            "GNU gettext is not installed (xgettext, msgmerge, msgfmt): "
            "apt-get install gettext, or brew install gettext."
        )


def _sources(folder: str, names: list[str]) -> set[str]:
    """What copytree leaves out: all but the files makemessages reads (and their folders)."""
    skipped = {"static", "migrations", "__pycache__"}
    return {
        name
        for name in names
        if name in skipped
        or (Path(folder, name).is_file() and Path(name).suffix not in {".py", ".html", ".txt"})
    }


def _regenerate(language: str, scratch: Path, start_from: Path | None) -> Path:
    """The language's catalogue made afresh from the code, in scratch, keeping start_from's
    translations. makemessages writes the catalogue beside the `locale` folder nearest the
    code and a working copy beside each template it reads, so it runs on a copy of the code:
    two runs at once (the SQLite and PostgreSQL suites in CI) then never share a file."""
    shutil.copytree(Path(settings.BASE_DIR) / "careatlas", scratch / "careatlas", ignore=_sources)
    target = _po_path(language, scratch / "locale")
    target.parent.mkdir(parents=True)
    if start_from is not None and start_from.exists():
        shutil.copyfile(start_from, target)
    with override_settings(LOCALE_PATHS=[str(scratch / "locale")]), chdir(scratch):
        call_command(
            "makemessages",
            locale=[language],
            ignore_patterns=po.IGNORED,
            verbosity=0,
            **po.MAKEMESSAGES_OPTIONS,
        )
    return target


class Command(BaseCommand):
    help = (
        "update: regenerate the catalogues from the code and compile them (needs gettext). "
        "check: fail on an untranslated or fuzzy entry, a lost placeholder, a catalogue that "
        "misses strings of the code, a stale .mo, or template text, labels, errors or "
        "messages not marked for translation. todo: list untranslated and fuzzy entries as "
        "JSON to fill in. fill FILE [--replace]: put a JSON object of English -> translation "
        "into the catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "check", "todo", "fill"])
        parser.add_argument("file", nargs="?", help="fill: the JSON file of translations")
        parser.add_argument("--language", choices=_languages(), default=None)
        parser.add_argument(
            "--replace", action="store_true", help="fill: also change entries already translated"
        )

    def handle(self, *args, action, file=None, language=None, replace=False, **options):
        self.replace = replace
        languages = [language] if language else _languages()
        if action == "fill" and not file:
            raise CommandError('fill needs a JSON file: {"English text": "translation"}')
        for code in languages:
            getattr(self, f"_{action}")(code, file)

    def _update(self, language: str, _file) -> None:
        _need_gettext()
        path = _po_path(language)
        with tempfile.TemporaryDirectory() as scratch:
            fresh = _regenerate(language, Path(scratch), start_from=path)
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh, path)
        call_command("compilemessages", locale=[language], verbosity=0)
        catalogue = po.read(path)
        left = sum(1 for e in catalogue.entries if e.fuzzy or not e.translated)
        self.stdout.write(f"{language}: {len(catalogue.entries)} entries, {left} to translate")

    def _check(self, language: str, _file) -> None:
        path = _po_path(language)
        catalogue = po.read(path)
        found = po.problems(catalogue)
        found += po.compiled_differences(catalogue, path.with_suffix(".mo"))
        _need_gettext()
        with tempfile.TemporaryDirectory() as scratch:
            fresh = _regenerate(language, Path(scratch), start_from=None)
            found += po.stale(catalogue, po.read(fresh))
        if found:
            listing = "\n".join(f"  {problem}" for problem in found)
            raise CommandError(
                f"{path}: {len(found)} problem(s)\n{listing}\n"
                "Run `make messages`, then translate with `manage.py catalogue todo` and "
                "`manage.py catalogue fill FILE` (docs/translating.md)."
            )
        self.stdout.write(f"{language}: {len(catalogue.entries)} entries, all translated")

    def _todo(self, language: str, _file) -> None:
        catalogue = po.read(_po_path(language))
        todo = {}
        for entry in catalogue.entries:
            if entry.fuzzy or not entry.translated:
                todo[entry.lookup] = entry.msgstr if entry.msgid_plural else entry.msgstr[0]
        self.stdout.write(json.dumps(todo, ensure_ascii=False, indent=1))

    def _fill(self, language: str, file: str) -> None:
        translations = json.loads(Path(file).read_text(encoding="utf-8"))
        path = _po_path(language)
        catalogue = po.read(path)
        filled = po.fill(catalogue, translations, replace=self.replace)
        path.write_text(po.render(catalogue), encoding="utf-8")
        if shutil.which("msgfmt"):
            call_command("compilemessages", locale=[language], verbosity=0)
        self.stdout.write(f"{language}: filled {filled} entries")
