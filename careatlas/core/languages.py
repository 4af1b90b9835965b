"""The site's languages: a page's address in each, the header's switch, the offer to switch."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop

# Set by the offer's "No, thanks" button; while it is there, no page offers another language.
OFFER_DISMISSED_COOKIE = "careatlas_language_offer"
OFFER_DISMISSED_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class PageLanguage:
    """One language of the current page: its code, its own name for itself and the page's URL."""

    code: str
    name: str  # in that language ("Español"): a reader finds their language by its own name
    url: str


@dataclass(frozen=True)
class LanguageOffer:
    """The banner offering a visitor the page in the language their browser prefers.

    Its sentences are in the offered language when the catalogue has them all, else in the
    default language; `lang` says which, so a screen reader reads them with the right voice.
    """

    code: str
    url: str
    lang: str
    message: str
    switch: str
    dismiss: str


def page_languages(request: HttpRequest) -> list[PageLanguage]:
    """The current page in every language, or [] for a page that exists in one only.

    Every page under i18n_patterns exists in each language (untranslated text falls back to
    English, marked with its own lang); the admin, API and error pages do not.
    """
    path = request.get_full_path()
    urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):
        return []
    return [
        PageLanguage(code, translation.get_language_info(code)["name_local"].capitalize(), url)
        for code, url in urls.items()
    ]


def home_languages() -> list[PageLanguage]:
    """The home page in every language: where the switch leads from a one-language page."""
    pages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse("procedures:home")
        name = translation.get_language_info(code)["name_local"].capitalize()
        pages.append(PageLanguage(code, name, url))
    return pages


def browser_language(request: HttpRequest) -> str:
    """The first of the site's languages the visitor's Accept-Language accepts."""
    return translation.get_language_from_request(request, check_path=False)


def offered_language(request: HttpRequest) -> str:
    """The language to offer on a default-language page, or "" for none.

    Only unprefixed (default-language) addresses offer: a visitor who chose /es/ chose. The
    offer never redirects, so an address always shows the same language to everyone.
    """
    if OFFER_DISMISSED_COOKIE in request.COOKIES:
        return ""
    if translation.get_language_from_path(request.path_info):
        return ""
    wanted = browser_language(request)
    return "" if wanted == settings.LANGUAGE_CODE else wanted


def language_offer_key(request: HttpRequest) -> str:
    """The part of a cached page's key that the language offer decides."""
    offered = offered_language(request)
    return f"offer={offered}" if offered else ""


_OFFER_SENTENCES = (
    gettext_noop("This page is available in %(language)s."),
    gettext_noop("Read it in %(language)s"),
    gettext_noop("No, thanks"),
)


def language_offer(request: HttpRequest, pages: list[PageLanguage]) -> LanguageOffer | None:
    """The offer for this visitor on this page, if they should see one."""
    code = offered_language(request)
    target = next((page for page in pages if page.code == code), None)
    if target is None:
        return None
    with translation.override(code):
        translated = all(gettext(sentence) != sentence for sentence in _OFFER_SENTENCES)
    lang = code if translated else settings.LANGUAGE_CODE
    with translation.override(lang):
        name = translation.get_language_info(code)["name_translated"]
        words = {"language": name.lower() if lang == code else name}
        message, switch, dismiss = (gettext(s) % words for s in _OFFER_SENTENCES)
    return LanguageOffer(code, target.url, lang, message, switch, dismiss)


def safe_next(request: HttpRequest, target: str) -> str:
    """`target` if it is an address on this site, else the home page."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"
