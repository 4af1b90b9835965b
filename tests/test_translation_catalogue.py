"""The checks behind `make lint` that keep the Spanish catalogue whole, current and compiled."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from careatlas.core import translation_catalogue as po
from tests.conftest import require

REAL = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'


def catalogue(*entries: str) -> po.Catalogue:
    return po.parse("\n".join([HEADER, *entries]))


def test_a_fuzzy_entry_and_an_empty_one_are_both_reported():
    found = po.problems(
        catalogue(
            'msgid "Search"\nmsgstr "Buscar"\n',
            '#, fuzzy\nmsgid "Sources"\nmsgstr "Fuentes de datos"\n',
            'msgid "Directions"\nmsgstr ""\n',
        )
    )
    assert found == ["fuzzy (a guess to be checked): 'Sources'", "untranslated: 'Directions'"]


def test_a_plural_needs_every_form_and_a_translation_must_keep_its_placeholders():
    found = po.problems(
        catalogue(
            'msgid "%(n)s mile"\nmsgid_plural "%(n)s miles"\n'
            'msgstr[0] "%(n)s milla"\nmsgstr[1] ""\n',
            'msgid "Back to %(name)s"\nmsgstr "Volver a %(nombre)s"\n',
            'msgid "Edit <span>%(what)s</span>"\nmsgstr "Editar %(what)s"\n',
            'msgid "Show __N__ results"\nmsgstr "Mostrar resultados"\n',
        )
    )
    assert found == [
        "untranslated: '%(n)s mile'",
        "placeholders differ from the English: 'Back to %(name)s'",
        "placeholders differ from the English: 'Edit <span>%(what)s</span>'",
        "placeholders differ from the English: 'Show __N__ results'",
    ]


def test_a_singular_form_may_leave_out_the_count_as_the_english_does():
    one = 'msgid "One review"\nmsgid_plural "%(n)s reviews"\n'
    found = po.problems(catalogue(one + 'msgstr[0] "Una opinión"\nmsgstr[1] "%(n)s opiniones"\n'))
    assert found == []


def test_strings_added_to_or_gone_from_the_code_make_the_catalogue_stale():
    have = catalogue('msgid "Search"\nmsgstr "Buscar"\n', 'msgid "Old"\nmsgstr "Viejo"\n')
    fresh = catalogue('msgid "Search"\nmsgstr ""\n', 'msgid "New"\nmsgstr ""\n')
    assert po.stale(have, fresh) == ["not in the catalogue: 'New'", "no longer in the code: 'Old'"]


def test_filling_translates_and_clears_the_guess_and_rendering_keeps_gettexts_layout():
    text = REAL.read_text(encoding="utf-8")
    assert po.render(po.parse(text)) == text  # the fill tool never reflows the file
    found = catalogue(
        '#, fuzzy\n#| msgid "Source"\nmsgid "Sources"\nmsgstr "Fuente"\n',
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] ""\nmsgstr[1] ""\n',
    )
    filled = po.fill(found, {"Sources": "Fuentes", "%(n)s day": ["%(n)s día", "%(n)s días"]})
    assert filled == 2 and po.problems(found) == []
    assert "#, fuzzy" not in po.render(found) and "#|" not in po.render(found)


@pytest.fixture
def broken_copy(tmp_path, settings):
    """A copy of the real catalogue with one string dropped, one made fuzzy and one emptied,
    and no compiled .mo beside it: what a branch looks like before `make messages`."""
    require(bool(shutil.which("xgettext") and shutil.which("msgfmt")), "GNU gettext")
    found = po.read(REAL)
    dropped = found.entries.pop(0)
    found.entries[0].flags.append("fuzzy")
    found.entries[1].msgstr = [""] * len(found.entries[1].msgstr)
    target = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True)
    target.write_text(po.render(found), encoding="utf-8")
    settings.LOCALE_PATHS = [str(tmp_path)]
    return target, dropped, found.entries[0], found.entries[1]


def test_make_lints_check_names_each_problem_and_the_way_to_fix_it(broken_copy):
    target, dropped, fuzzy, empty = broken_copy
    with pytest.raises(CommandError) as failure:
        call_command("catalogue", "check")
    message = str(failure.value)
    assert f"fuzzy (a guess to be checked): {fuzzy.msgid[:70]!r}" in message
    assert f"untranslated: {empty.msgid[:70]!r}" in message
    assert f"not in the catalogue: {dropped.msgid[:70]!r}" in message
    assert "django.mo is missing" in message and "make messages" in message


def test_the_real_catalogue_passes_after_compiling(tmp_path, settings):
    require(bool(shutil.which("xgettext") and shutil.which("msgfmt")), "GNU gettext")
    target = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True)
    shutil.copyfile(REAL, target)
    shutil.copyfile(REAL.with_suffix(".mo"), target.with_suffix(".mo"))
    settings.LOCALE_PATHS = [str(tmp_path)]
    call_command("catalogue", "check")  # what `make lint` runs on the committed catalogue
    edited = po.read(target)
    edited.entries[0].msgstr = ["Otra traducción"]
    target.write_text(po.render(edited), encoding="utf-8")
    with pytest.raises(CommandError, match="older than its .po"):
        call_command("catalogue", "check")
