"""What a search returns: typed, immutable values the views, the directory and the API share."""

from dataclasses import dataclass, field

from careatlas.search.models import DocumentKind

KIND_ORDER = [DocumentKind.PROCEDURE, DocumentKind.CONDITION, DocumentKind.SPECIALTY]


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    title: str
    url: str
    snippet: str
    score: float


@dataclass(frozen=True)
class Group:
    kind: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[Hit, ...] = ()
    # The query with typos fixed, when any were ("osteopatic" -> "osteopathic").
    corrected_query: str | None = None
    total: int = 0
    _by_kind: dict[str, tuple[Hit, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_kind = {kind: tuple(h for h in self.hits if h.kind == kind) for kind in KIND_ORDER}
        object.__setattr__(self, "_by_kind", by_kind)

    @property
    def procedures(self) -> tuple[Hit, ...]:
        return self._by_kind[DocumentKind.PROCEDURE]

    @property
    def conditions(self) -> tuple[Hit, ...]:
        return self._by_kind[DocumentKind.CONDITION]

    @property
    def specialties(self) -> tuple[Hit, ...]:
        return self._by_kind[DocumentKind.SPECIALTY]

    @property
    def groups(self) -> list[Group]:
        """Non-empty groups, the one holding the best hit first."""
        groups = [Group(kind, hits) for kind, hits in self._by_kind.items() if hits]
        return sorted(groups, key=lambda g: -g.hits[0].score)


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str
    url: str
    slug: str = ""  # the procedure's, condition's or specialty's slug
