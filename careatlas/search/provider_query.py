"""Provider search: a ProviderQuery in, a page of ProviderHits out, on either database.

The engine resolves everything a patient can ask for to index values (slugs to ids, flags
to bits, text to clauses), lets the vendor's backend find one page and the total, and
fills the hits from the directory models (a few primary-key reads for at most 50 rows),
with exact great-circle distances.
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from careatlas.core.memo import for_content_version
from careatlas.core.reversing import reverser
from careatlas.procedures.models import Procedure, Specialty
from careatlas.providers.geocoding import distance_miles
from careatlas.providers.models import (
    InsurancePlan,
    Location,
    Practitioner,
    PractitionerRole,
    Sex,
    takes_requests_here,
)
from careatlas.search.backends import get_backend
from careatlas.search.backends.base import Backend
from careatlas.search.backends.values import (
    ACCEPTING,
    ACCESSIBILITY_BITS,
    DEMO,
    SEX_CODES,
    TELEHEALTH,
    Circle,
    Criteria,
    Order,
    Page,
    Row,
    day_number,
    language_token,
)
from careatlas.search.planner import plan_text
from careatlas.search.provider_results import (
    MAX_PAGE_SIZE,
    RADIUS_CHOICES,
    GeoPoint,
    NearbyPlaces,
    NearbyRoles,
    ProviderHit,
    ProviderQuery,
    ProviderResults,
    ProviderSuggestion,
)
from careatlas.search.text import MAX_QUERY_LENGTH, words

# Without a place, results come from the first this-many practitioners in name order
# that can match, and the total is then "at least" (ProviderResults.total_is_lower_bound).
NATIONWIDE_WINDOW = 2_000
MAX_SUGGESTIONS = 20
# What a hit's name and slug are made of (Practitioner.display_name).
_NAME_FIELDS = ("prefix", "first_name", "middle_name", "last_name", "suffix", "credentials")
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{1,8})*$", re.IGNORECASE)


@dataclass
class Resolved:
    """The query as index values, or the reason it can match nothing."""

    criteria: Criteria | None = None
    corrected_text: str = ""
    notes: list[str] = field(default_factory=list)


def _slug_id(model, slug: str) -> int | None:
    # A few hundred slugs per kind at most, edited at human pace (each edit moves the
    # content version): read once, not on every search.
    ids = for_content_version(
        ("slug ids", model._meta.label), lambda: dict(model.objects.values_list("slug", "id"))
    )
    return ids.get(slug)


def resolve_query(query: ProviderQuery, today: int, backend: Backend) -> Resolved:
    """The query as index values (criteria), or notes saying why nothing can match."""
    resolved = Resolved()
    notes = resolved.notes
    if query.min_rating is not None and not 1 <= query.min_rating <= 5:
        notes.append(_("The minimum rating must be from 1 to 5 stars."))
        return resolved
    access = 0
    for feature in query.accessibility:
        if feature not in ACCESSIBILITY_BITS:
            notes.append(_("“%s” is not an accessibility feature we record.") % feature)
            return resolved
        access |= ACCESSIBILITY_BITS[feature]
    if query.sex and query.sex not in Sex.values:
        notes.append(_("“%s” is not a value we record for sex.") % query.sex)
        return resolved
    if query.language and not _LANGUAGE.match(query.language):
        notes.append(_("“%s” is not a language code.") % query.language)
        return resolved
    ids = {}
    for name, model, slug in (
        ("specialty", Specialty, query.specialty),
        ("procedure", Procedure, query.procedure),
        ("plan", InsurancePlan, query.insurance),
    ):
        ids[name] = _slug_id(model, slug) if slug else None
        if slug and ids[name] is None:
            notes.append(_("We do not know “%s”.") % slug)
            return resolved
    if query.min_volume is not None and query.min_volume < 1:
        notes.append(_("The minimum number of Medicare services must be 1 or more."))
        return resolved
    clauses = ()
    text = query.text.strip()[:MAX_QUERY_LENGTH]
    if words(text):
        plan = plan_text(text, backend)
        resolved.corrected_text = plan.corrected_text
        if query.as_typed and plan.corrected_text:
            # "Search instead for ...": the words typed, and nothing matches one of them.
            plan.unmatched = [w for w in words(text) if w not in words(plan.corrected_text)]
            resolved.corrected_text = ""
        if plan.unmatched:
            notes.append(
                _("No provider, specialty, procedure or condition matches “%s”.")
                % " ".join(plan.unmatched)
            )
            return resolved
        clauses = tuple(plan.clauses)
    resolved.criteria = Criteria(
        clauses=clauses,
        specialty_id=ids["specialty"],
        procedure_id=ids["procedure"],
        plan_id=ids["plan"],
        language=language_token(query.language) if query.language else "",
        sex=SEX_CODES.get(query.sex, 0) if query.sex else None,
        flags=(ACCEPTING if query.accepting_new_patients else 0)
        | (TELEHEALTH if query.telehealth else 0),
        accessibility=access,
        verified_on=today if query.verified else None,
        certified_on=today if query.board_certified else None,
        min_volume=query.min_volume,
        volume_procedure_id=volume_procedure(ids["procedure"], clauses),
        min_rating=None if query.min_rating is None else round(query.min_rating * 100),
    )
    return resolved


def volume_procedure(procedure_id: int | None, clauses) -> int | None:
    """Whose Medicare volume a search orders and filters by: the procedure chosen, else the
    one procedure the text names ("colonoscopy"); None (the total) otherwise."""
    if procedure_id is not None:
        return procedure_id
    named = {pk for clause in clauses for pk in clause.procedure_ids}
    return named.pop() if len(named) == 1 else None


def _order(query: ProviderQuery, notes: list[str]) -> Order:
    sort = query.sort or ("distance" if query.near else "name")
    if sort == "rating":
        return Order.RATING
    if sort == "volume":
        return Order.VOLUME
    if sort == "distance" and query.near:
        return Order.DISTANCE
    return Order.NAME


def _radius(miles: float) -> float:
    """The radius asked for, kept within what the index is tuned for (5 to 100 miles)."""
    return min(max(float(miles or 0), 0.1), float(max(RADIUS_CHOICES)))


def _address(location: dict) -> str:
    street = ", ".join(part for part in (location["line1"], location["line2"]) if part)
    return f"{street}, {location['city']}, {location['state']} {location['zip_code']}"


def _hits(
    rows: list[Row],
    query: ProviderQuery,
    today: int,
    volume_procedure_id: int | None,
    backend: Backend,
) -> list[ProviderHit]:
    # Shown whatever the order: the volume for the procedure searched, with its year.
    volumes = backend.volumes_of([r.practitioner_id for r in rows], volume_procedure_id)
    # Read as values, cheaper than deferred-field instances; a practitioner is rebuilt
    # unsaved from its values so the model's name and slug rules still apply.
    practitioners = {
        values["id"]: Practitioner(**values)
        for values in Practitioner.objects.filter(pk__in=[r.practitioner_id for r in rows]).values(
            "id", "npi", *_NAME_FIELDS, "review_count", "review_average"
        )
    }
    locations = {
        values["id"]: values
        for values in Location.objects.filter(pk__in=[r.location_id for r in rows]).values(
            "id", "line1", "line2", "city", "state", "zip_code", "phone"
        )
    }
    # What the index cannot say: which of the four Plan-Net answers (or none) the role
    # gives, and whether its practice answers requests sent here.
    roles = {
        pk: (accepting, takes)
        for pk, accepting, takes in PractitionerRole.objects.filter(
            pk__in=[r.role_id for r in rows]
        )
        .annotate(takes=ExpressionWrapper(takes_requests_here(), output_field=BooleanField()))
        .values_list("pk", "accepting_new_patients", "takes")
    }
    language = get_language() or ""
    specialty_names = for_content_version(
        ("specialty names", language),
        lambda: {s.pk: s.name_in(language) for s in Specialty.objects.all()},
    )
    near = query.near
    # The profile URL of every hit from one reversal (see Practitioner.get_absolute_url).
    profile_url = reverser("providers:profile", "0000000000", "sample-slug")
    hits = []
    for row in rows:
        practitioner = practitioners.get(row.practitioner_id)
        location = locations.get(row.location_id)
        if practitioner is None or location is None:
            continue  # deleted since it was indexed; the delete receiver will drop the row
        accepting, takes = roles.get(row.role_id, ("", False))
        point = (row.latitude, row.longitude)
        hits.append(
            ProviderHit(
                practitioner_id=practitioner.pk,
                npi=practitioner.npi,
                name=practitioner.display_name,
                url=profile_url(practitioner.npi, practitioner.slug),
                specialties=[specialty_names[i] for i in row.specialty_ids if i in specialty_names],
                location_id=location["id"],
                address=_address(location),
                city=location["city"],
                state=location["state"],
                latitude=row.latitude,
                longitude=row.longitude,
                phone=location["phone"],
                distance_miles=(
                    distance_miles((near.latitude, near.longitude), point) if near else None
                ),
                accepting_new_patients=bool(row.flags & ACCEPTING),
                telehealth=bool(row.flags & TELEHEALTH),
                verified=row.verified_until >= today,
                board_certified=row.certified_until >= today,
                is_demo=bool(row.flags & DEMO),
                review_count=practitioner.review_count,
                rating=practitioner.rating,
                procedure_volume=volumes.get(practitioner.pk, (None, None))[0],
                volume_year=volumes.get(practitioner.pk, (None, None))[1],
                role_id=row.role_id,
                accepting=accepting,
                takes_requests=bool(takes),
            )
        )
    return hits


def _speakers_first(
    fetch: Callable[[Criteria, int, int], Page],
    criteria: Criteria,
    language: str,
    limit: int,
    offset: int,
) -> Page:
    """Speakers of `language` first, then everyone else, each part in the order asked for.

    Two searches the backends already answer (with the language filter, and without that
    language), so both databases agree and the plain search costs nothing more.
    """
    speakers = fetch(replace(criteria, language=language), limit, offset)
    others = replace(criteria, without_language=language)
    wanted = limit - len(speakers.rows)
    # A full page of speakers still needs the others' count (one row carries it).
    rest = fetch(others, max(wanted, 1), max(0, offset - speakers.total))
    rows = speakers.rows + (rest.rows if wanted > 0 else [])
    return Page(rows, speakers.total + rest.total, speakers.exact and rest.exact)


def find_providers(query: ProviderQuery) -> ProviderResults:
    """One page of providers for the query, with the total and any did-you-mean."""
    page_size = min(max(1, int(query.page_size or 1)), MAX_PAGE_SIZE)
    page = max(1, int(query.page or 1))
    today = day_number(timezone.localdate())
    backend = get_backend()
    resolved = resolve_query(query, today, backend)
    results = ProviderResults(
        query=query,
        hits=[],
        total=0,
        page=page,
        page_size=page_size,
        corrected_text=resolved.corrected_text,
        notes=resolved.notes,
    )
    if resolved.criteria is None:
        return results
    order = _order(query, results.notes)
    offset = (page - 1) * page_size

    def fetch(criteria: Criteria, limit: int, offset: int) -> Page:
        if query.near:
            circle = Circle(query.near.latitude, query.near.longitude, _radius(query.radius_miles))
            return backend.within(criteria, circle, order, limit, offset)
        return backend.nationwide(criteria, order, limit, offset, NATIONWIDE_WINDOW)

    first = language_token(query.speakers_first) if query.speakers_first else ""
    if first and not resolved.criteria.language and _LANGUAGE.match(first):
        found = _speakers_first(fetch, resolved.criteria, first, page_size, offset)
    else:
        found = fetch(resolved.criteria, page_size, offset)
    results.hits = _hits(found.rows, query, today, resolved.criteria.volume_procedure_id, backend)
    results.total = found.total
    results.total_is_lower_bound = not found.exact
    if not found.exact:
        if resolved.criteria.min_volume is not None:
            message = _(
                "Showing the matches with the most Medicare services; "
                "add a location to see everyone."
            )
        else:
            message = _("Showing the first matches in name order; add a location to see everyone.")
        results.notes.append(message)
    if order is Order.VOLUME and results.hits and not any(h.procedure_volume for h in results.hits):
        if backend.volumes_available():
            results.notes.append(_("None of these providers has Medicare claims data we list."))
        else:
            results.notes.append(_("Procedure volumes are not available yet."))
    return results


def roles_near(
    near: GeoPoint,
    radius_miles: float,
    limit: int,
    offset: int,
    specialty_ids: Collection[int] = (),
    nucc_codes: Collection[str] | None = None,
) -> NearbyRoles:
    """One page of the indexed practitioner roles within the radius, nearest first, with
    one of `specialty_ids` (procedures.Specialty ids, if any) and one of `nucc_codes`
    (RoleSpecialty codes; None: any), and their total: the FHIR PractitionerRole search
    near a point, answered from the index alone (its rows are the active roles of active
    practitioners at located places; callers still read each row through their own rules).
    """
    circle = Circle(near.latitude, near.longitude, float(radius_miles))
    rows, total = get_backend().roles_within(circle, specialty_ids, nucc_codes, limit, offset)
    origin = (near.latitude, near.longitude)
    return NearbyRoles(
        [(role_id, distance_miles(origin, (lat, lon))) for role_id, lat, lon in rows], total
    )


def locations_near(near: GeoPoint, radius_miles: float, limit: int, offset: int) -> NearbyPlaces:
    """One page of the places of indexed roles within the radius, nearest first, and their
    total: the FHIR Location search near a point, from the index alone (callers still read
    each row through their own rules)."""
    circle = Circle(near.latitude, near.longitude, float(radius_miles))
    rows, total = get_backend().locations_within(circle, limit, offset)
    origin = (near.latitude, near.longitude)
    return NearbyPlaces([(pk, distance_miles(origin, (lat, lon))) for pk, lat, lon in rows], total)


def indexed_near(
    column: str, near: GeoPoint, radius_miles: float, specialty_ids: Collection[int] = ()
) -> RawSQL:
    """A subquery of the `role_id`s or `location_id`s of indexed roles whose place lies in the
    bounding box of the circle, and that have one of `specialty_ids` (procedures.Specialty
    ids) if any are given, for `pk__in=` (a superset: the caller cuts at the exact distance
    and checks its own criteria). The index holds the active roles of active practitioners
    at located places; this lets other readers (the FHIR `near` search) use its spatial
    index."""
    circle = Circle(near.latitude, near.longitude, float(radius_miles))
    sql, params = get_backend().entries_in_box(circle, column, specialty_ids)
    # The backend checks `column` against ENTRY_ID_COLUMNS; every value is a parameter.
    return RawSQL(sql, params)  # noqa: S611


def indexed_names(text: str, *, surname_first: bool = False) -> RawSQL | None:
    """A subquery of the ids of public practitioners whose name has a word starting with
    each word of `text` (accents and case folded), or, with `surname_first`, whose name
    starts with `text` surname first: a superset of what a case-insensitive "starts with" on
    the names finds, for `pk__in=`, so the caller can apply its exact rule to a few rows
    instead of reading every practitioner. None when `text` has no word to look up."""
    found = words(text)
    if not found:
        return None
    backend = get_backend()
    if surname_first:
        sql, params = backend.names_starting(" ".join(found))
    else:
        sql, params = backend.names_with_words(found)
    return RawSQL(sql, params)  # noqa: S611 - words are [a-z0-9]+, and parameters


def names_in_directory(typed: list[str]) -> bool:
    """Whether every word is in some practitioner's name and none names a topic ("Sarah
    Jackson", not "knee Jackson"): such words are a person, not a topic and a place."""
    wanted = [w for w in words(" ".join(typed)) if w not in {"dr", "doctor"}]
    if not wanted:
        return False
    terms = get_backend().provider_terms(wanted)
    rows = [terms.get(w) for w in wanted]
    return all(
        r is not None and r.is_name and not (r.specialty_ids or r.procedure_ids) for r in rows
    )


def autocomplete_providers(prefix: str, limit: int = 8) -> list[ProviderSuggestion]:
    """Practitioners whose name words start with what was typed (typos forgiven), by name."""
    prefix = prefix.strip()[:MAX_QUERY_LENGTH]
    if len("".join(words(prefix))) < 2:
        return []
    backend = get_backend()
    plan = plan_text(prefix, backend, names_only=True, prefix_last=True)
    if not plan.clauses or not all(plan.clauses):
        return []
    limit = min(max(1, limit), MAX_SUGGESTIONS)
    found = backend.practitioners_named(plan.clauses, limit)
    for reading in plan.fallbacks:
        if found:
            break
        found = backend.practitioners_named([*plan.clauses[:-1], reading], limit)
    practitioners = Practitioner.objects.only(
        "npi", "prefix", "first_name", "middle_name", "last_name", "suffix", "credentials"
    ).in_bulk([pk for pk, _location in found])
    places = Location.objects.only("city", "state").in_bulk([loc for _pk, loc in found])
    return [
        ProviderSuggestion(
            label=practitioners[pk].display_name,
            url=practitioners[pk].get_absolute_url(),
            npi=practitioners[pk].npi,
            detail=f"{places[location].city}, {places[location].state}"
            if location in places
            else "",
        )
        for pk, location in found
        if pk in practitioners
    ]
