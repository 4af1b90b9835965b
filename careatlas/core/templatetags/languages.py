"""Template tags for the page's languages: alternates, the switch, the offer, parts' lang."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from careatlas.core.languages import (
    LanguageOffer,
    PageLanguage,
    home_languages,
    language_offer,
    page_languages,
)

register = template.Library()


@dataclass(frozen=True)
class LanguageLinks:
    alternates: list[tuple[str, str]]  # (hreflang, absolute URL), x-default last
    switch: list[PageLanguage]  # the other languages, each with this page's address in it
    offer: LanguageOffer | None


@register.simple_tag(takes_context=True)
def language_links(context) -> LanguageLinks:
    """What base.html needs: hreflang alternates, the switch's links and the offer."""
    request = context["request"]
    pages = page_languages(request)
    current = get_language()
    alternates = [(page.code, settings.SITE_URL + urlsplit(page.url).path) for page in pages]
    default = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), None)
    if default:
        alternates.append(("x-default", default))
    switch = [page for page in (pages or home_languages()) if page.code != current]
    return LanguageLinks(alternates, switch, language_offer(request, pages))


@register.simple_tag
def lang_attr(language: str) -> SafeString:
    """` lang="xx"` on an element whose text is in another language than the page, else ""."""
    if not language or language == get_language():
        return SafeString("")
    return format_html(' lang="{}"', language)
