"""The provider directory's data, aligned with FHIR and Da Vinci Plan-Net resources."""

from careatlas.providers.models.claims import ProcedureVolume
from careatlas.providers.models.organizations import (
    AccessibilityFeature,
    Location,
    Organization,
    OrganizationKind,
)
from careatlas.providers.models.photos import PractitionerPhoto
from careatlas.providers.models.practitioners import (
    MIN_REVIEWS_FOR_AVERAGE,
    BoardCertification,
    CertificationStatus,
    LicenseStatus,
    MedicareAssignment,
    Practitioner,
    Sex,
    StateLicense,
)
from careatlas.providers.models.reports import OTHER, IncorrectInfoReport, ReportStatus
from careatlas.providers.models.roles import (
    AcceptingPatients,
    InsurancePlan,
    OfferedProcedure,
    PlanType,
    PractitionerRole,
    RoleSpecialty,
    takes_requests_here,
)
from careatlas.providers.models.taxonomy import NUCC_ATTRIBUTION, TaxonomyCode
from careatlas.providers.models.verification import (
    FACT_SUBJECTS,
    Fact,
    Method,
    Verification,
    confirmation_days,
    confirmation_due_before,
    stale_after_days,
    stale_before,
)

__all__ = [
    "takes_requests_here",
    "FACT_SUBJECTS",
    "MIN_REVIEWS_FOR_AVERAGE",
    "NUCC_ATTRIBUTION",
    "OTHER",
    "AcceptingPatients",
    "AccessibilityFeature",
    "BoardCertification",
    "CertificationStatus",
    "Fact",
    "IncorrectInfoReport",
    "InsurancePlan",
    "LicenseStatus",
    "MedicareAssignment",
    "Location",
    "Method",
    "OfferedProcedure",
    "Organization",
    "OrganizationKind",
    "PlanType",
    "Practitioner",
    "PractitionerPhoto",
    "PractitionerRole",
    "ProcedureVolume",
    "ReportStatus",
    "RoleSpecialty",
    "Sex",
    "StateLicense",
    "TaxonomyCode",
    "Verification",
    "confirmation_days",
    "confirmation_due_before",
    "stale_after_days",
    "stale_before",
]
