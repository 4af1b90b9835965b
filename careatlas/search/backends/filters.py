"""SQL pieces both backends share: the WHERE terms of the criteria and the volume join."""

from dataclasses import dataclass, field

from careatlas.search.backends.values import ALL_PROCEDURES, Clause, Criteria, Order


@dataclass(frozen=True)
class VolumeTerms:
    """How a query reaches the volume it orders or filters by: the entry's total, or the
    procedure's row of search_provider_volume joined as `v` (only when it is needed)."""

    column: str = "e.procedure_volume"
    join: str = ""
    params: dict = field(default_factory=dict)


def volume_terms(criteria: Criteria, order: Order) -> VolumeTerms:
    needed = order is Order.VOLUME or criteria.min_volume is not None
    if criteria.volume_procedure_id is None or not needed:
        return VolumeTerms()
    return VolumeTerms(
        column="v.services",
        join=(
            " LEFT JOIN search_provider_volume v ON v.practitioner_id = e.practitioner_id"
            " AND v.procedure_id = %(volume_procedure)s"
        ),
        params={"volume_procedure": criteria.volume_procedure_id},
    )


@dataclass(frozen=True)
class VolumeCandidates:
    """Practitioners who reach `min_volume` for the criteria's procedure (or in total), most
    services first: WHERE and ORDER BY over search_provider_volume as `vc` (its rank index).

    A nationwide search with a minimum volume takes its candidates from here rather than
    from the first names in name order, which might include nobody who qualifies.
    """

    where: str
    order: str
    params: dict


def volume_candidates(criteria: Criteria) -> VolumeCandidates:
    procedure = criteria.volume_procedure_id
    return VolumeCandidates(
        where="vc.procedure_id = %(candidate_procedure)s AND vc.services >= %(min_volume)s",
        order="vc.services DESC, vc.practitioner_id",
        params={
            "candidate_procedure": ALL_PROCEDURES if procedure is None else procedure,
            "min_volume": criteria.min_volume,
        },
    )


class FilterTerms:
    """WHERE terms and parameters for the criteria, cheapest tests first.

    Both backends share the scalar tests; each says how a multi-valued column contains a
    value (`contains`) and how a text clause is written (`_clause`).
    """

    always_true = "1"

    def __init__(self, criteria: Criteria, volume: VolumeTerms | None = None):
        self.params: dict = {}
        terms: list[str] = []
        if criteria.flags:
            terms.append("(e.flags & %(flags)s) = %(flags)s")
            self.params["flags"] = criteria.flags
        if criteria.accessibility:
            terms.append("(e.accessibility & %(access)s) = %(access)s")
            self.params["access"] = criteria.accessibility
        if criteria.sex is not None:
            terms.append("e.sex = %(sex)s")
            self.params["sex"] = criteria.sex
        if criteria.verified_on is not None:
            terms.append("e.verified_until >= %(verified_on)s")
            self.params["verified_on"] = criteria.verified_on
        if criteria.certified_on is not None:
            terms.append("e.certified_until >= %(certified_on)s")
            self.params["certified_on"] = criteria.certified_on
        if criteria.min_rating is not None:
            terms.append("e.rating >= %(min_rating)s")
            self.params["min_rating"] = max(1, criteria.min_rating)
        for column, value in (
            ("specialty_ids", criteria.specialty_id),
            ("procedure_ids", criteria.procedure_id),
            ("plan_ids", criteria.plan_id),
            ("languages", criteria.language or None),
        ):
            if value is not None:
                terms.append(self.contains(column, value))
        if criteria.without_language:
            # Never with `language` (they would share a parameter): see speakers_first.
            terms.append(f"NOT ({self.contains('languages', criteria.without_language)})")
        for clause in criteria.clauses:
            terms.append(self._clause(clause))
        if criteria.min_volume is not None:
            # Last: with a procedure it reads a joined row of search_provider_volume.
            volume = volume or VolumeTerms()
            terms.append(f"{volume.column} >= %(min_volume)s")
            self.params["min_volume"] = criteria.min_volume
            self.params.update(volume.params)
        self.terms = terms

    def contains(self, column: str, value) -> str:
        raise NotImplementedError

    def _clause(self, clause: Clause) -> str:
        raise NotImplementedError

    def sql(self) -> str:
        return " AND ".join(self.terms) if self.terms else self.always_true
