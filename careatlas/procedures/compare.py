"""Side-by-side comparison of guides: one block per measure, one card per procedure."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from careatlas.procedures.models import Guide, StatKind
from careatlas.procedures.presenters import StatCard, stat_cards


@dataclass
class Cell:
    guide: Guide
    card: StatCard | None = None
    text: str = ""


@dataclass
class Measure:
    label: str
    cells: list[Cell]


@dataclass
class Comparison:
    guides: list[Guide]
    measures: list[Measure]
    sources: list  # (number, source) in footnote order across all procedures


# Where a guide has both a figure and prose on one topic, they share one block, so no
# heading appears twice (the prose says what the number cannot).
_PROSE_WITH_FIGURE = {StatKind.COST: "cost", StatKind.RECOVERY: "recovery"}


def comparison(guides: list[Guide]) -> Comparison:
    numbering: dict[int, int] = {}
    sources = []
    for guide in guides:
        for stat in guide.stats.all():
            if stat.source_id and stat.source_id not in numbering:
                numbering[stat.source_id] = len(numbering) + 1
                sources.append((numbering[stat.source_id], stat.source))
    cards = [stat_cards(g, numbering) for g in guides]
    measures = [
        Measure(
            label=str(kind.label),
            cells=[
                Cell(
                    guide=g,
                    card=cards[j][i],
                    text=getattr(g, _PROSE_WITH_FIGURE[kind]) if kind in _PROSE_WITH_FIGURE else "",
                )
                for j, g in enumerate(guides)
            ],
        )
        for i, kind in enumerate(StatKind)
    ]
    measures.insert(
        0, Measure(_("Who it helps"), [Cell(guide=g, text=g.who_it_helps) for g in guides])
    )
    measures.append(Measure(_("Risks"), [Cell(guide=g, text=g.risks) for g in guides]))
    return Comparison(guides=guides, measures=measures, sources=sources)
