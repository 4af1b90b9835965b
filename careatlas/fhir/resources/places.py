"""Organization and Location: practices, hospitals and the places where care happens."""

import datetime

from careatlas.fhir.resources.common import (
    PLAN_NET,
    by_fact,
    careatlas_url,
    is_current,
    label,
    meta,
    npi_identifier,
    plan_net_code,
    reference,
    verification_details,
    verification_status,
)
from careatlas.providers.models import (
    AccessibilityFeature,
    Fact,
    Location,
    Organization,
    OrganizationKind,
)
from careatlas.providers.presenters import phone_display

ACCESSIBILITY = f"{PLAN_NET}/StructureDefinition/accessibility"
TELEHEALTH = "telehealth"
# Plan-Net AccessibilityCS is coarse; each feature also carries our own, finer code.
_PLAN_NET_ACCESSIBILITY = {
    AccessibilityFeature.STEP_FREE: ("handiaccess", "handicap accessible"),
    AccessibilityFeature.ACCESSIBLE_PARKING: ("handiaccess", "handicap accessible"),
    AccessibilityFeature.ELEVATOR: ("handiaccess", "handicap accessible"),
    AccessibilityFeature.ACCESSIBLE_RESTROOM: ("handiaccess", "handicap accessible"),
    AccessibilityFeature.HEARING_LOOP: ("handiaccess", "handicap accessible"),
    AccessibilityFeature.PUBLIC_TRANSIT: ("pubtrans", "public transit options"),
    AccessibilityFeature.ASL: ("cultcomp", "Cultural competence"),
}
_ORGANIZATION_TYPES = {
    OrganizationKind.PRACTICE: ("prvgrp", "Provider Group"),
    OrganizationKind.HOSPITAL: ("fac", "Facility"),
}


def telehealth_extension(offered: bool) -> dict:
    return {"url": careatlas_url("StructureDefinition", TELEHEALTH), "valueBoolean": offered}


def address(location: Location) -> dict:
    lines = [line for line in (location.line1, location.line2) if line]
    return {
        "use": "work",
        "type": "physical",
        "text": f"{', '.join(lines)}, {location.city}, {location.state} {location.zip_code}",
        "line": lines,
        "city": location.city,
        "state": location.state,
        "postalCode": location.zip_code,
        "country": "US",
    }


def _accessibility(code: str) -> dict:
    plan_net = _PLAN_NET_ACCESSIBILITY.get(code)
    return {
        "url": ACCESSIBILITY,
        "valueCodeableConcept": {
            "coding": [
                plan_net_code("AccessibilityCS", *plan_net) if plan_net else None,
                {
                    "system": careatlas_url("CodeSystem", "accessibility"),
                    "code": code,
                    "display": label(AccessibilityFeature, code),
                },
            ],
            "text": label(AccessibilityFeature, code),
        },
    }


def _hours(location: Location) -> list[dict]:
    return [
        {
            "daysOfWeek": period["days"],
            "openingTime": f"{period['opens']}:00",
            "closingTime": f"{period['closes']}:00",
        }
        for period in location.hours or ()
    ]


def location_name(location: Location) -> str:
    """US Core requires a name; a practice's places are often known only by their address."""
    organization = location.organization if location.organization_id else None
    if location.name:
        return location.name
    if organization is not None:
        return f"{organization.name} ({location.city})"
    return f"{location.line1}, {location.city}"


def location(location: Location, today: datetime.date) -> dict:
    """A Plan-Net Location from one loaded with `queries.locations_for_fhir()`."""
    verifications = location.fhir_verifications
    organization = location.organization if location.organization_id else None
    return {
        "resourceType": "Location",
        "id": str(location.pk),
        "meta": meta("Location", location.updated_at, location.is_demo),
        "extension": [
            verification_status(is_current(by_fact(verifications).get(Fact.ADDRESS), today)),
            *(_accessibility(code) for code in location.accessibility or ()),
            telehealth_extension(location.telehealth),
            *verification_details(verifications, today),
        ],
        "status": "active",
        "name": location_name(location),
        "telecom": [{"system": "phone", "value": phone_display(location.phone), "use": "work"}]
        if location.phone
        else None,
        "address": address(location),
        "position": {"latitude": location.latitude, "longitude": location.longitude}
        if location.has_point
        else None,
        "managingOrganization": reference("Organization", organization.pk, organization.name)
        if organization is not None and organization.active
        else None,
        "hoursOfOperation": _hours(location),
    }


def organization(organization: Organization, today: datetime.date | None = None) -> dict:
    """A Plan-Net Organization from one loaded with `queries.organizations_for_fhir()`.

    Its addresses are those of its locations; we record no verifications about
    organizations, so it carries no verification extensions.
    """
    kind = _ORGANIZATION_TYPES.get(organization.kind)
    return {
        "resourceType": "Organization",
        "id": str(organization.pk),
        "meta": meta("Organization", organization.updated_at, organization.is_demo),
        "identifier": [npi_identifier(organization.npi)],
        "active": True,
        "type": [{"coding": [plan_net_code("OrgTypeCS", *kind)]}] if kind else None,
        "name": organization.name,
        "telecom": [{"system": "url", "value": organization.website, "use": "work"}]
        if organization.website
        else None,
        "address": [address(place) for place in getattr(organization, "fhir_locations", ())],
    }
