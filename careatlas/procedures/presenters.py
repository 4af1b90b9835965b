"""Formatting of guide facts for display: ranges, units, review lines, stat cards."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.core.numbers import dollars, grouped
from careatlas.procedures.models import (
    ConditionSection,
    Guide,
    Source,
    StatKind,
    StatRange,
    StatUnit,
)

EN_DASH = "\u2013"


def _plain_number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return grouped(int(value))
    # Keep the precision the source gave (10.3, 32.18), never pad it (10.30).
    places = min(2, -value.normalize().as_tuple().exponent)
    return grouped(value, places)


def _scaled(low: Decimal, high: Decimal) -> tuple[str, str, str]:
    """Big counts read better as '5-10 million' than '5,000,000-10,000,000'."""
    for factor, word in (
        (Decimal(1_000_000_000), _("billion")),
        (Decimal(1_000_000), _("million")),
    ):
        if low >= factor or (low == 0 and high >= factor):
            return _plain_number(low / factor), _plain_number(high / factor), word
    return _plain_number(low), _plain_number(high), ""


def _span(low: str, high: str) -> str:
    return low if low == high else f"{low}{EN_DASH}{high}"


def stat_range(stat: StatRange) -> str:
    """A stat's range with its unit, e.g. '70–85%', '$32.18–$86.50', '0–2 days', '5–10 million'."""
    low, high = Decimal(stat.low), Decimal(stat.high)
    if stat.unit == StatUnit.PERCENT:
        return f"{_span(_plain_number(low), _plain_number(high))}%"
    if stat.unit == StatUnit.USD:
        return _span(dollars(low), dollars(high))
    if stat.unit == StatUnit.PER_YEAR:
        a, b, word = _scaled(low, high)
        return f"{_span(a, b)} {word}".strip()
    count = int(high) if high == high.to_integral_value() else 2
    unit_words = {
        StatUnit.DAYS: ngettext("day", "days", count),
        StatUnit.WEEKS: ngettext("week", "weeks", count),
        StatUnit.MONTHS: ngettext("month", "months", count),
    }
    return f"{_span(_plain_number(low), _plain_number(high))} {unit_words[stat.unit]}"


def citation(source: Source) -> str:
    """A one-line reference: authors. Title. Publisher; year."""
    parts = [
        source.authors.rstrip(".") + "." if source.authors else "",
        source.title.rstrip(".") + ".",
        f"{source.publisher}; {source.year}.",
    ]
    return " ".join(p for p in parts if p)


@dataclass
class StatCard:
    """One card as the reader sees it: the figure and, in words, what it means."""

    kind: str
    label: str
    value: str | None
    qualifier: str = ""
    population: str = ""
    comparison: str = ""
    excludes: str = ""
    year: int | None = None
    method: str = ""
    footnote: int | None = None
    source: Source | None = None
    is_range: bool = False
    language: str = ""  # the language of the card's words (its guide's)

    @property
    def is_known_instead(self) -> bool:
        """No number, but a sourced sentence of what is known."""
        return self.value is None and self.source is not None

    @property
    def facts(self) -> list[tuple[str, str]]:
        """The labelled lines under the figure, only those the card has."""
        lines = [
            # A cost is a price list, not a group of people.
            (_("Applies to") if self.kind == StatKind.COST else _("In whom"), self.population),
            (_("Compared with"), self.comparison),
            (_("Does not cover"), self.excludes),
        ]
        return [(label, text) for label, text in lines if text]


def stat_cards(guide: Guide, footnotes: dict[int, int]) -> list[StatCard]:
    """The four cards in page order; a figure without a trustworthy source is shown as missing."""
    by_kind = {s.kind: s for s in guide.stats.all()}
    cards = []
    for kind in StatKind:
        stat = by_kind.get(kind.value)
        if stat is None or stat.source is None:
            cards.append(StatCard(kind=kind.value, label=str(kind.label), value=None))
            continue
        label = str(kind.label)
        if kind == StatKind.VOLUME and stat.unit == StatUnit.PERCENT:
            label = _("US use per year")  # a share of people, not a count of procedures
        cards.append(
            StatCard(
                kind=kind.value,
                label=label,
                value=stat_range(stat) if stat.has_figure else None,
                qualifier=stat.qualifier,
                population=stat.population,
                comparison=stat.comparison,
                excludes=stat.excludes,
                year=stat.year,
                method=stat.method,
                footnote=footnotes.get(stat.source_id),
                source=stat.source,
                is_range=stat.has_figure and stat.low != stat.high,
                language=guide.language,
            )
        )
    return cards


def filled_count(cards: list[StatCard]) -> int:
    return sum(1 for card in cards if card.value)


def review_line(guide: Guide) -> str:
    if guide.is_reviewed:
        who = guide.reviewer_name
        if guide.reviewer_credentials:
            who = f"{who}, {guide.reviewer_credentials}"
        return _("Medically reviewed by %(who)s on %(date)s") % {
            "who": who,
            "date": formats.date_format(guide.reviewed_on, "DATE_FORMAT"),
        }
    return _("Not yet medically reviewed")


@dataclass
class TranslationNote:
    """What a translated guide says about itself: its base, its review, whether it is behind."""

    based_on: str
    review: str
    outdated: str = ""
    original_url: str = ""
    original_language: str = ""


def translation_note(guide: Guide, original: Guide | None) -> TranslationNote | None:
    """The lines a translation shows under its title; None for a guide in the site's language."""
    if not guide.is_translation:
        return None
    if guide.translated_from_date:
        based_on = _("Translated from the English guide of %(date)s.") % {
            "date": formats.date_format(guide.translated_from_date, "DATE_FORMAT")
        }
    else:  # made in the back office without saying what it follows
        based_on = _("Translated from the English guide (date not recorded).")
    # The reviewers signed off the words they read: a translation is reviewed only if a
    # reviewer signed off the translated text itself.
    if guide.is_reviewed:
        review = review_line(guide)
    elif original is not None and original.is_reviewed:
        review = _(
            "The English guide was medically reviewed by %(who)s on %(date)s; "
            "this translation has not been medically reviewed."
        ) % {
            "who": original.reviewer_name,
            "date": formats.date_format(original.reviewed_on, "DATE_FORMAT"),
        }
    else:
        review = _("This translation has not been medically reviewed.")
    note = TranslationNote(based_on=based_on, review=review)
    if guide.translation_outdated(original):
        changed = original.content_changed_at or original.updated_at
        note.outdated = _(
            "The English guide was updated on %(date)s, after this translation was made, "
            "so this page may be out of date."
        ) % {"date": formats.date_format(timezone.localtime(changed).date(), "DATE_FORMAT")}
        note.original_url, note.original_language = original.own_url(), original.language
    return note


def last_updated_line(guide: Guide) -> str:
    return _("Last updated %(date)s") % {
        "date": formats.date_format(timezone.localtime(guide.updated_at).date(), "DATE_FORMAT")
    }


def contents(guide: Guide, has_alternatives: bool, has_sources: bool) -> list[tuple[str, str]]:
    """The "On this page" list: (anchor, heading) of each section the guide shows."""
    sections = [
        ("stats-h", _("Key figures"), True),
        ("who-h", _("Who it helps"), bool(guide.who_it_helps)),
        ("expect-h", _("What to expect"), bool(guide.what_to_expect)),
        ("recovery-h", _("Recovery"), bool(guide.recovery)),
        ("cost-h", _("Cost range"), bool(guide.cost)),
        ("risks-h", _("Risks"), bool(guide.risks)),
        ("questions-h", _("Questions to ask your doctor"), bool(guide.questions.all())),
        ("faq-h", _("Frequently asked"), bool(guide.faq.all())),
        ("alt-h", _("Alternatives"), has_alternatives),
        ("deep-h", _("Deep dive"), bool(guide.deep_dive)),
        ("sources-h", _("Sources"), has_sources),
        ("review-h", _("Medical review"), True),
    ]
    return [(anchor, str(title)) for anchor, title, shown in sections if shown]


def months_since(day: datetime.date | None, today: datetime.date | None = None) -> int | None:
    if day is None:
        return None
    today = today or timezone.localdate()
    return max(0, (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day))


@dataclass
class ConditionSectionView:
    anchor: str
    title: str
    text: str
    footnotes: list[int]


def condition_sections(page) -> tuple[list[ConditionSectionView], list[tuple[int, Source]]]:
    """A condition page's sections in order, each with footnote numbers into one source list."""
    numbering: dict[int, int] = {}
    sources: list[tuple[int, Source]] = []
    cited: dict[str, list[int]] = {}
    for ps in page.page_sources.all():
        if ps.source_id not in numbering:
            numbering[ps.source_id] = len(numbering) + 1
            sources.append((numbering[ps.source_id], ps.source))
        cited.setdefault(ps.section, []).append(numbering[ps.source_id])
    sections = [
        ConditionSectionView(
            anchor=section.value.replace("_", "-"),
            title=str(section.label),
            text=getattr(page, section.value),
            footnotes=cited.get(section.value, []),
        )
        for section in ConditionSection
        if getattr(page, section.value)
    ]
    return sections, sources
