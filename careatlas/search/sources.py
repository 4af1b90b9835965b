"""What the index reads: directory table names and the stored codes its SQL compares with.

Raw SQL takes table and column names from model metadata, so a renamed table or a custom
`db_table` cannot leave the index reading the wrong place.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection

from careatlas.providers.models import (
    BoardCertification,
    CertificationStatus,
    Fact,
    LicenseStatus,
    Location,
    OfferedProcedure,
    Practitioner,
    PractitionerRole,
    ProcedureVolume,
    RoleSpecialty,
    StateLicense,
    Verification,
)


@dataclass(frozen=True)
class Tables:
    practitioner: str
    role: str
    location: str
    role_specialty: str
    offered_procedure: str
    plan_link: str
    plan_role_column: str
    plan_column: str
    verification: str
    license: str
    certification: str
    procedure_volume: str


@cache
def directory_tables() -> Tables:
    qn = connection.ops.quote_name
    plans = PractitionerRole._meta.get_field("insurance_plans")
    return Tables(
        practitioner=qn(Practitioner._meta.db_table),
        role=qn(PractitionerRole._meta.db_table),
        location=qn(Location._meta.db_table),
        role_specialty=qn(RoleSpecialty._meta.db_table),
        offered_procedure=qn(OfferedProcedure._meta.db_table),
        plan_link=qn(plans.m2m_db_table()),
        plan_role_column=qn(plans.m2m_column_name()),
        plan_column=qn(plans.m2m_reverse_name()),
        verification=qn(Verification._meta.db_table),
        license=qn(StateLicense._meta.db_table),
        certification=qn(BoardCertification._meta.db_table),
        procedure_volume=qn(ProcedureVolume._meta.db_table),
    )


def directory_values() -> dict[str, str]:
    """The codes the "verified" and "board-certified" rules compare with, as SQL parameters."""
    return {
        "identity": Fact.IDENTITY.value,
        "license": Fact.LICENSE.value,
        "license_active": LicenseStatus.ACTIVE.value,
        "certification_active": CertificationStatus.ACTIVE.value,
    }
