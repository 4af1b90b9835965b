"""PractitionerRole (who works where, in what specialty) and HealthcareService (procedures)."""

import datetime
from decimal import Decimal

from careatlas.fhir.resources.common import (
    PLAN_NET,
    by_fact,
    careatlas_url,
    is_current,
    label,
    meta,
    nucc_concept,
    plan_net_code,
    reference,
    verification_details,
    verification_status,
)
from careatlas.fhir.resources.places import location_name, telehealth_extension
from careatlas.providers.models import AcceptingPatients, Fact, OfferedProcedure, PractitionerRole
from careatlas.providers.presenters import phone_display

NEW_PATIENTS = f"{PLAN_NET}/StructureDefinition/newpatients"
DELIVERY_METHOD = f"{PLAN_NET}/StructureDefinition/delivery-method"
SELF_PAY_PRICE = "self-pay-price"
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"


def _new_patients(code: str) -> dict | None:
    if not code:
        return None  # not known: say nothing rather than guess
    return {
        "url": NEW_PATIENTS,
        "extension": [
            {
                "url": "acceptingPatients",
                "valueCodeableConcept": {
                    "coding": [
                        plan_net_code("AcceptingPatientsCS", code, label(AcceptingPatients, code))
                    ]
                },
            }
        ],
    }


def _specialties(role: PractitionerRole) -> list[dict]:
    return [
        nucc_concept(
            s.code, getattr(s, "nucc_display", ""), s.specialty.name if s.specialty_id else ""
        )
        for s in role.fhir_specialties
    ]


def _organization_reference(role: PractitionerRole) -> dict | None:
    organization = role.organization if role.organization_id else None
    if organization is None or not organization.active:
        return None
    return reference("Organization", organization.pk, organization.name)


def practitioner_role(role: PractitionerRole, today: datetime.date) -> dict:
    """A Plan-Net PractitionerRole from one loaded with `queries.roles_for_fhir()`."""
    verifications = role.fhir_verifications
    practitioner, location = role.practitioner, role.location
    return {
        "resourceType": "PractitionerRole",
        "id": str(role.pk),
        "meta": meta("PractitionerRole", role.updated_at, practitioner.is_demo),
        "extension": [
            verification_status(is_current(by_fact(verifications).get(Fact.SPECIALTY), today)),
            _new_patients(role.accepting_new_patients),
            telehealth_extension(location.telehealth),
            *verification_details(verifications, today),
        ],
        "active": True,
        "practitioner": reference("Practitioner", practitioner.npi, practitioner.display_name),
        "organization": _organization_reference(role),
        "location": [reference("Location", location.pk, location_name(location))],
        "specialty": _specialties(role),
        "healthcareService": [
            reference("HealthcareService", offered.pk) for offered in role.fhir_offered
        ],
        "telecom": [{"system": "phone", "value": phone_display(location.phone), "use": "work"}]
        if location.phone
        else None,
    }


def procedure_name(offered: OfferedProcedure) -> str:
    guide = next(iter(getattr(offered.procedure, "fhir_guides", ())), None)
    return guide.title if guide else offered.procedure.slug.replace("-", " ").capitalize()


def _service_type(offered: OfferedProcedure) -> dict:
    procedure = offered.procedure
    billing = [
        {"system": HCPCS_SYSTEM if code.code[0].isalpha() else CPT_SYSTEM, "code": code.code}
        for code in procedure.fhir_codes
    ]
    name = procedure_name(offered)
    return {
        "coding": [
            {
                "system": careatlas_url("CodeSystem", "procedure"),
                "code": procedure.slug,
                "display": name,
            },
            *billing,
        ],
        "text": name,
    }


def _usd(amount: Decimal) -> dict:
    # JSON numbers: whole dollars as integers, cents as a two-place float (80.5 for $80.50).
    value = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"value": value, "unit": "USD", "system": "urn:iso:std:iso:4217", "code": "USD"}


def _price(offered: OfferedProcedure) -> dict | None:
    if not offered.has_price:
        return None
    return {
        "url": careatlas_url("StructureDefinition", SELF_PAY_PRICE),
        "valueRange": {"low": _usd(offered.self_pay_low), "high": _usd(offered.self_pay_high)},
    }


def healthcare_service(offered: OfferedProcedure, today: datetime.date) -> dict:
    """A procedure one practitioner role offers at its location, with its self-pay price.

    From an OfferedProcedure loaded with `queries.services_for_fhir()`. It has no
    meta.lastUpdated: the directory keeps no modification time for an offered procedure.
    """
    role = offered.role
    verifications = offered.fhir_verifications
    return {
        "resourceType": "HealthcareService",
        "id": str(offered.pk),
        "meta": meta("HealthcareService", None, role.practitioner.is_demo),
        "extension": [
            verification_status(
                is_current(by_fact(verifications).get(Fact.PROCEDURE_OFFERED), today)
            ),
            _new_patients(role.accepting_new_patients),
            {
                "url": DELIVERY_METHOD,
                "extension": [
                    {
                        "url": "type",
                        "valueCodeableConcept": {
                            "coding": [plan_net_code("DeliveryMethodCS", "physical", "Physical")]
                        },
                    }
                ],
            },
            _price(offered),
            *verification_details(verifications, today),
        ],
        "active": True,
        "providedBy": _organization_reference(role),
        "category": [
            {"coding": [plan_net_code("HealthcareServiceCategoryCS", "prov", "Medical Provider")]}
        ],
        "type": [_service_type(offered)],
        "specialty": _specialties(role),
        "location": [reference("Location", role.location.pk, location_name(role.location))],
        "name": procedure_name(offered),
        "telecom": [{"system": "phone", "value": phone_display(role.location.phone), "use": "work"}]
        if role.location.phone
        else None,
    }
