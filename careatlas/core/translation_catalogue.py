"""Reading, filling and checking the gettext catalogues (locale/<lang>/LC_MESSAGES/django.po).

Pure Python, so the checks and their tests run where GNU gettext is not installed; only
regenerating a catalogue from the source (makemessages) and compiling it need gettext.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

# One set of makemessages options for `manage.py catalogue update` and the staleness check, so
# the check regenerates exactly what the update writes. No locations and one line per string:
# a new string elsewhere in a file then changes no other entry, and parallel branches merge.
MAKEMESSAGES_OPTIONS = {"no_location": True, "no_obsolete": True, "no_wrap": True}
IGNORED = [
    ".venv",
    "node_modules",
    "staticfiles",
    "var",
    "tests",
    "bench",
    "deploy",
    "content",
    "data",
    "docs",
    "locale",
    "migrations",
]

# printf-style (%(name)s, %s, %d), str.format ({name}) and HTML tags: a translation that
# drops or renames one breaks the page or raises, so each must appear in the translation too;
# likewise tokens a script replaces (__N__).
PLACEHOLDER = re.compile(
    r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}|__[A-Z]+__|</?[a-z][a-z0-9]*\b"
)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    """One message: its source text, translation(s) and the comment lines kept before it."""

    msgid: str
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgid_plural: str | None = None
    msgctxt: str | None = None
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def lookup(self) -> str:
        """The entry's key in todo and fill files: gettext's context + EOT + source text."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return all(text.strip() for text in self.msgstr)


@dataclass
class Catalogue:
    """A .po file: the header entry (msgid "") and the messages, in file order."""

    header: Entry
    entries: list[Entry]

    def plural_count(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header.msgstr[0])
        return int(match.group(1)) if match else 2


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def parse(text: str) -> Catalogue:
    """The catalogue in a .po file's text; obsolete (#~) entries are dropped."""
    entries: list[Entry] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line)
        elif block:
            entry = _parse_block(block)
            if entry is not None:
                entries.append(entry)
            block = []
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    if header is None:
        raise ValueError('the catalogue has no header entry (msgid "")')
    return Catalogue(header=header, entries=[e for e in entries if e is not header])


def _parse_block(lines: list[str]) -> Entry | None:
    comments: list[str] = []
    flags: list[str] = []
    fields: dict[str, str] = {}
    current = None
    for line in lines:
        if line.startswith("#~"):
            return None
        if line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",") if flag.strip()]
        elif line.startswith("#"):
            comments.append(line)
        elif match := _KEYWORD.match(line):
            current = match.group(1)
            fields[current] = _unquote(match.group(2))
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
        else:
            raise ValueError(f"cannot read this catalogue line: {line!r}")
    if "msgid" not in fields:
        return None
    plural = "msgid_plural" in fields
    if plural:
        count = len([k for k in fields if k.startswith("msgstr[")])
        msgstr = [fields.get(f"msgstr[{n}]", "") for n in range(max(count, 1))]
    else:
        msgstr = [fields.get("msgstr", "")]
    return Entry(
        msgid=fields["msgid"],
        msgstr=msgstr,
        msgid_plural=fields.get("msgid_plural"),
        msgctxt=fields.get("msgctxt"),
        flags=flags,
        comments=comments,
    )


def _field(keyword: str, text: str) -> list[str]:
    """A field the way gettext writes it with --no-wrap: one line, or split after each newline."""
    if "\n" not in text[:-1]:
        return [f"{keyword} {_quote(text)}"]
    pieces = re.findall(r"[^\n]*\n|[^\n]+$", text)
    return [f'{keyword} ""', *(_quote(piece) for piece in pieces)]


def _format_entry(entry: Entry) -> list[str]:
    lines = list(entry.comments)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    if entry.msgctxt is not None:
        lines += _field("msgctxt", entry.msgctxt)
    lines += _field("msgid", entry.msgid)
    if entry.msgid_plural is None:
        lines += _field("msgstr", entry.msgstr[0])
    else:
        lines += _field("msgid_plural", entry.msgid_plural)
        for n, text in enumerate(entry.msgstr):
            lines += _field(f"msgstr[{n}]", text)
    return lines


def render(catalogue: Catalogue) -> str:
    """The catalogue as .po text, in gettext's own --no-wrap layout."""
    blocks = [_format_entry(catalogue.header), *map(_format_entry, catalogue.entries)]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def read(path: Path) -> Catalogue:
    return parse(path.read_text(encoding="utf-8"))


def fill(
    catalogue: Catalogue, translations: dict[str, str | list[str]], *, replace: bool = False
) -> int:
    """Put translations (source text -> text, or a list of plural forms) into untranslated or
    fuzzy entries, or into any entry with replace; returns how many entries it filled. A
    filled entry is no longer fuzzy."""
    filled = 0
    for entry in catalogue.entries:
        given = translations.get(entry.lookup)
        if given is None or (entry.translated and not entry.fuzzy and not replace):
            continue
        forms = [given] if isinstance(given, str) else list(given)
        if entry.msgid_plural is not None and len(forms) == 1:
            forms = forms * catalogue.plural_count()
        entry.msgstr = forms
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.comments = [line for line in entry.comments if not line.startswith("#|")]
        filled += 1
    return filled


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(catalogue: Catalogue) -> list[str]:
    """What a reader would notice: an English string left in, a guessed (fuzzy) translation,
    a placeholder or tag missing from a translation, a plural without all its forms."""
    found = []
    for entry in catalogue.entries:
        name = repr(entry.msgid[:70])
        if entry.fuzzy:
            found.append(f"fuzzy (a guess to be checked): {name}")
        if not entry.translated:
            found.append(f"untranslated: {name}")
            continue
        if entry.msgid_plural is not None and len(entry.msgstr) != catalogue.plural_count():
            found.append(f"wrong number of plural forms: {name}")
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid_plural]
        for text in entry.msgstr:
            if _placeholders(text) not in (_placeholders(s) for s in [entry.msgid, *sources]):
                found.append(f"placeholders differ from the English: {name}")
                break
    return found


def stale(catalogue: Catalogue, fresh: Catalogue) -> list[str]:
    """Differences between the catalogue and one just generated from the source code."""
    have = {e.key for e in catalogue.entries}
    want = {e.key for e in fresh.entries}
    missing = [f"not in the catalogue: {key[1][:70]!r}" for key in sorted(want - have, key=str)]
    extra = [f"no longer in the code: {key[1][:70]!r}" for key in sorted(have - want, key=str)]
    return missing + extra


def compiled_differences(catalogue: Catalogue, mo_path: Path) -> list[str]:
    """Translations in the .po that the compiled .mo beside it does not give (or gives
    differently): the site shows the .mo, so an edited .po needs compiling again."""
    if not mo_path.exists():
        return [f"{mo_path} is missing: run `make messages`"]
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # gettext has no public reader
    for entry in catalogue.entries:
        if entry.fuzzy or not entry.translated:
            continue
        source = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected = {source: entry.msgstr[0]}
        else:
            expected = {(source, n): text for n, text in enumerate(entry.msgstr)}
        if any(compiled.get(key) != text for key, text in expected.items()):
            return [f"{mo_path} is older than its .po: run `make messages`"]
    return []
