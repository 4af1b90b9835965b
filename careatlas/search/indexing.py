"""Build the search index: guide documents from published content, providers from the directory.

Guides: a few dozen pages, rebuilt whole in one transaction. Providers: set-based SQL in the
backend (INSERT ... SELECT over roles, practitioners, locations and their children); Python
does only what SQL cannot do the same way on both databases: folding names into words
(accents, hyphens) and the small topic vocabulary.
"""

import logging
import re
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import accumulate

from django.conf import settings
from django.db import transaction
from django.utils import translation

from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Condition, Guide, Procedure, Specialty
from careatlas.providers.models import Practitioner, stale_after_days
from careatlas.search.backends import get_backend
from careatlas.search.backends.base import Backend
from careatlas.search.backends.values import (
    ORDINAL_GAP,
    TOPIC_WEIGHT,
    BuildStats,
    IndexedText,
    NameRow,
    TermRow,
    slot_ordinal,
)
from careatlas.search.models import DocumentKind, SearchDocument, SearchTerm
from careatlas.search.synonyms import CAPITALISED_ABBREVIATIONS, SYNONYMS
from careatlas.search.text import STOP_WORDS, fold, words

logger = logging.getLogger(__name__)
_STAGE_BATCH = 20_000

# -- Guides, conditions and specialties ---------------------------------------------

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


def _other_names(obj, language: str, default_names: list[str | None]) -> list[str | None]:
    """Keywords in `language` beyond the title: its synonyms there, and outside the site
    language the site language's names too, so "knee replacement" still works under /es/."""
    if language == settings.LANGUAGE_CODE:
        return list(obj.synonyms_in(language))
    return [*obj.synonyms_in(language), *default_names]


def _guide_documents(language: str) -> Iterator[SearchDocument]:
    guides = (
        Guide.objects.published()
        .pick_language(language)
        .select_related("procedure__specialty")
        .prefetch_related("procedure__conditions", "procedure__codes", "faq", "questions")
    )
    for guide in guides:
        procedure = guide.procedure
        specialty = procedure.specialty
        conditions = list(procedure.conditions.all())
        # A guide not yet translated is still named in the page's language where we can.
        translated = guide.language == language
        title = guide.title if translated else procedure.name_in(language) or guide.title
        yield SearchDocument(
            kind=DocumentKind.PROCEDURE,
            object_id=procedure.pk,
            slug=procedure.slug,
            language=language,
            title=title,
            keywords=_phrases(
                [guide.abbreviation, specialty.name_in(language)],
                _other_names(procedure, language, [guide.title, specialty.name]),
                procedure.synonyms,
                [c.name_in(language) for c in conditions],
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
                *(synonym for c in conditions for synonym in c.synonyms_in(language)),
            ),
            summary=guide.summary,
            url=guide.get_absolute_url(),
            boost=BOOSTS[DocumentKind.PROCEDURE],
        )


def _condition_documents(language: str) -> Iterator[SearchDocument]:
    for condition in Condition.objects.with_published_guides().select_related("specialty"):
        specialty = condition.specialty
        yield SearchDocument(
            kind=DocumentKind.CONDITION,
            object_id=condition.pk,
            slug=condition.slug,
            language=language,
            title=condition.name_in(language),
            keywords=_phrases(
                _other_names(condition, language, [condition.name]), condition.synonyms
            ),
            body=_text(
                condition.summary,
                specialty and specialty.name,
                specialty and specialty.name_in(language),
            ),
            summary=condition.summary,
            url=condition.get_absolute_url(),
            boost=BOOSTS[DocumentKind.CONDITION],
        )


def _specialty_documents(language: str) -> Iterator[SearchDocument]:
    titles = Guide.objects.titles(language)
    by_specialty: dict[int, list[str]] = {}
    for procedure_id, specialty_id in Procedure.objects.values_list("id", "specialty_id"):
        if procedure_id in titles:
            by_specialty.setdefault(specialty_id, []).append(titles[procedure_id])
    for specialty in Specialty.objects.with_published_guides():
        yield SearchDocument(
            kind=DocumentKind.SPECIALTY,
            object_id=specialty.pk,
            slug=specialty.slug,
            language=language,
            title=specialty.name_in(language),
            keywords=_phrases(_other_names(specialty, language, [specialty.name])),
            body=_text(specialty.description, *by_specialty.get(specialty.pk, [])),
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


def _document_vocabulary(documents: list[SearchDocument]) -> dict[tuple[str, str], int]:
    """(language, word) -> weight: each language's words, from its own documents."""
    weights: Counter[tuple[str, str]] = Counter()
    for doc in documents:
        headline = set(words(doc.title)) | set(words(doc.keywords))
        for word in headline | set(words(doc.body)):
            weights[doc.language, word] += HEADLINE_WEIGHT if word in headline else 1
    for language in {doc.language for doc in documents}:
        for phrase in [*SYNONYMS, *CAPITALISED_ABBREVIATIONS]:
            for word in words(phrase):
                weights[language, word] += 1
    return {
        (language, word): weight
        for (language, word), weight in sorted(weights.items())
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
    # A vocabulary per language: Spanish words would "correct" English queries otherwise.
    _update_vocabulary(_document_vocabulary(documents))
    backend.replace_document_terms()
    return len(documents)


def _update_vocabulary(wanted: dict[tuple[str, str], int]) -> None:
    """Write only the words that changed: an edit touches a handful of the vocabulary."""
    current = {(t.language, t.term): t for t in SearchTerm.objects.all()}
    gone = [t.pk for word, t in current.items() if word not in wanted]
    SearchTerm.objects.filter(pk__in=gone).delete()
    added = [
        SearchTerm(language=language, term=w, weight=n)
        for (language, w), n in wanted.items()
        if (language, w) not in current
    ]
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


# -- Providers --------------------------------------------------------------------------


def name_row(pk: int, first: str, middle: str, last: str) -> NameRow:
    first_words, middle_words, last_words = words(first), words(middle), words(last)
    return NameRow(
        pk,
        " ".join([*last_words, *first_words, *middle_words]),
        tuple(dict.fromkeys([*first_words, *middle_words, *last_words])),
    )


def _name_rows(practitioner_ids: list[int] | None, counts: Counter) -> Iterator[NameRow]:
    practitioners = Practitioner.objects.public()
    if practitioner_ids is not None:
        practitioners = practitioners.filter(pk__in=practitioner_ids)
    fields = ("id", "first_name", "middle_name", "last_name")
    for values in practitioners.order_by().values_list(*fields).iterator(_STAGE_BATCH):
        row = name_row(*values)
        counts.update(row.words)
        yield row


def _batches(rows: Iterable[NameRow]) -> Iterator[list[NameRow]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _STAGE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _translated_words(names: dict) -> str:
    """Every name and synonym in every other language: the directory is one, whatever the
    page's language, so "quiropráctico" finds chiropractors on English pages too."""
    return " ".join(
        " ".join([entry.get("name", ""), *entry.get("synonyms", ())]) for entry in names.values()
    )


def topic_words() -> dict[str, tuple[set[int], set[int]]]:
    """Each word of a specialty, procedure or condition name -> (specialty ids, procedure ids).

    Conditions stand for the procedures that treat them: "back pain" finds providers who
    offer a procedure for low back pain.
    """
    found: dict[str, tuple[set[int], set[int]]] = {}

    def add(text: str, specialties=(), procedures=()) -> None:
        for word in words(text.replace("-", " ")):
            if word in STOP_WORDS or len(word) < 2 or word.isdigit():
                continue
            entry = found.setdefault(word, (set(), set()))
            entry[0].update(specialties)
            entry[1].update(procedures)

    for pk, slug, name, names in Specialty.objects.values_list("id", "slug", "name", "names"):
        add(f"{slug} {name} {_translated_words(names)}", specialties=[pk])
    for pk, slug, synonyms, names in Procedure.objects.values_list(
        "id", "slug", "synonyms", "names"
    ):
        add(" ".join([slug, *(synonyms or ()), _translated_words(names)]), procedures=[pk])
    for procedure_id, title, abbreviation in Guide.objects.published().values_list(
        "procedure_id", "title", "abbreviation"
    ):
        add(f"{title} {abbreviation}", procedures=[procedure_id])
    treats = Procedure.conditions.through.objects.values_list("condition_id", "procedure_id")
    procedures_for: dict[int, list[int]] = {}
    for condition_id, procedure_id in treats:
        procedures_for.setdefault(condition_id, []).append(procedure_id)
    conditions = Condition.objects.values_list("id", "slug", "name", "synonyms", "names")
    for pk, slug, name, synonyms, names in conditions:
        if pk in procedures_for:
            text = " ".join([slug, name, *(synonyms or ()), _translated_words(names)])
            add(text, procedures=procedures_for[pk])
    return found


def provider_vocabulary(name_counts: Counter) -> list[TermRow]:
    topics = topic_words()
    rows = []
    for term in sorted(set(topics) | set(name_counts)):
        if len(term) > 60:
            continue
        specialties, procedures = topics.get(term, ((), ()))
        rows.append(
            TermRow(
                term,
                name_counts.get(term, 0) + (TOPIC_WEIGHT if term in topics else 0),
                term in name_counts,
                tuple(sorted(specialties)),
                tuple(sorted(procedures)),
            )
        )
    return rows


def _ordinals(backend: Backend, previous: dict[int, tuple[int, str]]) -> dict[int, int]:
    """Name-order ordinals for re-indexed practitioners: their old one if the name is the
    same, else one slotted between their new neighbours (including each other)."""
    staged = sorted(backend.staged_names(), key=lambda row: (row[1], row[0]))
    ordinals = {
        pk: previous[pk][0]
        for pk, sort_name in staged
        if pk in previous and previous[pk][1] == sort_name
    }
    # Names that keep their ordinal, in name order, with the highest ordinal up to each and
    # the lowest from each on: one bisect finds a new name's kept neighbours. Comparing each
    # new name with every placed one was quadratic (466-687 s for 20,000 changed names).
    kept = [((sort_name, pk), ordinals[pk]) for pk, sort_name in staged if pk in ordinals]
    kept_keys = [key for key, _ordinal in kept]
    highest_before = list(accumulate((ordinal for _key, ordinal in kept), max))
    lowest_after = list(accumulate((ordinal for _key, ordinal in reversed(kept)), min))[::-1]
    taken = {ordinal for _key, ordinal in kept}
    highest = max(taken, default=0)
    # New names are placed in name order, so each one sorts after every new name before it.
    highest_new: int | None = None
    for pk, sort_name in staged:
        if pk in ordinals:
            continue
        around = backend.neighbours(sort_name, pk)
        at = bisect_left(kept_keys, (sort_name, pk))
        lower = [around.before, highest_before[at - 1] if at else None, highest_new]
        upper = [around.after, lowest_after[at] if at < len(kept) else None]
        around.before = max((o for o in lower if o is not None), default=None)
        around.after = min((o for o in upper if o is not None), default=None)
        around.last = max(around.last, highest)
        ordinal = slot_ordinal(around)
        if ordinal in taken or backend.ordinal_taken(ordinal):
            # Only after names were appended out of order since the last rebuild.
            ordinal = around.last + ORDINAL_GAP
        ordinals[pk] = ordinal
        taken.add(ordinal)
        highest = max(highest, ordinal)
        highest_new = ordinal if highest_new is None else max(highest_new, ordinal)
    return ordinals


def _build(practitioner_ids: list[int] | None) -> BuildStats:
    backend = get_backend()
    stats = BuildStats()
    counts: Counter = Counter()
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        stats.seconds[name] = now - started
        started = now

    with transaction.atomic():
        previous = backend.begin_build(practitioner_ids)
        for batch in _batches(_name_rows(practitioner_ids, counts)):
            backend.stage_names(batch)
        if practitioner_ids is None:
            backend.number_ordinals()
        else:
            backend.set_ordinals(_ordinals(backend, previous))
        lap("names")
        backend.fill_volumes()
        lap("volumes")
        stats.entries = backend.fill_entries(practitioner_ids, stale_after_days())
        lap("entries")
        stats.names = backend.fill_names(practitioner_ids)
        lap("name index")
        if practitioner_ids is None:
            backend.replace_provider_terms(provider_vocabulary(counts))
        else:
            backend.add_name_terms(dict(counts))
        lap("vocabulary")
        backend.finish_build(full=practitioner_ids is None)
    if practitioner_ids is None:
        backend.settle()
    lap("finish")
    return stats


def rebuild_provider_index(stats: BuildStats | None = None) -> int:
    """Replace the whole provider index (one transaction); returns the number of entries."""
    result = _build(None)
    if stats is not None:
        stats.entries, stats.names, stats.seconds = result.entries, result.names, result.seconds
    logger.info(
        "Provider index rebuilt: %s entries, %s practitioners", result.entries, result.names
    )
    return result.entries


def refresh_topics() -> None:
    """Re-read specialty, procedure and condition words after the content changed."""
    backend = get_backend()
    with transaction.atomic():
        names = Counter(backend.name_term_counts())
        backend.replace_provider_terms(provider_vocabulary(names))


def reindex_practitioners(practitioner_ids: Iterable[int]) -> None:
    """Refresh the rows of a few practitioners (deleted or deactivated ones disappear)."""
    ids = sorted({int(pk) for pk in practitioner_ids})
    if ids:
        _build(ids)
