"""Find user-facing text that is not marked for translation, in templates and Python.

Templates: every text node and every user-facing attribute (alt, title, placeholder,
aria-label...) left once each {% translate %}, {% blocktranslate %}, variable and comment
is taken out. Python: string literals given to the calls and arguments users read
(ValidationError, messages.*, label=, help_text=, verbose_name=...), unless wrapped in
gettext. What is left with a letter in it, and is not on the allow-list, is reported.
"""

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from django.template.base import DebugLexer, TokenType

# Text that reads the same in every language: the brand, units and codes, symbols.
ALLOWED = frozenset(
    {
        "CareAtlas",
        "NPI",
        "CCN",
        "PAC ID",
        "HCPCS",
        "FHIR",
        "JSON",
        "API",
        "OpenAPI",
        "NUCC",
        "CMS",
        "PECOS",
        "ZIP",
        "MD",
        "DO",
        "x",
        # Machine values that happen to sit in text: Open Graph types, citation
        # identifiers, JSON literals offered in the API docs' "try it" form.
        "article",
        "profile",
        "PMID",
        "doi",
        "true",
        "false",
    }
)
USER_FACING_ATTRIBUTES = frozenset(
    {"alt", "title", "placeholder", "aria-label", "aria-description", "value", "content"}
)
# <meta content> and <input value> are user-facing only for some elements.
_VALUE_TAGS = frozenset({"button"})
_CONTENT_META_NAMES = frozenset({"description", "og:title", "og:description"})
_SKIPPED_ELEMENTS = frozenset({"script", "style", "code", "pre", "svg"})
_PLACEHOLDER = " "  # valid in text, in a tag and in an attribute value alike
_LETTER = re.compile(r"[^\W\d_]")


class Finding(NamedTuple):
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _readable(text: str) -> str:
    """The text a reader would see, or "" if it has no word to translate."""
    text = " ".join(text.split())
    if not _LETTER.search(text) or text in ALLOWED:
        return ""
    words = [w for w in re.split(r"[\s·|–—:,.()/+\-]+", text) if w]
    return "" if all(w in ALLOWED or not _LETTER.search(w) for w in words) else text


def _untranslated_source(source: str) -> str:
    """The template with every tag, variable and translated block blanked, lines kept."""
    parts, depth = [], 0
    for token in DebugLexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(" ", 1)[0]
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
        raw = token.contents if token.token_type == TokenType.TEXT else ""
        if token.token_type != TokenType.TEXT or depth:
            raw = _PLACEHOLDER + "\n" * _token_lines(token, source)
        parts.append(raw)
    return "".join(parts)


def _token_lines(token, source: str) -> int:
    start, end = token.position
    return source.count("\n", start, end)


class _TextFinder(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path, self.found, self.skipping = path, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        named = dict(attrs)
        for name, value in attrs:
            if name not in USER_FACING_ATTRIBUTES or not value:
                continue
            if name == "value" and tag not in _VALUE_TAGS and named.get("type") != "submit":
                continue
            if (
                name == "content"
                and (named.get("name") or named.get("property")) not in _CONTENT_META_NAMES
            ):
                continue
            self._report(value)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._report(data)

    def _report(self, text: str) -> None:
        readable = _readable(text)
        if readable:
            self.found.append(Finding(self.path, self.getpos()[0], readable))


def template_findings(path: Path) -> list[Finding]:
    source = _untranslated_source(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":  # an email: every line is read
        return [
            Finding(path, number, text)
            for number, line in enumerate(source.splitlines(), start=1)
            if (text := _readable(line))
        ]
    finder = _TextFinder(path)
    finder.feed(source)
    finder.close()
    return finder.found


# Calls and keyword arguments whose string reaches a user.
_USER_FACING_CALLS = frozenset(
    {
        "ValidationError",
        "success",
        "error",
        "warning",
        "info",
        "add_message",
        "Http404",
        "add_error",  # form.add_error(field, message)
        "message_user",  # ModelAdmin.message_user(request, message)
    }
)
_USER_FACING_KEYWORDS = frozenset(
    {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if not isinstance(func, ast.Attribute):
        return ""
    # messages.error(...) reaches a user; logger.error(...) does not.
    owner = getattr(func, "value", None)
    if func.attr in ("ValidationError", "Http404", "add_error", "message_user"):
        return func.attr
    if getattr(owner, "id", "") == "messages":
        return func.attr
    return ""


def python_findings(path: Path) -> list[Finding]:
    """String literals passed straight to a user-facing call or keyword."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        candidates = [kw.value for kw in node.keywords if kw.arg in _USER_FACING_KEYWORDS]
        name = _call_name(node)
        if name in _USER_FACING_CALLS:
            # The message's place: messages.add_message(request, level, message),
            # messages.error(request, message), ValidationError(message).
            place = {"add_message": 2, "ValidationError": 0, "Http404": 0}.get(name, 1)
            candidates += node.args[place : place + 1]
        for value in candidates:
            literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
            if literal and (text := _readable(value.value)):
                found.append(Finding(path, value.lineno, text))
    return found


def findings(root: Path) -> Iterator[Finding]:
    """Every finding under the package at `root`, migrations and tests left out."""
    for path in sorted(root.rglob("*")):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        if "templates" in path.parts and path.suffix in (".html", ".txt"):
            yield from template_findings(path)
        elif path.suffix == ".py":
            yield from python_findings(path)
