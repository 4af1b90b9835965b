"""Turn what a patient typed into clauses of indexed words: synonyms, partial words, typos."""

import re
from dataclasses import dataclass

from careatlas.search.backends import Alternative, Backend, Clause
from careatlas.search.models import SearchTerm
from careatlas.search.synonyms import CAPITALISED_ABBREVIATIONS, LONGEST_KEY, SYNONYMS
from careatlas.search.text import STOP_WORDS, allowed_typos, edit_distance, word_forms, words

MAX_WORDS = 8
PREFIX_EXPANSIONS = 8
FUZZY_CANDIDATES = 30
_TYPED_WORD = re.compile(r"[^\W_]+")


@dataclass
class _Token:
    word: str
    capitalised: bool
    clause: Clause = ()
    shown: str = ""  # the word as it appears in a corrected query
    corrected: bool = False
    is_stop_word: bool = False


@dataclass(frozen=True)
class Plan:
    clauses: list[Clause]
    corrected_query: str | None = None


def _tokens(query: str) -> list[_Token]:
    tokens = []
    for match in _TYPED_WORD.finditer(query):
        typed = match.group()
        capitalised = typed.isupper() and len(typed) > 1
        tokens += [_Token(word, capitalised, shown=word) for word in words(typed)]
    return tokens[:MAX_WORDS]


def _expansions(phrase: str) -> tuple[Alternative, ...]:
    return tuple(tuple(p.split()) for p in SYNONYMS.get(phrase, ()))


def _apply_synonyms(tokens: list[_Token]) -> list[_Token]:
    """Merge runs of tokens that form a curated phrase into one token with a clause."""
    merged: list[_Token] = []
    i = 0
    while i < len(tokens):
        for size in range(min(LONGEST_KEY, len(tokens) - i), 0, -1):
            run = tokens[i : i + size]
            phrase = " ".join(t.word for t in run)
            extra = _expansions(phrase)
            abbreviation = size == 1 and phrase in CAPITALISED_ABBREVIATIONS
            if abbreviation and (run[0].capitalised or len(tokens) == 1):
                extra = tuple(tuple(p.split()) for p in CAPITALISED_ABBREVIATIONS[phrase])
            if extra:
                typed = tuple(t.word for t in run)
                merged.append(_Token(phrase, run[0].capitalised, (typed, *extra), phrase))
                i += size
                break
        else:
            merged.append(tokens[i])
            i += 1
    return merged


def best_correction(word: str, backend: Backend) -> str | None:
    """The vocabulary word closest to `word`, if it is within a few typos."""
    limit = allowed_typos(word)
    if not limit:
        return None
    candidates = []
    for term, weight in backend.similar_terms(word, FUZZY_CANDIDATES):
        distance = edit_distance(word, term, limit)
        if distance <= limit:
            candidates.append((distance, term[0] != word[0], -weight, term))
    return min(candidates)[3] if candidates else None


def make_plan(query: str, backend: Backend, prefix_last: bool = False) -> Plan:
    """Clauses to match, all required; `prefix_last` reads the last word as unfinished."""
    tokens = _apply_synonyms(_tokens(query))
    for token in tokens:
        token.is_stop_word = not token.clause and token.word in STOP_WORDS
    if all(t.is_stop_word for t in tokens):
        for token in tokens:
            token.is_stop_word = False
    plain = [t for t in tokens if not t.clause and not t.is_stop_word]
    forms = {form for t in plain for form in word_forms(t.word)}
    known = set(SearchTerm.objects.filter(term__in=forms).values_list("term", flat=True))

    for position, token in enumerate(tokens):
        # One typed letter is too little on its own, but after other words ("back p") it helps.
        unfinished = (
            prefix_last and position == len(tokens) - 1 and (len(token.word) > 1 or position > 0)
        )
        if token.is_stop_word:
            continue
        if token.clause:
            if unfinished:
                more = backend.prefix_terms(token.word, PREFIX_EXPANSIONS)
                token.clause = (*token.clause, *((w,) for w in more))
            continue
        word = token.word
        if word.isdigit() or word_forms(word) & known:
            more = backend.prefix_terms(word, PREFIX_EXPANSIONS) if unfinished else []
            token.clause = tuple(dict.fromkeys([(word,), *((w,) for w in more)]))
            continue
        if unfinished or len(word) >= 3:
            more = backend.prefix_terms(word, PREFIX_EXPANSIONS)
            if more:
                token.clause = tuple((w,) for w in more)
                continue
        correction = best_correction(word, backend)
        if correction:
            token.clause = ((correction,), *_expansions(correction))
            token.shown, token.corrected = correction, True
        else:
            token.clause = ((word,),)

    corrected = " ".join(t.shown for t in tokens) if any(t.corrected for t in tokens) else None
    return Plan([t.clause for t in tokens if t.clause and not t.is_stop_word], corrected)
