"""The `lang` parameter every endpoint takes: the language of labels, messages and guides."""

from typing import Literal

from django.conf import settings
from ninja import Query

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# The site's languages, e.g. Literal["en", "es"], so the schema lists them.
Language = Literal[LANGUAGE_CODES]  # type: ignore[valid-type]

LANG = Query(
    settings.LANGUAGE_CODE,
    description=(
        "Language of the answer. Guides missing in it fall back to English, as on the site."
    ),
)
