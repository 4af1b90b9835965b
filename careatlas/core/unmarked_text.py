"""Finds words in templates that reach the reader without going through the translation tags."""

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
