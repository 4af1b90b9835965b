"""Build and refresh the provider index from the directory models.

The heavy part is set-based SQL in the backend (INSERT ... SELECT over roles, practitioners,
locations and their children). Python does only what SQL cannot do the same way on both
databases: folding names into words (accents, hyphens) and the small topic vocabulary.
"""

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import transaction

from careatlas.procedures.models import Condition, Guide, Procedure, Specialty
from careatlas.providers.models import Practitioner, stale_after_days
from careatlas.search.providers.backends import (
    ORDINAL_GAP,
    TOPIC_WEIGHT,
    Backend,
    BuildStats,
    NameRow,
    TermRow,
    get_backend,
    slot_ordinal,
)
from careatlas.search.text import STOP_WORDS, words

logger = logging.getLogger(__name__)
_STAGE_BATCH = 20_000


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

    for pk, slug, name in Specialty.objects.values_list("id", "slug", "name"):
        add(f"{slug} {name}", specialties=[pk])
    for pk, slug, synonyms in Procedure.objects.values_list("id", "slug", "synonyms"):
        add(" ".join([slug, *(synonyms or ())]), procedures=[pk])
    for procedure_id, title, abbreviation in Guide.objects.published().values_list(
        "procedure_id", "title", "abbreviation"
    ):
        add(f"{title} {abbreviation}", procedures=[procedure_id])
    treats = Procedure.conditions.through.objects.values_list("condition_id", "procedure_id")
    procedures_for: dict[int, list[int]] = {}
    for condition_id, procedure_id in treats:
        procedures_for.setdefault(condition_id, []).append(procedure_id)
    for pk, slug, name, synonyms in Condition.objects.values_list("id", "slug", "name", "synonyms"):
        if pk in procedures_for:
            add(" ".join([slug, name, *(synonyms or ())]), procedures=procedures_for[pk])
    return found


def vocabulary(name_counts: Counter) -> list[TermRow]:
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
    ordinals: dict[int, int] = {}
    for pk, sort_name in staged:
        if pk in previous and previous[pk][1] == sort_name:
            ordinals[pk] = previous[pk][0]
    placed = [((sort_name, pk), ordinals[pk]) for pk, sort_name in staged if pk in ordinals]
    for pk, sort_name in staged:
        if pk in ordinals:
            continue
        key = (sort_name, pk)
        around = backend.neighbours(sort_name, pk)
        for other, ordinal in placed:
            if other < key and (around.before is None or ordinal > around.before):
                around.before = ordinal
            if other > key and (around.after is None or ordinal < around.after):
                around.after = ordinal
            around.last = max(around.last, ordinal)
        ordinal = slot_ordinal(around)
        taken = {o for _key, o in placed}
        if ordinal in taken or backend.ordinal_taken(ordinal):
            # Only after names were appended out of order since the last rebuild.
            ordinal = max([around.last, *taken]) + ORDINAL_GAP
        ordinals[pk] = ordinal
        placed.append((key, ordinal))
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
            backend.replace_terms(vocabulary(counts))
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
        backend.replace_terms(vocabulary(names))


def reindex_practitioners(practitioner_ids: Iterable[int]) -> None:
    """Refresh the rows of a few practitioners (deleted or deactivated ones disappear)."""
    ids = sorted({int(pk) for pk in practitioner_ids})
    if ids:
        _build(ids)
