"""Finds text in templates and Python code that reaches the reader without being translated."""

import ast
import re
from pathlib import Path

# What a template may show untranslated: code (in <code> or <pre>), abbreviations that are
# the same in every language, and values that are not prose (the page's Open Graph type).
NOT_PROSE = {"NPI", "PMID", "HCPCS", "doi:", "true", "false", "article", "profile"}
VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")

_REMOVED = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
_ATTRIBUTE = re.compile(r"\b(" + "|".join(VISIBLE_ATTRIBUTES) + r')="([^"]*)"')
_WORD = re.compile(r"[A-Za-z]{2,}")


def _prose(text: str) -> bool:
    words = [w for w in re.split(r"[\s·,;()]+", text) if w]
    return bool(_WORD.search(text)) and not all(w in NOT_PROSE for w in words)


def unmarked_text(template: str) -> list[str]:
    """Words of the template's text or visible attributes outside {% translate %} and
    {% blocktranslate %}: a Spanish page would show them in English."""
    for pattern in _REMOVED:
        template = pattern.sub(" ", template)
    found = [f'{name}="{value}"' for name, value in _ATTRIBUTE.findall(template) if _prose(value)]
    text = re.sub(r"<[^>]*>", "\n", template)
    found += [line.strip() for line in text.splitlines() if _prose(line.strip())]
    return found


def unmarked_in_templates(root: Path) -> list[str]:
    """unmarked_text for every .html and .txt template under root's templates folders."""
    problems = []
    for path in sorted(root.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"} and path.is_file():
            for text in unmarked_text(path.read_text(encoding="utf-8")):
                problems.append(
                    f"not marked for translation: {path.relative_to(root.parent)}: {text!r}"
                )
    return problems


# Keyword arguments and Meta options whose text a visitor, a provider or an admin user reads.
TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "short_description",
}
# Calls whose first text argument is shown: form and model errors, flash messages.
TEXT_CALLS = {"ValidationError", "add_error", "message_user", "success", "error", "warning"}


def _plain_text(node: ast.expr) -> bool:
    """A literal (or f-string) with words in it: gettext() or gettext_lazy() were not used."""
    if isinstance(node, ast.JoinedStr):
        return any(_plain_text(part) for part in node.values if isinstance(part, ast.Constant))
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and _prose(node.value)


def _called(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def unmarked_in_module(source: str) -> list[tuple[int, str]]:
    """(line, text) of labels, help texts, Meta names, errors and messages left as plain
    strings in a Python module. Log messages and API schema descriptions are not checked."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            values = [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
            # ValidationError takes the text first; add_error, message_user and messages.x
            # second, after the field or the request (a logger's .warning has no request).
            position = 0 if _called(node) == "ValidationError" else 1
            if _called(node) in TEXT_CALLS and len(node.args) > position:
                values.append(node.args[position])
            found += [(v.lineno, ast.unparse(v)) for v in values if _plain_text(v)]
        elif isinstance(node, ast.ClassDef) and node.name == "Meta":
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(getattr(t, "id", "") in TEXT_KEYWORDS for t in statement.targets)
                    and _plain_text(statement.value)
                ):
                    found.append((statement.lineno, ast.unparse(statement.value)))
    return sorted(found)


def unmarked_in_python(root: Path) -> list[str]:
    """unmarked_in_module for every module under root but migrations (they copy the models)."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, text in unmarked_in_module(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(root.parent)}:{line}"
            problems.append(f"not marked for translation: {where}: {text[:80]}")
    return problems
