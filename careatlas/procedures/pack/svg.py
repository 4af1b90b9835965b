"""Illustrations: small SVG files checked so that one cannot carry script or remote content."""

import re
from pathlib import Path

from careatlas.procedures.pack.errors import ContentError

MAX_SVG_BYTES = 20_000
_FORBIDDEN = re.compile(
    r"<\s*(script|foreignObject|iframe|image|use)\b|\bon[a-z]+\s*=|javascript:|xlink:href|\bhref\s*=|url\(\s*['\"]?(?!#)",
    re.IGNORECASE,
)


def check_svg(text: str, file: str) -> str:
    """Return the SVG text if it is a self-contained, script-free drawing; raise otherwise."""
    text = text.strip()
    if len(text.encode()) > MAX_SVG_BYTES:
        raise ContentError(file, "illustration", f"is larger than {MAX_SVG_BYTES // 1000} KB")
    if not re.match(r"^(<\?xml[^>]*\?>\s*)?<svg\b", text):
        raise ContentError(file, "illustration", "must be an SVG document starting with <svg>")
    match = _FORBIDDEN.search(text)
    if match:
        raise ContentError(
            file,
            "illustration",
            f"must not contain {match.group(0)!r} (no scripts or external references)",
        )
    return text


def read_illustration(content_dir: Path, slug: str) -> str | None:
    path = content_dir / "illustrations" / f"{slug}.svg"
    if not path.exists():
        return None
    return check_svg(path.read_text(encoding="utf-8"), str(path.relative_to(content_dir.parent)))
