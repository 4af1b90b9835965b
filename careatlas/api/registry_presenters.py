"""Public-registry data as API data: a profile's registry facts and Medicare claims, and the
hospital and group practice endpoints.

Everything is read through the pages' presenters (`registry_record`, `claims_evidence`,
`organization_page`), so the API and the pages cannot disagree; this module only reshapes
their values, with each fact's source named.
"""

from django.utils import timezone

from careatlas.api.links import absolute, api_url
from careatlas.providers.claims_presenters import claims_evidence
from careatlas.providers.models import MedicareAssignment, Organization, OrganizationKind
from careatlas.providers.presenters import Badge, ProfilePage
from careatlas.providers.registry_presenters import (
    CARE_COMPARE,
    NPPES,
    PEOPLE_PER_PAGE,
    OrganizationPage,
    assignment_note,
    organization_page,
    organization_url,
    registry_record,
)

# The endpoint of each kind of organization, and the identifier in its path.
ENDPOINTS = {
    OrganizationKind.HOSPITAL: ("hospital_detail", "ccn"),
    OrganizationKind.PRACTICE: ("practice_detail", "pac_id"),
}


def organization_links(organization: Organization) -> tuple[str | None, str | None]:
    """The organization's page and its API address, or (None, None) when it has neither
    (a hospital without a CCN, a practice without a PAC ID)."""
    path = organization_url(organization)
    if not path:
        return None, None
    name, key = ENDPOINTS[OrganizationKind(organization.kind)]
    return absolute(path), api_url(name, **{key: getattr(organization, key)})


def _badge(badge: Badge) -> dict:
    return {
        "status": badge.state,
        "status_text": str(badge.text),
        "status_detail": str(badge.detail),
    }


def _linked(organization: Organization, key: str) -> dict:
    url, api = organization_links(organization)
    return {
        "name": organization.name,
        key: getattr(organization, key),
        "url": url,
        "api_url": api,
        "source": str(CARE_COMPARE),
    }


def registry_data(page: ProfilePage) -> tuple[dict, str | None]:
    """The profile's registry facts, and NUCC's attribution if any NUCC name is given."""
    practitioner = page.practitioner
    record = registry_record(page)
    care_compare = str(CARE_COMPARE)
    school = practitioner.medical_school or None
    assignment = practitioner.medicare_assignment
    dated = practitioner.enumerated_on or practitioner.registry_updated_on
    registry = {
        "medical_school": {
            "name": school,
            "graduation_year": practitioner.graduation_year,
            "source": care_compare,
        }
        if school or practitioner.graduation_year
        else None,
        "medicare_assignment": {
            "code": assignment,
            "label": str(MedicareAssignment(assignment).label),
            "note": assignment_note(MedicareAssignment(assignment)),
            "source": care_compare,
        }
        if assignment
        else None,
        "group_practices": [_linked(org, "pac_id") for org in record.practices],
        "hospital_affiliations": [_linked(org, "ccn") for org in record.hospitals],
        "provider_types": [
            {"code": code, "name": name, "source": record.provider_types_source}
            for code, name in record.provider_types
        ],
        "npi_record": {
            "enumerated_on": practitioner.enumerated_on,
            "registry_updated_on": practitioner.registry_updated_on,
            "source": str(NPPES),
            "identity": _badge(page.identity.badge),
        }
        if dated
        else None,
    }
    return registry, record.attribution or None


def claims_data(page: ProfilePage) -> dict | None:
    """Medicare claims of each procedure, newest data year, most services first."""
    evidence = claims_evidence(page.practitioner)
    if evidence is None:
        return None
    return {
        "source": evidence.dataset,
        "source_url": evidence.dataset_url,
        "suppression_threshold": evidence.threshold,
        "procedures": [
            {
                "procedure": line.slug,
                "name": line.procedure,
                # A line links to its guide only when the guide is published.
                "url": absolute(line.url) if line.url else None,
                "api_url": api_url("procedure_detail", slug=line.slug) if line.url else None,
                "services": line.services,
                "year": line.year,
                "text": line.plain_text,
            }
            for line in evidence.lines
        ],
    }


def _clinicians(page: OrganizationPage, number: int, size: int, link) -> dict:
    people = page.people
    pages = people.paginator.num_pages
    # Paginator.get_page answers a page past the end with the last one; the API, like its
    # provider search, answers it with nobody.
    listed = page.people_list if number <= pages else []
    previous = min(number - 1, pages)
    return {
        "total": people.paginator.count,
        "page": number,
        "page_size": size,
        "pages": pages,
        "results": [
            {
                "npi": person.npi,
                "name": person.name,
                "provider_types": person.provider_types,
                "url": absolute(person.url),
                "api_url": api_url("provider_detail", npi=person.npi),
            }
            for person in listed
        ],
        "links": {
            "self": link(number),
            "next": link(number + 1) if number < pages else None,
            "previous": link(previous) if number > 1 else None,
        },
        "taxonomy_attribution": page.attribution or None,
    }


def organization_detail(
    organization: Organization, number: int, size: int, lang_query: str
) -> dict:
    """A hospital or group practice with one page of its clinicians (`size` capped)."""
    size = min(size, PEOPLE_PER_PAGE)
    page = organization_page(organization, str(number), size)
    name, key = ENDPOINTS[OrganizationKind(organization.kind)]

    def link(to: int) -> str:
        parts = (
            f"page={to}" if to > 1 else "",
            f"page_size={size}" if size != PEOPLE_PER_PAGE else "",
            lang_query,
        )
        return api_url(name, "&".join(p for p in parts if p), **{key: getattr(organization, key)})

    location = page.location
    data = {
        "name": organization.name,
        key: getattr(organization, key),
        "npi": organization.npi or None,
        "website": organization.website or None,
        "url": absolute(organization_url(organization)),
        "address": {
            "lines": page.address,
            "city": location.city,
            "state": location.state,
            "zip_code": location.zip_code,
        }
        if location
        else None,
        "phone": (location.phone or None) if location else None,
        "phone_display": page.phone or None,
        "point": {"latitude": location.latitude, "longitude": location.longitude}
        if location and location.has_point
        else None,
        "source": page.source,
        "updated_on": timezone.localdate(organization.updated_at),
        "clinicians": _clinicians(page, number, size, link),
    }
    if organization.kind == OrganizationKind.HOSPITAL:
        data["facts"] = {
            "known": page.known,
            "hospital_type": organization.hospital_type or None,
            "ownership": organization.ownership or None,
            "emergency_services": organization.emergency_services,
            "star_rating": organization.star_rating,
            "source": page.source,
        }
    return data
