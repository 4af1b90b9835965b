"""One per-row aggregate of the index build, written two ways from one definition.

Reindexing a few practitioners wants a correlated subquery per row: a handful of index
probes. A full rebuild wants the opposite: aggregate the whole child table once and hash-join
it, since a million correlated probes per column cost tens of seconds on PostgreSQL, which
does not turn such subqueries into joins by itself.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Aggregate:
    alias: str  # the joined form's table alias
    source: str  # "FROM <table> x [JOIN ...]"
    key: str  # the grouping column, e.g. "x.practitioner_id"
    outer: str  # what it matches in the outer query, e.g. "p.id"
    value: str  # an aggregate expression over the source rows
    where: str = "TRUE"
    default: str = "NULL"  # the value when no source row matches

    def correlated(self) -> str:
        return (
            f"coalesce((SELECT {self.value} {self.source}"
            f" WHERE {self.key} = {self.outer} AND {self.where}), {self.default})"
        )

    def join(self) -> str:
        return (
            f" LEFT JOIN (SELECT {self.key} AS key, {self.value} AS value {self.source}"
            f" WHERE {self.where} GROUP BY {self.key}) {self.alias}"
            f" ON {self.alias}.key = {self.outer}"
        )

    def joined(self) -> str:
        return f"coalesce({self.alias}.value, {self.default})"


def render(aggregates: dict[str, Aggregate], full: bool) -> tuple[dict[str, str], str]:
    """Each aggregate's SQL expression by name, and the joins they need (none unless full)."""
    if not full:
        return {name: a.correlated() for name, a in aggregates.items()}, ""
    joins = "".join(a.join() for a in aggregates.values())
    return {name: a.joined() for name, a in aggregates.items()}, joins
