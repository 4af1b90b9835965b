"""Practitioner: identity, names, languages, and licences and board certifications."""

import datetime

from django.conf import settings

from careatlas.fhir.resources.common import (
    IDENTIFIER_TYPES,
    PLAN_NET,
    USPS_SYSTEM,
    by_fact,
    is_current,
    meta,
    npi_identifier,
    verification_details,
    verification_status,
)
from careatlas.providers.geocoding import STATE_NAMES
from careatlas.providers.models import (
    BoardCertification,
    CertificationStatus,
    Fact,
    LicenseStatus,
    Practitioner,
    StateLicense,
)
from careatlas.providers.presenters import language_names

QUALIFICATION = f"{PLAN_NET}/StructureDefinition/practitioner-qualification"
DEGREE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0360"
# Credentials the site records that HL7 v2 table 0360 (degree/licence/certificate) names.
_DEGREES = {
    "MD": "Doctor of Medicine",
    "DO": "Doctor of Osteopathy",
    "PA": "Physician Assistant",
    "NP": "Nurse Practitioner",
    "RN": "Registered Nurse",
    "PharmD": "Doctor of Pharmacy",
}
# "asl" is how the site stores American Sign Language; BCP 47 spells it "ase".
_BCP47 = {"asl": "ase"}
# Plan-Net QualificationStatusCS for our licence and certification statuses.
_QUALIFICATION_STATUS = {
    LicenseStatus.ACTIVE: "active",
    LicenseStatus.INACTIVE: "inactive",
    LicenseStatus.EXPIRED: "inactive",
    LicenseStatus.SUSPENDED: "inactive",
    LicenseStatus.REVOKED: "revoked",
    CertificationStatus.ACTIVE: "active",
    CertificationStatus.EXPIRED: "inactive",
    CertificationStatus.INACTIVE: "inactive",
    CertificationStatus.REVOKED: "revoked",
}


def _status(status: str, current: bool) -> str:
    # An "active" row past its expiry date is not a valid credential any more.
    code = _QUALIFICATION_STATUS.get(status, "unknown")
    return code if code != "active" or current else "inactive"


def _qualification_extension(status: str, state: str = "") -> dict:
    where = (
        {
            "url": "whereValid",
            "valueCodeableConcept": {
                "coding": [{"system": USPS_SYSTEM, "code": state, "display": STATE_NAMES[state]}]
            },
        }
        if state in STATE_NAMES
        else None
    )
    return {"url": QUALIFICATION, "extension": [{"url": "status", "valueCode": status}, where]}


def _licence(licence: StateLicense, today: datetime.date) -> dict:
    state_name = STATE_NAMES.get(licence.state, licence.state)
    return {
        "extension": [
            _qualification_extension(
                _status(licence.status, licence.is_active(today)), licence.state
            ),
            *verification_details(licence.fhir_verifications, today),
        ],
        "identifier": [
            {
                "type": {
                    "coding": [
                        {"system": IDENTIFIER_TYPES, "code": "LN", "display": "License number"}
                    ]
                },
                "value": licence.number,
            }
        ],
        "code": {"text": f"State license ({state_name})"},
        "period": {"end": licence.expires_on.isoformat() if licence.expires_on else None},
        "issuer": {"display": f"State of {state_name}"},
    }


def _certification(certification: BoardCertification, today: datetime.date) -> dict:
    return {
        "extension": [
            _qualification_extension(
                _status(certification.status, certification.is_current(today))
            ),
            *verification_details(certification.fhir_verifications, today),
        ],
        "code": {"text": f"Board certification in {certification.specialty}"},
        "period": {
            "end": certification.expires_on.isoformat() if certification.expires_on else None
        },
        "issuer": {"display": certification.board},
    }


def _education(practitioner: Practitioner) -> dict | None:
    """The degree from the registry's medical school, coded in HL7 v2 table 0360 when the
    practitioner's credential is one of its degrees (MD, DO, ...)."""
    if not practitioner.medical_school:
        return None
    degree = next((c for c in practitioner.credentials if c in _DEGREES), "")
    coding = (
        [{"system": DEGREE_SYSTEM, "code": degree, "display": _DEGREES[degree]}] if degree else []
    )
    return {
        "extension": [_qualification_extension("active")],
        "code": {"coding": coding, "text": f"{degree or 'Degree'}, {practitioner.medical_school}"},
        "period": {"end": str(practitioner.graduation_year or "")},
        "issuer": {"display": practitioner.medical_school},
    }


def _language(code: str) -> dict:
    return {
        "coding": [{"system": "urn:ietf:bcp:47", "code": _BCP47.get(code, code)}],
        "text": language_names([code])[0],  # as the profile page names it
    }


def is_verified(practitioner: Practitioner, today: datetime.date) -> bool:
    """PractitionerQuerySet.verified() over prefetched rows: identity and an active licence,
    both verified, current and undisputed (kept equal by a test)."""
    identity = by_fact(practitioner.fhir_verifications).get(Fact.IDENTITY)
    return is_current(identity, today) and any(
        licence.is_active(today)
        and is_current(by_fact(licence.fhir_verifications).get(Fact.LICENSE), today)
        for licence in practitioner.fhir_licenses
    )


def practitioner(practitioner: Practitioner, today: datetime.date) -> dict:
    """A Plan-Net Practitioner from one loaded with `queries.practitioners_for_fhir()`.

    The id is the NPI: stable across re-imports and what every directory keys on.
    """
    given = [part for part in (practitioner.first_name, practitioner.middle_name) if part]
    suffixes = [practitioner.suffix, *practitioner.credentials]
    return {
        "resourceType": "Practitioner",
        "id": practitioner.npi,
        "meta": meta("Practitioner", practitioner.updated_at, practitioner.is_demo),
        "extension": [
            verification_status(is_verified(practitioner, today)),
            *verification_details(practitioner.fhir_verifications, today),
        ],
        "identifier": [npi_identifier(practitioner.npi)],
        "active": True,
        "name": [
            {
                "use": "official",
                "text": practitioner.display_name,
                "family": practitioner.last_name,
                "given": given,
                "prefix": [practitioner.prefix],
                "suffix": suffixes,
            }
        ],
        "gender": practitioner.sex,
        "photo": [{"url": f"{settings.SITE_URL}{practitioner.photo_url}"}]
        if practitioner.photo_url
        else None,
        "qualification": [
            _education(practitioner),
            *(_licence(licence, today) for licence in practitioner.fhir_licenses),
            *(_certification(cert, today) for cert in practitioner.fhir_certifications),
        ],
        "communication": [_language(code) for code in practitioner.languages],
    }
