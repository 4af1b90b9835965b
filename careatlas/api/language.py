"""The `lang` parameter every endpoint takes: the language of labels, messages and guides."""

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Query

from careatlas.core.languages import browser_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# The site's languages, e.g. Literal["en", "es"], so the schema lists them.
Language = Literal[LANGUAGE_CODES]  # type: ignore[valid-type]

LANG = Query(
    None,
    description=(
        "Language of the answer; without it, the first of the site's languages that the "
        "Accept-Language header accepts, else en. Guides missing in it fall back to English, "
        "as on the site."
    ),
)


def request_language(request: HttpRequest) -> str:
    """`?lang=` when it names one of the site's languages, else Accept-Language's choice.

    A `lang` that names none is refused by the endpoint's validation, in this language.
    """
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGE_CODES else browser_language(request)


def answer_language(lang: str | None) -> str:
    """The endpoint's `lang`, else the language JsonApi negotiated for the request."""
    return lang or translation.get_language()
