"""Template filters for guide pages; the formatting itself lives in presenters."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from careatlas.core.markdown import render_markdown

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def markdown(text: str, heading_offset: int = 0) -> SafeString:
    return render_markdown(text, heading_offset=int(heading_offset))


@register.filter
def jsonld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> block, safe against '</script>'."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


@register.filter
def in_language(text: str, language: str) -> SafeString:
    """`text` (escaped) inside a sentence of the page's language: wrapped in a span that says
    its own language when that differs, e.g. an English title in a Spanish sentence."""
    if not language or language == get_language():
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span>', language, text)
