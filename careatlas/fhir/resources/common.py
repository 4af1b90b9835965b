"""Pieces every FHIR resource shares: systems, meta, references, verification extensions."""

import datetime
import functools
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import translation

from careatlas.providers.models import Method, Verification, stale_before

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NUCC_SYSTEM = "http://nucc.org/provider-taxonomy"
USPS_SYSTEM = "https://www.usps.com/"
IDENTIFIER_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0203"
# HL7 v3 ActReason HTEST, "test health data": how synthetic demo rows are labelled.
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
# Plan-Net 1.1 has no resource verification-status extension; the HL7 National Directory
# (NDH) defines the one directories use, with complete / incomplete / not-required.
NDH_VERIFICATION_STATUS = (
    "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"
)
NDH_VERIFICATION_CODES = "http://hl7.org/fhir/us/ndh/CodeSystem/NdhVerificationStatusCS"


def fhir_base() -> str:
    """Absolute base of this server's FHIR API, e.g. https://careatlas.example/fhir.

    Built from SITE_URL rather than the request's Host header, so a cached response or an
    exported file never carries a host name someone else chose.
    """
    return f"{settings.SITE_URL}/fhir"


def careatlas_url(kind: str, name: str) -> str:
    """Canonical URL of one of our own definitions, e.g. StructureDefinition/verification."""
    return f"{fhir_base()}/{kind}/{name}"


def plan_net_profile(resource_type: str) -> str:
    return f"{PLAN_NET}/StructureDefinition/plannet-{resource_type}"


def plan_net_code(code_system: str, code: str, display: str = "") -> dict:
    # str(): displays may be lazy translations (a TextChoices label).
    return {"system": f"{PLAN_NET}/CodeSystem/{code_system}", "code": code, "display": str(display)}


@functools.cache
def _labels(choices: type[models.Choices], language: str) -> dict[str, str]:
    return {value: str(text) for value, text in choices.choices}


def label(choices: type[models.Choices], value: str) -> str:
    """A choice's label in the active language, looked up once per process: resources show
    thousands of them, and each lazy label would go through gettext again."""
    return _labels(choices, translation.get_language()).get(value, value)


def instant(moment: datetime.datetime | None) -> str | None:
    """A FHIR instant in UTC with full precision, e.g. 2026-03-02T10:15:00.123456Z."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def meta(resource_type: str, updated_at: datetime.datetime | None, is_demo: bool) -> dict:
    tags = [{"system": ACT_REASON, "code": "HTEST", "display": "test health data"}]
    return {
        "lastUpdated": instant(updated_at),
        "profile": [plan_net_profile(resource_type)],
        "tag": tags if is_demo else None,
    }


def reference(resource_type: str, resource_id: object, display: str = "") -> dict:
    return {"reference": f"{resource_type}/{resource_id}", "display": display or None}


def npi_identifier(npi: str) -> dict | None:
    if not npi:
        return None
    return {
        "use": "official",
        "type": {
            "coding": [
                {
                    "system": IDENTIFIER_TYPES,
                    "code": "NPI",
                    "display": "National provider identifier",
                }
            ]
        },
        "system": NPI_SYSTEM,
        "value": npi,
    }


def nucc_concept(code: str, display: str = "", text: str = "") -> dict:
    return {
        "coding": [{"system": NUCC_SYSTEM, "code": code, "display": display or None}],
        "text": text or None,
    }


def is_current(verification: Verification | None, today: datetime.date) -> bool:
    """Verified, not disputed and not stale: what the site's "Verified" badge means."""
    return (
        verification is not None
        and not verification.disputed
        and verification.verified_on >= stale_before(today)
    )


def verification_detail(verification: Verification, today: datetime.date) -> dict:
    """Our extension carrying one verification record: which fact, how, when, and whether
    it has gone stale or been disputed. Who verified it is never published."""
    return {
        "url": careatlas_url("StructureDefinition", "verification"),
        "extension": [
            {"url": "fact", "valueCode": verification.fact},
            {
                "url": "method",
                "valueCoding": {
                    "system": careatlas_url("CodeSystem", "verification-method"),
                    "code": verification.method,
                    "display": label(Method, verification.method),
                },
            },
            {"url": "date", "valueDate": verification.verified_on.isoformat()},
            {"url": "stale", "valueBoolean": verification.verified_on < stale_before(today)},
            {"url": "disputed", "valueBoolean": verification.disputed},
        ],
    }


def verification_details(verifications: Iterable[Verification], today: datetime.date) -> list:
    return [verification_detail(v, today) for v in sorted(verifications, key=lambda v: v.fact)]


def verification_status(complete: bool) -> dict:
    code, display = ("complete", "Complete") if complete else ("incomplete", "Incomplete")
    return {
        "url": NDH_VERIFICATION_STATUS,
        "valueCodeableConcept": {
            "coding": [{"system": NDH_VERIFICATION_CODES, "code": code, "display": display}]
        },
    }


def by_fact(verifications: Iterable[Verification]) -> dict[str, Verification]:
    return {v.fact: v for v in verifications}


def _empty(value) -> bool:
    # False and 0 are values; None and empty strings, lists and objects are not.
    return value is None or (type(value) in (str, list, dict) and not value)


def drop_empty(value):
    """FHIR JSON never has null, "", [] or {}: remove them, from the leaves up."""
    if type(value) is dict:
        cleaned = {}
        for key, item in value.items():
            if type(item) in (dict, list):
                item = drop_empty(item)
            if not _empty(item):
                cleaned[key] = item
        return cleaned
    if type(value) is list:
        cleaned = []
        for item in value:
            if type(item) in (dict, list):
                item = drop_empty(item)
            if not _empty(item):
                cleaned.append(item)
        return cleaned
    return value
