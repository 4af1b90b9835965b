"""How each kind of FHIR search parameter narrows a QuerySet (string, token, reference, date).

Each builder returns `apply(queryset, criterion) -> queryset`. A criterion's values are
alternatives (OR); repeating a parameter ANDs the criteria (the caller applies each in turn).
Values that cannot match anything (a non-numeric id, a code from another system) match
nothing rather than fail: that is what FHIR servers do with well-formed but unknown values.
"""

from collections.abc import Callable
from functools import reduce
from operator import and_, or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from careatlas.core.memo import for_content_version
from careatlas.fhir import params
from careatlas.fhir.params import Criterion
from careatlas.fhir.resources.common import NUCC_SYSTEM, fhir_base
from careatlas.procedures.models import Specialty
from careatlas.providers.models import RoleSpecialty, TaxonomyCode
from careatlas.search.interface import indexed_names

Apply = Callable[[QuerySet, Criterion], QuerySet]
STRING_MODIFIERS = ("exact", "contains")
_STRING_LOOKUPS = {"": "istartswith", "exact": "exact", "contains": "icontains"}
_NOTHING = Q(pk__in=[])


def any_of(alternatives: list[Q]) -> Q:
    return reduce(or_, alternatives) if alternatives else _NOTHING


def string(*fields: str, by_word: bool = False) -> Apply:
    """FHIR string search: starts with (case-insensitive), or :exact, or :contains.

    `by_word` (person names): every word must start one of the fields, so
    name=ana alv finds Ana Alvarez; otherwise the whole value must start a field.
    """

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        lookup = _STRING_LOOKUPS[criterion.modifier]
        alternatives = []
        for value in criterion.values:
            pieces = value.split() if by_word and criterion.modifier != "exact" else [value]
            each_piece = [
                any_of([Q(**{f"{field}__{lookup}": piece}) for field in fields]) for piece in pieces
            ]
            alternatives.append(reduce(and_, each_piece))
        return queryset.filter(any_of(alternatives))

    return apply


def name_indexed(apply: Apply, *, surname_first: bool = False, by_words: bool = False) -> Apply:
    """`apply` on the few practitioners the search index's name table offers rather than on
    the whole table (which a "starts with" on names cannot use an index for). The index
    folds accents and case and matches word prefixes, so what it offers is a superset of
    what `apply` keeps, and `apply` still decides; with `by_words` (`name`: every word
    starts a word of the name) the index alone decides unless a modifier is given.
    `:contains` reads every name."""

    def narrowed(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        if criterion.modifier == "contains":
            return apply(queryset, criterion)
        found = [indexed_names(v, surname_first=surname_first) for v in criterion.values]
        if not all(subquery is not None for subquery in found):
            return apply(queryset, criterion)
        queryset = queryset.filter(any_of([Q(pk__in=subquery) for subquery in found]))
        return queryset if by_words and not criterion.modifier else apply(queryset, criterion)

    return narrowed


def ids(field: str = "pk", numeric: bool = True) -> Apply:
    """`_id`: our numeric primary keys, or another id column (a practitioner's NPI)."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        if not numeric:
            return queryset.filter(**{f"{field}__in": list(criterion.values)})
        wanted = [params.row_id(v) for v in criterion.values]
        return queryset.filter(**{f"{field}__in": [v for v in wanted if v is not None]})

    return apply


def codes(system: str, field: str, *, normalise: Callable[[str], str] = str) -> Apply:
    """Token search on one code column: `code`, `system|code` or `|code` (no system)."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        wanted = []
        for value in criterion.values:
            token = params.token(value)
            if token.system in (None, system) and token.code:
                wanted.append(normalise(token.code))
            elif token.system == system:  # "system|": anything coded in the system
                return queryset.exclude(**{field: ""})
        return queryset.filter(**{f"{field}__in": wanted})

    return apply


def mapped_codes(system: str, meaning: dict[str, str], field: str) -> Apply:
    """Token search over a code system we map onto our own values (e.g. OrgTypeCS)."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        wanted = []
        for value in criterion.values:
            token = params.token(value)
            if token.system in (None, system) and token.code in meaning:
                wanted.append(meaning[token.code])
        return queryset.filter(**{f"{field}__in": wanted})

    return apply


def specialty(role_field: str) -> Apply:
    """NUCC taxonomy codes of a role (RoleSpecialty.code), e.g. 207Q00000X."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        wanted = nucc_codes(criterion)
        found = RoleSpecialty.objects.filter(role_id=OuterRef(role_field))
        if wanted is not None:
            found = found.filter(code__in=wanted)
        return queryset.filter(Exists(found))

    return apply


def nucc_codes(criterion: Criterion) -> list[str] | None:
    """The NUCC codes a specialty criterion asks for; None for "any code"."""
    wanted = []
    for value in criterion.values:
        token = params.token(value)
        if token.system in (None, NUCC_SYSTEM) and token.code:
            wanted.append(token.code.upper())  # NUCC codes are upper case by definition
        elif token.system == NUCC_SYSTEM:
            return None
    return wanted


def _filed_under() -> dict[str, frozenset[int]]:
    """NUCC code -> our Specialty ids its roles are filed under in the search index."""
    filed: dict[str, set[int]] = {}
    for pk, listed in Specialty.objects.order_by().values_list("id", "nucc_codes"):
        for code in listed or ():
            filed.setdefault(code, set()).add(pk)
    mapped = TaxonomyCode.objects.filter(specialty__isnull=False).order_by()
    for code, pk in mapped.values_list("code", "specialty_id"):
        filed.setdefault(code, set()).add(pk)
    return {code: frozenset(ids) for code, ids in filed.items()}


def specialty_facets(criteria: list[Criterion]) -> set[int] | None:
    """Our Specialty ids that roles with the asked-for NUCC codes are filed under in the
    search index (through Specialty.nucc_codes or the imported TaxonomyCode mapping), or
    None when some code has no specialty and the index cannot narrow by it."""
    narrowed = None
    for criterion in criteria:
        codes = nucc_codes(criterion) if criterion.name == "specialty" else None
        if not codes:
            continue
        # A thousand-odd codes at most, changed by editors and NUCC imports: read once.
        filed = for_content_version("nucc codes filed under", _filed_under)
        if any(code not in filed for code in codes):
            continue
        found = set().union(*(filed[code] for code in codes))
        narrowed = found if narrowed is None else narrowed & found
    return narrowed


def reference(target: str, field: str, numeric: bool = True) -> Apply:
    """A reference parameter: `Type/id`, `id` or an absolute URL, to `field`."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        wanted = []
        for value in criterion.values:
            ident = params.reference(criterion.name, value, target, fhir_base())
            if not numeric:
                wanted.append(ident)
            elif (pk := params.row_id(ident)) is not None:
                wanted.append(pk)
        return queryset.filter(**{f"{field}__in": wanted})

    return apply


def related_ids(target: str, model, link: str) -> Apply:
    """A to-many reference (a role's HealthcareServices): some related row has the id."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        wanted = []
        for value in criterion.values:
            ident = params.reference(criterion.name, value, target, fhir_base())
            if (pk := params.row_id(ident)) is not None:
                wanted.append(pk)
        related = model.objects.filter(pk__in=wanted, **{link: OuterRef("pk")})
        return queryset.filter(Exists(related))

    return apply


def last_updated(field: str = "updated_at") -> Apply:
    """`_lastUpdated` with eq (default), gt, lt, ge, le over the value's precision."""

    def apply(queryset: QuerySet, criterion: Criterion) -> QuerySet:
        alternatives = []
        for value in criterion.values:
            when = params.date_range(criterion.name, value)
            alternatives.append(
                {
                    "eq": Q(**{f"{field}__gte": when.start, f"{field}__lt": when.end}),
                    "gt": Q(**{f"{field}__gte": when.end}),
                    "ge": Q(**{f"{field}__gte": when.start}),
                    "lt": Q(**{f"{field}__lt": when.start}),
                    "le": Q(**{f"{field}__lt": when.end}),
                }[when.prefix]
            )
        return queryset.filter(any_of(alternatives))

    return apply
