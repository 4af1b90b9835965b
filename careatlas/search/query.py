"""The search interface: `search()` for result pages, `autocomplete()` for the search box."""

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product

from django.conf import settings
from django.utils.text import Truncator

from careatlas.search.backends import get_backend
from careatlas.search.backends.base import Backend
from careatlas.search.backends.values import Alternative, PhraseClause
from careatlas.search.models import SearchDocument
from careatlas.search.planner import make_plan
from careatlas.search.results import Hit, SearchResults, Suggestion
from careatlas.search.text import MAX_QUERY_LENGTH, STOP_WORDS, light_stem, words

# Matches fetched from the backend before re-ranking; the whole site is a few dozen pages.
CANDIDATE_POOL = 200
MAX_VARIANTS = 32
SNIPPET_CHARS = 220
# Score tiers: an exact title beats an exact keyword beats a phrase in the title...
EXACT_TITLE, EXACT_KEYWORD, PHRASE_TITLE, PHRASE_KEYWORD = 1000, 800, 400, 300
WORDS_IN_TITLE, WORDS_IN_KEYWORDS, TEXT_RELEVANCE = 100, 50, 100


def _language(language: str) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    if language in available:
        return language
    base = language.split("-")[0]
    return base if base in available else settings.LANGUAGE_CODE


def _stemmed(sequence: Alternative | list[str]) -> tuple[str, ...]:
    return tuple(light_stem(w) for w in sequence)


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    if len(needle) == 1:
        return needle[0] in haystack
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class _QueryShape:
    """The query's clauses as stemmed words, and the phrases they can spell."""

    clauses: list[list[tuple[str, ...]]]
    variants: list[tuple[str, ...]]

    @classmethod
    def of(cls, clauses: list[PhraseClause]) -> "_QueryShape":
        stemmed = [[_stemmed(alt) for alt in clause] for clause in clauses]
        variants = [
            tuple(w for alt in combo for w in alt)
            for combo in islice(product(*stemmed), MAX_VARIANTS)
        ]
        return cls(stemmed, variants)


@dataclass(frozen=True)
class _Headlines:
    title: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    vocabulary: frozenset[str]

    def could_hold(self, phrase: tuple[str, ...]) -> bool:
        return all(w in self.vocabulary for w in phrase)


def _meaningful(sequence: list[str]) -> list[str]:
    return [w for w in sequence if w not in STOP_WORDS] or sequence


@lru_cache(maxsize=512)
def _headlines(title: str, keywords: str) -> _Headlines:
    """A document's title and keyword phrases as stemmed words (documents change rarely)."""
    # Without stop words, as queries are read: "dolor de espalda" is typed, and read, as
    # "dolor espalda", which must still equal the keyword "dolor de espalda".
    title_words = _stemmed(_meaningful(words(title)))
    phrases = tuple(_stemmed(_meaningful(p.split())) for p in keywords.splitlines() if p)
    return _Headlines(title_words, phrases, frozenset(title_words).union(*phrases))


def _headline_score(doc: SearchDocument, query: _QueryShape) -> float:
    """How well the title and keywords (not the body) answer the query."""
    doc_words = _headlines(doc.title, doc.keywords)
    title, keywords = doc_words.title, doc_words.keywords
    # Only phrases made of words this title and these keywords contain can match them.
    variants = [v for v in query.variants if doc_words.could_hold(v)]
    if any(v == title for v in variants):
        score = EXACT_TITLE
    elif any(v in keywords for v in variants):
        score = EXACT_KEYWORD
    elif any(_contains(title, v) for v in variants):
        score = PHRASE_TITLE
    elif any(_contains(k, v) for k in keywords for v in variants):
        score = PHRASE_KEYWORD
    else:
        score = 0
    in_title = in_keywords = 0
    for clause in query.clauses:
        options = [alt for alt in clause if doc_words.could_hold(alt)]
        in_title += any(_contains(title, alt) for alt in options)
        in_keywords += any(_contains(k, alt) for k in keywords for alt in options)
    return score + (WORDS_IN_TITLE * in_title + WORDS_IN_KEYWORDS * in_keywords) / len(
        query.clauses
    )


def _ranked(
    clauses: list[PhraseClause], language: str, backend: Backend
) -> list[tuple[float, SearchDocument]]:
    matches = backend.match_documents(clauses, language, require_all=True, limit=CANDIDATE_POOL)
    if not matches and len(clauses) > 1:
        # Nothing has every word: show pages with some of them rather than nothing.
        matches = backend.match_documents(
            clauses, language, require_all=False, limit=CANDIDATE_POOL
        )
    if not matches:
        return []
    relevance = dict(matches)
    best = max(relevance.values())
    documents = SearchDocument.objects.defer("body").in_bulk(list(relevance))
    shape = _QueryShape.of(clauses)
    scored = [
        (
            (_headline_score(doc, shape) + TEXT_RELEVANCE * relevance[pk] / best) * doc.boost,
            doc,
        )
        for pk, doc in documents.items()
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return scored


def search(query: str, language: str = "en", limit: int = 20) -> SearchResults:
    """Published procedures, conditions and specialties matching `query`, best first."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not words(query):
        return SearchResults(query=query)
    backend = get_backend()
    language = _language(language)
    plan = make_plan(query, backend, language)
    scored = _ranked(plan.clauses, language, backend)
    hits = tuple(
        Hit(
            kind=doc.kind,
            slug=doc.slug,
            title=doc.title,
            url=doc.url,
            snippet=Truncator(doc.summary).chars(SNIPPET_CHARS),
            score=round(score, 3),
        )
        for score, doc in scored[:limit]
    )
    return SearchResults(
        query=query, hits=hits, corrected_query=plan.corrected_query, total=len(scored)
    )


def autocomplete(prefix: str, language: str = "en", limit: int = 8) -> list[Suggestion]:
    """Pages whose words start with what has been typed so far (two characters or more)."""
    prefix = prefix.strip()[:MAX_QUERY_LENGTH]
    if len("".join(words(prefix))) < 2:
        return []
    backend = get_backend()
    language = _language(language)
    plan = make_plan(prefix, backend, language, prefix_last=True)
    scored = _ranked(plan.clauses, language, backend)
    # What is typed is the start of a name: "osteo" wants Osteopathic Medicine before
    # Knee osteoarthritis, whatever their scores.
    typed = " ".join(words(prefix))
    scored.sort(key=lambda pair: not " ".join(words(pair[1].title)).startswith(typed))
    return [
        Suggestion(label=doc.title, kind=doc.kind, url=doc.url, slug=doc.slug)
        for _s, doc in scored[:limit]
    ]


def is_search_term(word: str, language: str = "en") -> bool:
    """Whether a guide uses the word (a billing code such as 97110 is not a ZIP code then)."""
    clauses = [((word.lower(),),)]
    return bool(get_backend().match_documents(clauses, _language(language), True, limit=1))
