"""Directory data as API data: search results, filter choices, suggestions and profiles.

Profiles reuse the profile page's presenter (`profile_page`), so every fact has the same
label, value and badge as on the page; the API adds the verification record behind each badge.
"""

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from careatlas.api.links import NAMESPACE, absolute, api_url
from careatlas.api.registry_presenters import claims_data, registry_data
from careatlas.core.reversing import reverser
from careatlas.providers.models import (
    AcceptingPatients,
    AccessibilityFeature,
    Method,
    Practitioner,
    Verification,
)
from careatlas.providers.presenters import (
    FactView,
    PlaceView,
    ProcedureView,
    ProfilePage,
    language_names,
    place_confirmations,
    profile_page,
)
from careatlas.search.interface import (
    ProviderHit,
    ProviderResults,
    ProviderSearchForm,
    ProviderSuggestion,
)

# Methods whose `verified_by` names a data source (a registry, a claims file). The other
# methods are carried out by people, whose names the public never sees.
SOURCE_METHODS = {Method.REGISTRY_MATCH, Method.CLAIMS_DATA}
FILTER_FIELDS = (
    "procedure",
    "specialty",
    "radius",
    "insurance",
    "language",
    "sex",
    "access",
    "min_volume",
    "min_rating",
    "sort",
)


def _detail_urls() -> Callable[[str], str]:
    """NPI -> its API detail URL, with one URL reversal for a whole page of hits."""
    url_for = reverser(f"{NAMESPACE}:provider_detail", "0000000000")
    return lambda npi: absolute(url_for(npi))


def _hit(hit: ProviderHit, detail_url: Callable[[str], str], confirmed: dict) -> dict:
    return {
        "npi": hit.npi,
        "name": hit.name,
        "url": absolute(hit.url),
        "api_url": detail_url(hit.npi),
        "specialties": hit.specialties,
        "place": {
            "address": hit.address,
            "city": hit.city,
            "state": hit.state,
            "latitude": hit.latitude,
            "longitude": hit.longitude,
            "phone": hit.phone,
        },
        "distance_miles": round(hit.distance_miles, 2) if hit.distance_miles is not None else None,
        "accepting_new_patients": hit.accepting_new_patients,
        "telehealth": hit.telehealth,
        "verified": hit.verified,
        "board_certified": hit.board_certified,
        "is_demo": hit.is_demo,
        "review_count": hit.review_count,
        "rating": float(hit.rating) if hit.rating is not None else None,
        "procedure_volume": hit.procedure_volume,
        "volume_year": hit.volume_year,
        "confirmed_by_practice": sorted(confirmed),
    }


def search_data(form: ProviderSearchForm, results: ProviderResults, lang_query: str) -> dict:
    """One page of results, with links to the pages around it in the page's canonical form."""

    def link(**changes) -> str:
        query = "&".join(part for part in (form.canonical_query(**changes), lang_query) if part)
        return api_url("provider_search", query)

    page, pages = results.page, results.pages
    near = form.resolved_location
    detail_url = _detail_urls()
    confirmed = place_confirmations([(h.practitioner_id, h.location_id) for h in results.hits])
    previous = min(page - 1, pages)
    return {
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "page": page,
        "page_size": results.page_size,
        "pages": pages,
        "location": {"label": near.label, "latitude": near.latitude, "longitude": near.longitude}
        if near
        else None,
        "radius_miles": results.query.radius_miles if near else None,
        "corrected_text": results.corrected_text or None,
        "notes": [str(note) for note in results.notes],
        "results": [
            _hit(hit, detail_url, confirmed[(hit.practitioner_id, hit.location_id)])
            for hit in results.hits
        ],
        "links": {
            "self": link(),
            "next": link(page=page + 1) if page < pages else None,
            "previous": link(page=previous if previous > 1 else None) if page > 1 else None,
        },
    }


def filter_choices(form: ProviderSearchForm) -> dict:
    """What each select and checkbox group of the search page offers, labels included."""
    # A select's options are its widget's: min_volume is a number field offered as a select.
    return {
        name: [
            {"value": str(value), "label": str(label)}
            for value, label in form.fields[name].widget.choices
        ]
        for name in FILTER_FIELDS
    }


def suggestion_data(suggestion: ProviderSuggestion) -> dict:
    return {
        "npi": suggestion.npi,
        "label": suggestion.label,
        "detail": suggestion.detail,
        "url": absolute(suggestion.url),
        "api_url": api_url("provider_detail", npi=suggestion.npi),
    }


def public_verifier(verification: Verification) -> str:
    if verification.method in SOURCE_METHODS:
        return verification.verified_by
    if verification.method == Method.OFFICE_CONFIRMATION:
        return _("The practice")
    return _("CareAtlas verification team")


def _verification(verification: Verification | None, today: datetime.date) -> dict | None:
    if verification is None:
        return None
    return {
        "fact": verification.fact,
        "method": verification.method,
        "method_label": str(verification.get_method_display()),
        "verified_by": public_verifier(verification),
        "verified_on": verification.verified_on,
        "stale": verification.is_stale(today),
        "disputed": verification.disputed,
    }


class _Facts:
    """FactViews of the page with the verification record behind each badge."""

    def __init__(self, page: ProfilePage, today: datetime.date):
        practitioner = page.practitioner
        roles = [place.role for place in page.places]
        subjects = [
            practitioner,
            *practitioner.licenses.all(),
            *practitioner.certifications.all(),
            *roles,
            *{place.location.pk: place.location for place in page.places}.values(),
            *[offered for role in roles for offered in role.offered_procedures.all()],
        ]
        self.by_key = {f"{v.fact}:{v.subject_id}": v for v in Verification.objects.about(*subjects)}
        self.today = today

    def __call__(self, view: FactView | None) -> dict | None:
        if view is None:
            return None
        return {
            "fact": view.key.partition(":")[0],
            "label": str(view.label),
            "value": str(view.value),
            "status": view.badge.state,
            "status_text": str(view.badge.text),
            "status_detail": str(view.badge.detail),
            "confirmed_by_practice": view.badge.by_practice,
            "verification": _verification(self.by_key.get(view.key), self.today),
        }


def _languages(codes: list[str]) -> list[dict]:
    return [
        {"code": code, "name": name}
        for code, name in zip(codes, language_names(codes), strict=True)
    ]


def _paired(objects, views) -> list[tuple]:
    """(object, view) pairs, matched by the id in each view's fact key ("license:12")."""
    by_pk = {obj.pk: obj for obj in objects}
    pairs = []
    for view in views:
        key = (view.offered if isinstance(view, ProcedureView) else view).key
        pk = int(key.partition(":")[2])
        if pk in by_pk:
            pairs.append((by_pk[pk], view))
    return pairs


def _place(place: PlaceView, fact: _Facts) -> dict:
    role, location = place.role, place.location
    organization = role.organization
    return {
        "heading": place.heading,
        "organization": {
            "name": organization.name,
            "npi": organization.npi or None,
            "website": organization.website or None,
        }
        if organization is not None
        else None,
        "location": {
            "name": location.name,
            "address": place.address,
            "city": location.city,
            "state": location.state,
            "zip_code": location.zip_code,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "phone": location.phone,
            "telehealth": location.telehealth,
            "video_visits": location.video_visits,
            "phone_visits": location.phone_visits,
            "staff_languages": _languages(location.staff_languages),
            "accessibility": [
                {"code": code, "label": str(AccessibilityFeature(code).label)}
                for code in location.accessibility
            ],
            "hours": [{"day": day, "hours": hours} for day, hours in place.hours],
        },
        "accepting_new_patients": {
            "code": role.accepting_new_patients,
            "label": str(AcceptingPatients(role.accepting_new_patients).label),
        },
        "specialties": [
            {"code": item.code, "name": name, "primary": item.is_primary}
            for item, name in zip(role.specialties.all(), place.specialties, strict=True)
        ],
        "procedures": [
            {
                "slug": offered.procedure.slug,
                "name": view.name,
                "url": absolute(view.url) if view.url else None,
                "self_pay_low": float(offered.self_pay_low) if offered.has_price else None,
                "self_pay_high": float(offered.self_pay_high) if offered.has_price else None,
                "self_pay_text": view.price,
                "offered": fact(view.offered),
                "price": fact(view.price_fact),
            }
            for offered, view in _paired(role.offered_procedures.all(), place.procedures)
        ],
        "insurance": [
            {"slug": plan.slug, "name": plan.name, "plan_type": plan.plan_type}
            for plan in role.insurance_plans.all()
        ],
        "facts": [fact(view) for view in place.facts],
        "hours": fact(place.hours_fact),
        "coverage": fact(place.insurance_fact),
    }


def provider_detail(practitioner: Practitioner, today: datetime.date | None = None) -> dict:
    """A practitioner loaded by `access.with_profile()`, as its profile page shows it, with its
    public-registry facts and Medicare claims."""
    today = today or timezone.localdate()
    page = profile_page(practitioner, today)
    fact = _Facts(page, today)
    registry, taxonomy_attribution = registry_data(page)
    licenses = _paired(practitioner.licenses.all(), page.licenses)
    certifications = _paired(practitioner.certifications.all(), page.certifications)
    return {
        "npi": practitioner.npi,
        "name": practitioner.name,
        "display_name": practitioner.display_name,
        "credentials": list(practitioner.credentials),
        "sex": practitioner.sex,
        "languages": _languages(practitioner.languages),
        "photo_url": absolute(practitioner.photo_url) if practitioner.photo_url else None,
        "bio": practitioner.bio,
        "education": page.education,
        "verified": page.verified,
        "is_demo": practitioner.is_demo,
        "url": absolute(practitioner.get_absolute_url()),
        "report_url": absolute(reverse("providers:report", args=[practitioner.npi])),
        "specialties": page.specialties,
        "identity": fact(page.identity),
        "languages_fact": fact(page.languages_fact),
        "education_fact": fact(page.education_fact),
        "bio_fact": fact(page.bio_fact),
        "practice": {
            "claimed": practitioner.claimed_on is not None,
            "claimed_on": practitioner.claimed_on,
            "confirmed_on": practitioner.practice_confirmed_on,
            "notice": page.practice_notice or None,
        },
        "reviews": {
            "count": practitioner.review_count,
            "rating": float(practitioner.rating) if practitioner.rating is not None else None,
            "enough_to_judge": practitioner.rating is not None,
        },
        "accuracy": {
            "percent": page.accuracy.percent,
            "current": page.accuracy.current,
            "total": page.accuracy.total,
            "method_url": absolute(reverse("accuracy")),
        }
        if page.accuracy
        else None,
        "licenses": [
            {
                "state": item.state,
                "number": item.number,
                "status": item.status,
                "expires_on": item.expires_on,
                "fact": fact(view),
            }
            for item, view in licenses
        ],
        "certifications": [
            {
                "board": item.board,
                "specialty": item.specialty,
                "status": item.status,
                "expires_on": item.expires_on,
                "fact": fact(view),
            }
            for item, view in certifications
        ],
        "places": [_place(place, fact) for place in page.places],
        "registry": registry,
        "claims": claims_data(page),
        "taxonomy_attribution": taxonomy_attribution,
    }
