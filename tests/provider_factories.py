"""factory_boy factories for the provider directory."""

import datetime

import factory
from django.utils import timezone

from careatlas.providers.models import (
    BoardCertification,
    InsurancePlan,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    Verification,
)
from careatlas.providers.models.verification import FACT_SUBJECTS
from careatlas.providers.npi import npi_check_digit


def valid_npi(n: int) -> str:
    first_nine = f"1{n:08d}"
    return first_nine + npi_check_digit(first_nine)


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    npi = factory.Sequence(lambda n: valid_npi(n + 1000))
    first_name = "Dana"
    last_name = factory.Sequence(lambda n: f"Reyes{n}")
    credentials = ["DO"]
    sex = "female"
    languages = ["en", "es"]
    education = "DO, Example College of Osteopathic Medicine, 2010"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Riverside Spine Clinic {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    line1 = "12 Example Street"
    city = "New York"
    state = "NY"
    zip_code = "10001"
    latitude = 40.7484
    longitude = -73.9967
    phone = "2125550123"
    hours = [{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "17:00"}]
    accessibility = ["step_free", "accessible_parking"]
    telehealth = True


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PractitionerRole

    practitioner = factory.SubFactory(PractitionerFactory)
    location = factory.SubFactory(LocationFactory)
    organization = factory.SelfAttribute("location.organization")
    accepting_new_patients = "newpt"


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateLicense

    practitioner = factory.SubFactory(PractitionerFactory)
    state = "NY"
    number = factory.Sequence(lambda n: f"{300000 + n}")
    status = "active"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardCertification

    practitioner = factory.SubFactory(PractitionerFactory)
    board = "American Osteopathic Board of Neuromusculoskeletal Medicine"
    specialty = "Neuromusculoskeletal Medicine"


class InsurancePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePlan
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"plan-{n}")
    name = factory.Sequence(lambda n: f"Example Health PPO {n}")
    issuer = "Example Health"
    plan_type = "ppo"


def offer(role: PractitionerRole, procedure, low=None, high=None) -> OfferedProcedure:
    return OfferedProcedure.objects.create(
        role=role, procedure=procedure, self_pay_low=low, self_pay_high=high
    )


def add_specialty_code(role: PractitionerRole, code: str, primary: bool = True) -> RoleSpecialty:
    return RoleSpecialty.objects.create(role=role, code=code, is_primary=primary)


def verify(
    subject,
    fact: str,
    days_ago: int = 10,
    method: str = "registry_match",
    today: datetime.date | None = None,
    **fields,
) -> Verification:
    today = today or timezone.localdate()
    return Verification.objects.create(
        fact=fact,
        **{FACT_SUBJECTS[fact]: subject},
        method=method,
        verified_by="Test verifier",
        verified_on=today - datetime.timedelta(days=days_ago),
        **fields,
    )


def verified_practitioner(**fields) -> Practitioner:
    """A practitioner whose identity and active license were verified recently."""
    practitioner = PractitionerFactory(**fields)
    license_ = LicenseFactory(practitioner=practitioner)
    verify(practitioner, "identity")
    verify(license_, "license")
    return practitioner
