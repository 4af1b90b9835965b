"""Turn what a patient typed into clauses of indexed words: synonyms, partial words, typos.

One reading of the text serves both searches: folded words, curated synonyms (`synonyms.py`),
stop words, partial words expanded from the vocabulary and typos corrected towards it.
Guides (`make_plan`) match clauses of words in SearchDocument's full-text index. Providers
(`plan_text`) match clauses of index values: the provider vocabulary (`search_provider_term`)
holds every word of a practitioner's name and every word of a specialty, procedure or
condition name, with the ids that word stands for, so "manipulative" becomes "offers
osteopathic manipulative treatment" without a full-text match over a million rows.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from careatlas.core.spelling import allowed_typos, edit_distance, one_edit
from careatlas.search.backends.base import Backend
from careatlas.search.backends.values import Alternative, Clause, PhraseClause, TermRow
from careatlas.search.models import SearchTerm
from careatlas.search.synonyms import CAPITALISED_ABBREVIATIONS, LONGEST_KEY, SYNONYMS
from careatlas.search.text import STOP_WORDS, word_forms, words

MAX_WORDS = 8
PREFIX_EXPANSIONS = 8
FUZZY_CANDIDATES = 30
# Provider names: words up to this long are also corrected through their one-edit neighbours.
MAX_NEIGHBOUR_LENGTH = 8
MAX_GUESSES = 4
# Words that say nothing about which provider ("dr rodriguez", "chiropractor near me").
PROVIDER_STOP_WORDS = STOP_WORDS | {
    *("dr", "doctor", "doctors", "provider", "providers"),
    *("dra", "doctora", "doctoras", "doctores", "medico", "medica", "medicos", "medicas"),
}
_TYPED_WORD = re.compile(r"[^\W_]+")


@dataclass
class _Token:
    word: str  # a folded word, or a curated phrase ("physical therapist")
    capitalised: bool
    typed: Alternative = ()  # the words typed
    synonyms: tuple[Alternative, ...] = ()  # what a curated phrase also means
    shown: str = ""  # the word as it appears in a corrected query
    corrected: bool = False
    clause: PhraseClause = ()  # guides: the words to match
    is_stop_word: bool = False

    def phrases(self) -> tuple[Alternative, ...]:
        """Providers: the topics a curated phrase stands for, and the words typed if several."""
        if len(self.typed) > 1 and self.synonyms:
            return (self.typed, *self.synonyms)
        return self.synonyms


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TYPED_WORD.finditer(text):
        typed = match.group()
        capitalised = typed.isupper() and len(typed) > 1
        tokens += [_Token(word, capitalised, (word,), shown=word) for word in words(typed)]
    return tokens[:MAX_WORDS]


def _expansions(phrase: str) -> tuple[Alternative, ...]:
    return tuple(tuple(p.split()) for p in SYNONYMS.get(phrase, ()))


def _merge_synonyms(tokens: list[_Token]) -> list[_Token]:
    """Runs of tokens that form a curated phrase become one token with its synonyms."""
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
                merged.append(_Token(phrase, run[0].capitalised, typed, extra, phrase))
                i += size
                break
        else:
            merged.append(tokens[i])
            i += 1
    return merged


def _closest(
    word: str, candidates: Iterable[tuple[str, int]], limit: int
) -> tuple[int, str] | None:
    """(edits, term) of the candidate (term, weight) closest to `word` within `limit` edits:
    fewest edits, then the same first letter, then the most weight."""
    ranked = []
    for term, weight in candidates:
        distance = edit_distance(word, term, limit)
        if distance <= limit:
            ranked.append((distance, term[0] != word[0], -weight, term))
    if not ranked:
        return None
    best = min(ranked)
    return best[0], best[3]


# -- Guides, conditions and specialties --------------------------------------------------


@dataclass(frozen=True)
class Plan:
    clauses: list[PhraseClause]
    corrected_query: str | None = None


def best_correction(word: str, backend: Backend, language: str) -> str | None:
    """The vocabulary word closest to `word`, if it is within a few typos."""
    limit = allowed_typos(word)
    if not limit:
        return None
    similar = backend.document_similar_terms(word, language, FUZZY_CANDIDATES)
    found = _closest(word, similar, limit)
    return found[1] if found else None


def make_plan(query: str, backend: Backend, language: str, prefix_last: bool = False) -> Plan:
    """Clauses to match, all required, in `language`'s vocabulary; `prefix_last` reads the
    last word as unfinished."""
    tokens = _merge_synonyms(_tokens(query))
    for token in tokens:
        if token.synonyms:
            token.clause = (token.typed, *token.synonyms)
    for token in tokens:
        token.is_stop_word = not token.clause and token.word in STOP_WORDS
    if all(t.is_stop_word for t in tokens):
        for token in tokens:
            token.is_stop_word = False
    plain = [t for t in tokens if not t.clause and not t.is_stop_word]
    forms = {form for t in plain for form in word_forms(t.word)}
    terms = SearchTerm.objects.filter(language=language, term__in=forms)
    known = set(terms.values_list("term", flat=True))

    for position, token in enumerate(tokens):
        # One typed letter is too little on its own, but after other words ("back p") it helps.
        unfinished = (
            prefix_last and position == len(tokens) - 1 and (len(token.word) > 1 or position > 0)
        )
        if token.is_stop_word:
            continue
        if token.clause:
            if unfinished:
                more = backend.document_prefix_terms(token.word, language, PREFIX_EXPANSIONS)
                token.clause = (*token.clause, *((w,) for w in more))
            continue
        word = token.word
        if word.isdigit() or word_forms(word) & known:
            more = (
                backend.document_prefix_terms(word, language, PREFIX_EXPANSIONS)
                if unfinished
                else []
            )
            token.clause = tuple(dict.fromkeys([(word,), *((w,) for w in more)]))
            continue
        if unfinished or len(word) >= 3:
            more = backend.document_prefix_terms(word, language, PREFIX_EXPANSIONS)
            if more:
                token.clause = tuple((w,) for w in more)
                continue
        correction = best_correction(word, backend, language)
        if correction:
            token.clause = ((correction,), *_expansions(correction))
            token.shown, token.corrected = correction, True
        else:
            token.clause = ((word,),)

    corrected = " ".join(t.shown for t in tokens) if any(t.corrected for t in tokens) else None
    return Plan([t.clause for t in tokens if t.clause and not t.is_stop_word], corrected)


# -- Providers ---------------------------------------------------------------------------


@dataclass
class TextPlan:
    clauses: list[Clause] = field(default_factory=list)
    corrected_text: str = ""
    unmatched: list[str] = field(default_factory=list)  # words that match nothing
    # Other readings of an unfinished last word, best first, if the plan finds nobody.
    fallbacks: list[Clause] = field(default_factory=list)


def _known(word: str, terms: dict[str, TermRow], names_only: bool) -> Clause:
    clause = Clause()
    for form in word_forms(word):
        if form in terms:
            clause |= _restricted(terms[form].clause(), names_only)
    return clause


def _restricted(clause: Clause, names_only: bool) -> Clause:
    return Clause(name_terms=clause.name_terms) if names_only else clause


def _phrase(phrase: tuple[str, ...], terms: dict[str, TermRow]) -> Clause:
    """Topics that use every word of the phrase ("physical therapy", not just "therapy")."""
    specialties: frozenset[int] | None = None
    procedures: frozenset[int] | None = None
    for word in phrase:
        clause = _known(word, terms, names_only=False)
        specialties = (
            clause.specialty_ids if specialties is None else specialties & clause.specialty_ids
        )
        procedures = (
            clause.procedure_ids if procedures is None else procedures & clause.procedure_ids
        )
    return Clause(specialties or frozenset(), procedures or frozenset())


def _correction(
    word: str, backend: Backend, names_only: bool, similar: list[TermRow]
) -> tuple[int, TermRow] | None:
    """The vocabulary word closest to `word` within a few typos, and how many.

    Ranked as for guides (`_closest`): fewest edits, same first letter, most common.
    """
    limit = allowed_typos(word)
    if not limit:
        return None
    candidates = {row.term: row for row in similar}
    if len(word) <= MAX_NEIGHBOUR_LENGTH:
        candidates.update(backend.provider_terms(one_edit(word)))
    rows = [row for row in candidates.values() if row.is_name or not names_only]
    found = _closest(word, [(row.term, row.weight) for row in rows], limit)
    return (found[0], candidates[found[1]]) if found else None


def _prefix_typos(word: str, backend: Backend, similar: list[TermRow]) -> list[tuple[int, TermRow]]:
    """Name words whose beginning is a typo or two away from an unfinished word ("wrlgh")."""
    limit = allowed_typos(word)
    if not limit:
        return []
    close = []
    for row in similar:
        # Heads as long as the word or one longer: a shorter head ("kar" for "kmar")
        # would let a dropped letter match every word that starts like it.
        heads = {row.term[: len(word)], row.term[: len(word) + 1]}
        distance = min(edit_distance(word, head, limit) for head in heads)
        if distance <= limit and row.is_name:
            close.append((distance, -row.weight, row.term, row))
    if len(word) <= MAX_NEIGHBOUR_LENGTH:
        # Not shorter than four letters: a dropped letter in "kmar" must not match "mar".
        neighbours = sorted(v for v in one_edit(word) if len(v) >= min(len(word), 4))
        for row in backend.provider_prefix_terms_any(
            neighbours, PREFIX_EXPANSIONS, names_only=True
        ):
            close.append((1, -row.weight, row.term, row))
    found: dict[str, tuple[int, TermRow]] = {}
    for distance, _weight, term, row in sorted(close, key=lambda c: c[:3]):
        found.setdefault(term, (distance, row))
    return list(found.values())


def _readings(
    word: str,
    corrected: tuple[int, TermRow] | None,
    similar: list[TermRow],
    backend: Backend,
    names_only: bool,
) -> tuple[Clause, list[Clause]]:
    """An unfinished word with a typo: the best reading, and the next ones in order.

    Whole words ("kmar" -> kumar) and word starts ("martinne" -> martinez) are ranked
    together: fewest typos, same first letter, a whole word before a start, most common.
    """
    ranks: dict[str, tuple] = {}
    whole = [(0, *corrected)] if corrected else []
    starts = [(1, *guess) for guess in _prefix_typos(word, backend, similar)]
    for is_start, distance, row in whole + starts:
        rank = (distance, row.term[0] != word[0], is_start, -row.weight)
        if row.term not in ranks or rank < ranks[row.term][0]:
            ranks[row.term] = (rank, row)
    ranked = [row for _rank, row in sorted(ranks.values(), key=lambda pair: pair[0])]
    options = [_restricted(row.clause(), names_only) for row in ranked[:MAX_GUESSES]]
    return (options[0], options[1:]) if options else (Clause(), [])


def _synonym_typo(word: str) -> str | None:
    """The one-word everyday term (synonyms.py) a misspelt word is closest to, if any."""
    limit = allowed_typos(word)
    if not limit or word in STOP_WORDS:
        return None
    found = _closest(word, ((key, 0) for key in SYNONYMS if " " not in key), limit)
    return found[1] if found else None


def _correct_to_synonyms(tokens: list[_Token], terms: dict[str, TermRow], backend: Backend):
    """'kiropractor' -> chiropractor (-> chiropractic): the vocabulary holds the field's
    name, two edits further off, so everyday words people misspell are corrected first."""
    for token in tokens:
        if token.synonyms or any(form in terms for form in word_forms(token.word)):
            continue
        synonym = _synonym_typo(token.word)
        if synonym:
            token.word, token.shown, token.corrected = synonym, synonym, True
            token.synonyms = _expansions(synonym)
            more = {form for phrase in token.synonyms for w in phrase for form in word_forms(w)}
            terms.update(backend.provider_terms(more - terms.keys()))


def plan_text(
    text: str, backend: Backend, *, names_only: bool = False, prefix_last: bool = False
) -> TextPlan:
    """Clauses that must all hold; `prefix_last` reads the last word as unfinished."""
    tokens = _merge_synonyms(_tokens(text))
    lookups = {form for t in tokens for form in word_forms(t.word)}
    for token in tokens:
        for phrase in token.phrases():
            lookups.update(form for word in phrase for form in word_forms(word))
    terms = backend.provider_terms(lookups)
    _correct_to_synonyms(tokens, terms, backend)
    # A stop word stays only if it is somebody's name ("Dr An").
    kept = [
        t
        for t in tokens
        if t.synonyms
        or t.word not in PROVIDER_STOP_WORDS
        or (t.word in terms and terms[t.word].is_name)
    ]
    plan = TextPlan()
    for position, token in enumerate(kept):
        unfinished = prefix_last and position == len(kept) - 1
        clause = _known(token.word, terms, names_only)
        if not names_only:
            for phrase in token.phrases():
                clause |= _phrase(phrase, terms)
        if unfinished or (not clause and len(token.word) >= 3):
            for row in backend.provider_prefix_terms(token.word, PREFIX_EXPANSIONS, names_only):
                clause |= _restricted(row.clause(), names_only)
        if not clause:
            # Asked once, for both kinds of correction below.
            similar = backend.provider_similar_terms(token.word, FUZZY_CANDIDATES)
            corrected = _correction(token.word, backend, names_only, similar)
            if corrected and not unfinished:
                clause = _restricted(corrected[1].clause(), names_only)
                token.shown, token.corrected = corrected[1].term, True
            if unfinished:
                clause, plan.fallbacks = _readings(
                    token.word, corrected, similar, backend, names_only
                )
        if not clause:
            plan.unmatched.append(token.word)
        plan.clauses.append(clause)
    if any(t.corrected for t in kept):
        plan.corrected_text = " ".join(t.shown for t in tokens)
    return plan
