"""A writable copy of the shipped content pack, and a page's visible text, for content tests."""

import re
import shutil
from pathlib import Path

from django.conf import settings


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(Path(settings.CONTENT_DIR), target)
    return target


def page_text(html: str) -> str:
    """What a reader sees: tags, scripts and styles removed, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
