"""Sitemaps that list each page in every language, with hreflang alternates."""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet


class _EveryLanguage(Sequence):
    """(item, language) pairs of a QuerySet, read one page's slice at a time.

    Django's i18n sitemap builds every pair in a list before paginating: for a million
    provider profiles, a million rows read for each 50,000-address file.
    """

    def __init__(self, items, languages: list[str]):
        self.items, self.languages = items, languages
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:  # asked by the paginator and by every slice
            count = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
            self._length = count * len(self.languages)
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        width = len(self.languages)
        first, last = start // width, -(-stop // width)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        return pairs[start - first * width : stop - first * width]


class TranslatedSitemap(Sitemap):
    """A section whose every page exists at each language's address (/..., /es/...)."""

    i18n = True
    alternates = True
    x_default = True

    def _items(self):
        # Every item is in every language (untranslated text falls back, marked with its lang).
        return _EveryLanguage(self.items(), [code for code, _name in settings.LANGUAGES])
