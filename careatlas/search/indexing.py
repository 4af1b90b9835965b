"""Build the search index from published content: documents, full-text rows, vocabulary."""

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.utils import translation

from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Condition, Guide, Specialty
from careatlas.search.backends import IndexedText, get_backend
from careatlas.search.models import DocumentKind, SearchDocument, SearchTerm
from careatlas.search.synonyms import CAPITALISED_ABBREVIATIONS, SYNONYMS
from careatlas.search.text import STOP_WORDS, fold, words

# Exact and phrase matches decide the order; these only break ties between kinds.
BOOSTS = {DocumentKind.PROCEDURE: 1.2, DocumentKind.CONDITION: 1.1, DocumentKind.SPECIALTY: 1.0}
# A word in a title or keyword counts this many times a body word, so a typo is
# corrected towards "replacement" rather than some rarer word of the running text.
HEADLINE_WEIGHT = 10
_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")


def _text(*parts: str | None) -> str:
    return fold(_LINK_TARGET.sub("]", "\n".join(p for p in parts if p)))


def _phrases(*groups: Iterable[str | None]) -> str:
    seen: dict[str, None] = {}
    for group in groups:
        for phrase in group:
            folded = " ".join(words(phrase or ""))
            if folded:
                seen.setdefault(folded, None)
    return "\n".join(seen)


def _guide_documents(language: str) -> Iterator[SearchDocument]:
    guides = (
        Guide.objects.published()
        .pick_language(language)
        .select_related("procedure__specialty")
        .prefetch_related("procedure__conditions", "procedure__codes", "faq", "questions")
    )
    for guide in guides:
        procedure = guide.procedure
        conditions = list(procedure.conditions.all())
        yield SearchDocument(
            kind=DocumentKind.PROCEDURE,
            object_id=procedure.pk,
            slug=procedure.slug,
            language=language,
            title=guide.title,
            keywords=_phrases(
                [guide.abbreviation, procedure.specialty.name],
                procedure.synonyms,
                [c.name for c in conditions],
                [code.code for code in procedure.codes.all()],
            ),
            body=_text(
                guide.summary,
                guide.who_it_helps,
                guide.what_to_expect,
                guide.recovery,
                guide.cost,
                guide.risks,
                guide.deep_dive_title,
                guide.deep_dive,
                *(q.text for q in guide.questions.all()),
                *(f"{item.question}\n{item.answer}" for item in guide.faq.all()),
                *(synonym for c in conditions for synonym in c.synonyms),
            ),
            summary=guide.summary,
            url=guide.get_absolute_url(),
            boost=BOOSTS[DocumentKind.PROCEDURE],
        )


def _condition_documents(language: str) -> Iterator[SearchDocument]:
    for condition in Condition.objects.with_published_guides().select_related("specialty"):
        yield SearchDocument(
            kind=DocumentKind.CONDITION,
            object_id=condition.pk,
            slug=condition.slug,
            language=language,
            title=condition.name,
            keywords=_phrases(condition.synonyms),
            body=_text(condition.summary, condition.specialty and condition.specialty.name),
            summary=condition.summary,
            url=condition.get_absolute_url(),
            boost=BOOSTS[DocumentKind.CONDITION],
        )


def _specialty_documents(language: str) -> Iterator[SearchDocument]:
    titles: dict[int, list[str]] = {}
    published = Guide.objects.published().pick_language(language).select_related("procedure")
    for guide in published:
        titles.setdefault(guide.procedure.specialty_id, []).append(guide.title)
    for specialty in Specialty.objects.with_published_guides():
        yield SearchDocument(
            kind=DocumentKind.SPECIALTY,
            object_id=specialty.pk,
            slug=specialty.slug,
            language=language,
            title=specialty.name,
            keywords="",
            body=_text(specialty.description, *titles.get(specialty.pk, [])),
            summary=specialty.description,
            url=specialty.get_absolute_url(),
            boost=BOOSTS[DocumentKind.SPECIALTY],
        )


def collect_documents() -> list[SearchDocument]:
    """Every public page search can land on, once per site language (URLs differ)."""
    documents = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            documents += _guide_documents(language)
            documents += _condition_documents(language)
            documents += _specialty_documents(language)
    return documents


def _vocabulary(documents: list[SearchDocument]) -> dict[str, int]:
    weights: Counter[str] = Counter()
    for doc in documents:
        headline = set(words(doc.title)) | set(words(doc.keywords))
        for word in headline | set(words(doc.body)):
            weights[word] += HEADLINE_WEIGHT if word in headline else 1
    for phrase in [*SYNONYMS, *CAPITALISED_ABBREVIATIONS]:
        for word in words(phrase):
            weights[word] += 1
    return {
        word: weight
        for word, weight in sorted(weights.items())
        # Numbers (codes, years) are matched as typed, never corrected.
        if word not in STOP_WORDS and 2 <= len(word) <= 60 and not word.isdigit()
    }


@transaction.atomic
def rebuild_index() -> int:
    """Replace the whole index with the current published content; returns the page count.

    The site has a few dozen pages, so a full rebuild (tens of milliseconds) is simpler
    and safer than tracking which page changed.
    """
    backend = get_backend()
    SearchDocument.objects.all().delete()
    documents = SearchDocument.objects.bulk_create(collect_documents())
    backend.replace_documents(
        [IndexedText(d.pk, d.language, fold(d.title), d.keywords, d.body) for d in documents]
    )
    _update_vocabulary(_vocabulary(documents))
    backend.replace_terms()
    return len(documents)


def _update_vocabulary(wanted: dict[str, int]) -> None:
    """Write only the words that changed: an edit touches a handful of the vocabulary."""
    current = {t.term: t for t in SearchTerm.objects.all()}
    gone = [t.pk for word, t in current.items() if word not in wanted]
    SearchTerm.objects.filter(pk__in=gone).delete()
    added = [SearchTerm(term=w, weight=n) for w, n in wanted.items() if w not in current]
    SearchTerm.objects.bulk_create(added)
    changed = []
    for word, term in current.items():
        if word in wanted and term.weight != wanted[word]:
            term.weight = wanted[word]
            changed.append(term)
    SearchTerm.objects.bulk_update(changed, ["weight"], batch_size=500)


def refresh_index() -> int:
    """Rebuild the index, then retire cached pages that may show the old one."""
    count = rebuild_index()
    # Search pages cached between the content commit and this rebuild were keyed by
    # the new site version but show the old index; a newer version retires them.
    SiteVersion.bump()
    return count


def reindex_on_content_change(sender, **kwargs) -> None:
    """content_changed receiver: runs after the content transaction has committed."""
    refresh_index()
