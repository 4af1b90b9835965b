"""schema.org JSON-LD for profile pages: the practitioner, their organizations, breadcrumbs."""

from careatlas.procedures.structured_data import absolute, breadcrumb_list
from careatlas.providers.models import AcceptingPatients, OrganizationKind
from careatlas.providers.presenters import ProfilePage

_DAY_URIS = {
    "mon": "https://schema.org/Monday",
    "tue": "https://schema.org/Tuesday",
    "wed": "https://schema.org/Wednesday",
    "thu": "https://schema.org/Thursday",
    "fri": "https://schema.org/Friday",
    "sat": "https://schema.org/Saturday",
    "sun": "https://schema.org/Sunday",
}


def _postal_address(location) -> dict:
    street = ", ".join(part for part in (location.line1, location.line2) if part)
    return {
        "@type": "PostalAddress",
        "streetAddress": street,
        "addressLocality": location.city,
        "addressRegion": location.state,
        "postalCode": location.zip_code,
        "addressCountry": "US",
    }


def _geo(location) -> dict | None:
    if not location.has_point:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def _hours(location) -> list[dict] | None:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [_DAY_URIS[day] for day in period["days"]],
            "opens": period["opens"],
            "closes": period["closes"],
        }
        for period in location.hours
    ] or None


def aggregate_rating(practitioner) -> dict | None:
    """From the stored count and mean of published reviews; None below the minimum count
    (the reviews' own nodes are added by the reviews template tags, see profile.html)."""
    if practitioner.rating is None:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": float(practitioner.rating),
        "reviewCount": practitioner.review_count,
        "bestRating": 5,
        "worstRating": 1,
    }


def profile_graph(page: ProfilePage, crumbs: list[tuple[str, str]]) -> dict:
    """A Physician node (schema.org's type for a practitioner as a medical business) and a
    MedicalClinic or Hospital node per organization they work for."""
    practitioner = page.practitioner
    url = absolute(practitioner.get_absolute_url())
    organizations: dict[int, dict] = {}
    for place in page.places:
        org = place.role.organization
        if org is None:  # an NPPES practice address: the Physician node carries it
            continue
        node = organizations.setdefault(
            org.pk,
            {
                "@type": "Hospital" if org.kind == OrganizationKind.HOSPITAL else "MedicalClinic",
                "@id": f"{url}#organization-{org.pk}",
                "name": org.name,
                "url": org.website or None,
                "address": [],
                "medicalSpecialty": [],
            },
        )
        node["address"].append(_postal_address(place.location))
        node["medicalSpecialty"] += [
            s for s in place.specialties if s not in node["medicalSpecialty"]
        ]
        if place.tel and "telephone" not in node:
            node["telephone"] = place.tel.removeprefix("tel:")
        if place.location.has_point and "geo" not in node:
            node["geo"] = _geo(place.location)
        if place.location.hours and "openingHoursSpecification" not in node:
            node["openingHoursSpecification"] = _hours(place.location)
    accepting = [p.role.accepting_new_patients for p in page.places]
    physician = {
        "@type": "Physician",
        "@id": f"{url}#practitioner",
        "url": url,
        "name": practitioner.display_name,
        "identifier": {"@type": "PropertyValue", "propertyID": "NPI", "value": practitioner.npi},
        "medicalSpecialty": page.specialties or None,
        "isAcceptingNewPatients": AcceptingPatients.YES in accepting if accepting else None,
        "knowsLanguage": practitioner.languages or None,
        "address": [_postal_address(p.location) for p in page.places] or None,
        "geo": next((_geo(p.location) for p in page.places if p.location.has_point), None),
        "telephone": next((p.tel.removeprefix("tel:") for p in page.places if p.tel), None),
        "memberOf": [{"@id": node["@id"]} for node in organizations.values()] or None,
        "aggregateRating": aggregate_rating(practitioner),
    }
    for node in organizations.values():
        node["medicalSpecialty"] = node["medicalSpecialty"] or None
    graph = [physician, *organizations.values(), breadcrumb_list(crumbs)]
    return {"@context": "https://schema.org", "@graph": _drop_empty(graph)}


def _drop_empty(value):
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value
