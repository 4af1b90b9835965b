"""Side-by-side comparison of guides: one row per fact, one column per procedure."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from careatlas.procedures.models import Guide, StatKind
from careatlas.procedures.presenters import StatCard, stat_cards


@dataclass
class Comparison:
    guides: list[Guide]
    stat_rows: list[tuple[str, list[StatCard]]]
    text_rows: list[tuple[str, list[str]]]
    sources: list  # (number, source) in footnote order across all columns


def comparison(guides: list[Guide]) -> Comparison:
    numbering: dict[int, int] = {}
    sources = []
    for guide in guides:
        for stat in guide.stats.all():
            if stat.source_id and stat.source_id not in numbering:
                numbering[stat.source_id] = len(numbering) + 1
                sources.append((numbering[stat.source_id], stat.source))
    cards = [stat_cards(g, numbering) for g in guides]
    stat_rows = [
        (str(kind.label), [column[i] for column in cards]) for i, kind in enumerate(StatKind)
    ]
    text_rows = [
        (_("Who it helps"), [g.who_it_helps for g in guides]),
        (_("Recovery"), [g.recovery for g in guides]),
        (_("Cost"), [g.cost for g in guides]),
        (_("Risks"), [g.risks for g in guides]),
    ]
    return Comparison(guides=guides, stat_rows=stat_rows, text_rows=text_rows, sources=sources)
