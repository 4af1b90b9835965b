"""FHIR search: a query string checked against what a resource type supports, then one page
of public matches (with total and any included resources).

What each resource type supports is declared in `careatlas.fhir.registry` as ResourceSearch
values; the CapabilityStatement is built from the same declarations, so the two cannot drift.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.http import QueryDict
from django.utils.translation import gettext as _

from careatlas.fhir import params
from careatlas.fhir.filters import STRING_MODIFIERS, Apply
from careatlas.fhir.outcomes import FhirError
from careatlas.fhir.subsetting import element_names, summary_mode
from careatlas.providers.geocoding import EARTH_RADIUS_MILES
from careatlas.search.interface import GeoPoint, indexed_near

# Parameters that shape the result rather than select resources.
RESULT_PARAMETERS = (
    "_count",
    "_include",
    "_revinclude",
    "page",
    "_format",
    "_summary",
    "_total",
    "_elements",
    "_sort",
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # FHIR SearchParamType: string, token, reference, date, special
    documentation: str  # shown in the CapabilityStatement
    apply: Apply | None  # None: handled by the search itself (near)
    sort: tuple[str, ...] = ()  # fields `_sort` orders by; empty: not sortable

    @property
    def modifiers(self) -> tuple[str, ...]:
        return STRING_MODIFIERS if self.type == "string" else ()


@dataclass(frozen=True)
class Include:
    """`_include` / `_revinclude` value and how to fetch what it adds for a page."""

    name: str  # e.g. "PractitionerRole:location"
    fetch: Callable[[list[models.Model]], list[models.Model]]


@dataclass(frozen=True)
class Geo:
    """Which parameter is a `near` search, and where the place's point is."""

    param: str  # "near" or the chained "location.near"
    index_column: str  # search index column holding this resource's id
    latitude: str
    longitude: str
    # Specialty ids the other criteria imply, so the index can drop other places early.
    facets: Callable[[list[params.Criterion]], set[int] | None] = lambda criteria: None
    # The whole answer (page of (pk, miles), total) from the index alone, when it can give
    # it for these criteria; None otherwise.
    indexed: Callable[["SearchRequest"], tuple[list[tuple[int, float]], int] | None] = (
        lambda request: None
    )


@dataclass(frozen=True)
class ResourceSearch:
    resource_type: str
    public: Callable[[], QuerySet]  # every row the directory may show
    load: Callable[[QuerySet], QuerySet]  # adds what the presenter reads
    by_id: Callable[[str], Q]
    params: tuple[Param, ...]
    includes: tuple[Include, ...] = ()
    revincludes: tuple[Include, ...] = ()
    geo: Geo | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def read(self, resource_id: str) -> models.Model | None:
        if not params.RESOURCE_ID.fullmatch(resource_id):
            return None
        return self.load(self.public().filter(self.by_id(resource_id))).first()


@dataclass
class SearchRequest:
    criteria: list[params.Criterion] = field(default_factory=list)
    near: params.Near | None = None
    count: int = params.DEFAULT_COUNT
    page: int = 1
    includes: list[Include] = field(default_factory=list)
    revincludes: list[Include] = field(default_factory=list)
    summary: str | None = None  # _summary: true, data or count
    elements: frozenset[str] | None = None  # _elements
    total: str = "accurate"  # _total: none skips the count
    sort: list[str] = field(default_factory=list)  # order_by() for _sort
    # Lenient handling: what was not understood and so not applied, said in the Bundle.
    ignored: list[str] = field(default_factory=list)
    # The query as applied (minus paging), to rebuild self/next/previous links.
    items: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Results:
    matches: list[models.Model]
    total: int | None  # None when _total=none spared the count
    included: list[models.Model] = field(default_factory=list)
    distances: dict[int, float] = field(default_factory=dict)  # pk -> miles, near searches
    more: bool = False  # without a total: whether a next page exists


def _unknown(spec: ResourceSearch, name: str) -> FhirError:
    supported = sorted([p.name for p in spec.params] + list(RESULT_PARAMETERS))
    return FhirError(
        _("%(type)s has no search parameter “%(name)s”. Supported: %(supported)s.")
        % {"type": spec.resource_type, "name": name, "supported": ", ".join(supported)},
        code="not-supported",
    )


def _include(spec: ResourceSearch, key: str, value: str) -> Include:
    known = {i.name: i for i in (spec.includes if key == "_include" else spec.revincludes)}
    if value not in known:
        raise FhirError(
            _("%(param)s=%(value)s is not supported for %(type)s. Supported: %(known)s.")
            % {
                "param": key,
                "value": value,
                "type": spec.resource_type,
                "known": ", ".join(known) or _("none"),
            },
            code="not-supported",
        )
    return known[value]


def _sort(spec: ResourceSearch, values: list[str]) -> list[str]:
    order = []
    for name, descending in params.sort_keys(values):
        param = spec.param(name)
        if param is None or not param.sort:
            sortable = [p.name for p in spec.params if p.sort]
            raise FhirError(
                _("%(type)s cannot be sorted by “%(name)s”. Sortable: %(sortable)s.")
                % {"type": spec.resource_type, "name": name, "sortable": ", ".join(sortable)},
                code="not-supported",
            )
        order.extend(("-" if descending else "") + column for column in param.sort)
    return order


def _read(spec: ResourceSearch, request: SearchRequest, key: str, values: list[str]) -> bool:
    """Apply one parameter to the request; True when it belongs in the paging links."""
    name, _sep, modifier = key.partition(":")
    if name in ("_include", "_revinclude"):
        if modifier:
            raise _unknown(spec, key)
        getattr(request, name.lstrip("_") + "s").extend(
            _include(spec, name, value) for value in values
        )
    elif key == "_count":
        request.count = params.count(values)
        return False
    elif key == "page":
        request.page = params.page(values)
        return False
    elif key == "_format":
        return False  # checked with content negotiation
    elif key == "_summary":
        request.summary = summary_mode(values, search=True)
    elif key == "_total":
        request.total = params.total_mode(values)
    elif key == "_elements":
        request.elements = element_names(spec.resource_type, values)
    elif key == "_sort":
        request.sort = _sort(spec, values)
    elif spec.geo and name == spec.geo.param:
        if modifier or len(values) != 1 or "," in values[0]:
            raise FhirError(_("Give one point to search near."))
        request.near = params.near(name, values[0])
    else:
        param = spec.param(name)
        if param is None:
            raise _unknown(spec, key)
        if modifier and modifier not in param.modifiers:
            raise FhirError(
                _("Parameter “%(name)s” does not take the modifier “:%(modifier)s”.")
                % {"name": name, "modifier": modifier},
                code="not-supported",
            )
        request.criteria.extend(params.criterion(key, values))
    return True


def parse(spec: ResourceSearch, query: QueryDict, lenient: bool = False) -> SearchRequest:
    """Check every parameter. Malformed values are a 400 OperationOutcome; so is anything
    unknown or unsupported, unless `lenient`, when it is left out and listed in `ignored`."""
    request = SearchRequest()
    for key, values in query.lists():
        if lenient and key in ("_include", "_revinclude"):
            # Each include stands alone: an unknown one must not drop the others.
            pairs = [(key, [value]) for value in values]
        else:
            pairs = [(key, values)]
        for one_key, one_values in pairs:
            try:
                linked = _read(spec, request, one_key, one_values)
            except FhirError as error:
                if not (lenient and error.code == "not-supported"):
                    raise
                request.ignored.append(error.diagnostics)
                continue
            if linked:
                request.items.extend((one_key, value) for value in one_values)
    if request.near is not None and request.sort:
        refusal = _("Matches near a point come nearest first; leave out _sort.")
        if not lenient:
            raise FhirError(refusal, code="not-supported")
        request.ignored.append(refusal)
        request.sort = []
        request.items = [(key, value) for key, value in request.items if key != "_sort"]
    if request.summary == "count":
        request.count = 0
    return request


def _page_slice(request: SearchRequest) -> slice:
    start = (request.page - 1) * request.count
    return slice(start, start + request.count)


def great_circle_miles(latitude: str, longitude: str, near: params.Near):
    """Haversine distance in SQL from `near` to the row's point (latitude, longitude fields),
    on the same sphere as geocoding.distance_miles (native math functions on SQLite >= 3.35
    and PostgreSQL; Django supplies them to older SQLite)."""
    half_dlat = Radians(F(latitude) - near.latitude) / 2
    half_dlon = Radians(F(longitude) - near.longitude) / 2
    h = Power(Sin(half_dlat), 2) + math.cos(math.radians(near.latitude)) * Cos(
        Radians(F(latitude))
    ) * Power(Sin(half_dlon), 2)
    return ExpressionWrapper(
        2 * EARTH_RADIUS_MILES * ASin(Sqrt(h)), output_field=models.FloatField()
    )


def _near(spec: ResourceSearch, queryset: QuerySet, request: SearchRequest) -> Results:
    """Nearest first. The index answers alone when it can (a role search by specialty);
    otherwise candidates come from its bounding box and the database cuts them at the exact
    great-circle distance, sorts and counts them in one statement, so only one page of rows
    comes back."""
    near, geo = request.near, spec.geo
    # The index pages with LIMIT: a page of none (_count=0, _summary=count) cannot carry
    # the window count, so that goes the other way.
    answered = geo.indexed(request) if request.count else None
    if answered is not None:
        chosen, total = answered
        # Read through the public rule all the same: the index may lag an edit by a moment.
        loaded = spec.load(spec.public()).in_bulk([pk for pk, _miles in chosen])
        matches = [loaded[pk] for pk, _miles in chosen if pk in loaded]
        return Results(matches, total, distances=dict(chosen))
    point = GeoPoint(near.latitude, near.longitude)
    boxed = indexed_near(geo.index_column, point, near.miles, geo.facets(request.criteria) or ())
    within = (
        queryset.filter(pk__in=boxed)
        .annotate(fhir_miles=great_circle_miles(geo.latitude, geo.longitude, near))
        .filter(fhir_miles__lte=near.miles)
    )
    page = _page_slice(request)
    chosen = list(
        within.annotate(fhir_total=Window(Count("pk")))
        .order_by("fhir_miles", "pk")
        .values_list("pk", "fhir_miles", "fhir_total")[page]
        if request.count
        else ()
    )
    # The count rides on the page's rows; past the last page (or for _count=0) ask for it.
    total = chosen[0][2] if chosen else within.count()
    loaded = spec.load(queryset.model.objects.all()).in_bulk([pk for pk, _m, _t in chosen])
    matches = [loaded[pk] for pk, _miles, _total in chosen if pk in loaded]
    return Results(matches, total, distances={pk: miles for pk, miles, _total in chosen})


def _in_order(spec: ResourceSearch, queryset: QuerySet, request: SearchRequest) -> Results:
    """One page in `_sort` order (id order by default). Without a total, one row more than
    the page says whether there is a next page, and the count is never run."""
    ordered = spec.load(queryset.order_by(*request.sort, "pk"))
    page = _page_slice(request)
    if request.total == "none":
        rows = list(ordered[page.start : page.stop + 1]) if request.count else []
        return Results(rows[: request.count], None, more=len(rows) > request.count)
    total = queryset.count()
    matches = list(ordered[page]) if request.count and total > page.start else []
    return Results(matches, total)


def run(spec: ResourceSearch, request: SearchRequest) -> Results:
    queryset = spec.public()
    for criterion in request.criteria:
        queryset = spec.param(criterion.name).apply(queryset, criterion)
    if request.near is not None:
        results = _near(spec, queryset, request)
    else:
        results = _in_order(spec, queryset, request)
    if results.matches:
        seen = {(type(obj), obj.pk) for obj in results.matches}
        for include in [*request.includes, *request.revincludes]:
            for obj in include.fetch(results.matches):
                if (type(obj), obj.pk) not in seen:
                    seen.add((type(obj), obj.pk))
                    results.included.append(obj)
    return results
