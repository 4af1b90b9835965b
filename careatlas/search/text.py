"""Text handling shared by indexing and querying: folding, words, stop words."""

import re
import unicodedata

# Words that carry no meaning in a patient's query ("what is omt", "chiropractor near me").
# Removed from queries (unless nothing else is left) and kept out of the vocabulary.
_STOP_WORDS_TEXT = """
    a about after all also am an and any are as at be been before being but by can could did
    do does doing during each for from get had has have having he her here him his how i if in
    into is it its just me more most my near no nor not now of off on once only or other our out
    over own same she should so some such than that the their them then there these they this
    those through to too under until up very vs versus was we were what when where which while
    who whom why will with would you your yours"""
# The same in Spanish ("dolor de espalda", "cerca de mí"), folded. "mi" is safe: "Detroit MI"
# is read as a place (reading.py) before stop words are dropped.
_SPANISH_STOP_WORDS_TEXT = """
    al como con cual cerca de del donde el ella en es esta este la las lo los mas mi mis muy
    o para pero por que se sin su sus un una unas unos y"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split()) | frozenset(_SPANISH_STOP_WORDS_TEXT.split())
# Characters of a query that are read (guides and providers alike); the rest is ignored.
MAX_QUERY_LENGTH = 200

_WORD = re.compile(r"[a-z0-9]+")
# Accents left as separate marks by NFKD decomposition ("é" -> "e" + U+0301).
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Ménière" and "meniere" are the same word."""
    if text.isascii():
        return text.lower()
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    """The folded words of `text`; anything else (quotes, *, :, -, brackets) is a separator.

    Because only [a-z0-9] survives, no query can carry FTS or SQL syntax into a backend.
    """
    return _WORD.findall(fold(text))


def light_stem(word: str) -> str:
    """A crude plural stripper for comparing query words with titles in Python."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def word_forms(word: str) -> set[str]:
    """The word and its likely singulars, to recognise "cataracts" when "cataract" is known."""
    forms = {word, light_stem(word)}
    if len(word) > 4 and word.endswith("es"):
        forms.add(word[:-2])
    return forms


def trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]
