"""Markdown to safe HTML for editor-written prose."""

import re
from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "br",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_HEADING = re.compile(r"<(/?)h([1-6])>")


@lru_cache(maxsize=2048)  # pure function of its arguments; page renders repeat the same fields
def render_markdown(text: str, heading_offset: int = 0) -> SafeString:
    """Render Markdown, shift headings so they nest under the page's own, and sanitise.

    Raw HTML in the source is dropped by the sanitiser, so an editor cannot inject
    script, style or images from other origins.
    """
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    if heading_offset:
        html = _HEADING.sub(
            lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + heading_offset)}>", html
        )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
