"""A practice (one claimed NPI), its claims and proofs, its members and invitations."""

from careatlas.practices.models.claims import (
    Claim,
    ClaimDocument,
    ClaimMethod,
    ClaimStatus,
    DocumentKind,
    Proof,
)
from careatlas.practices.models.practices import (
    Invitation,
    Membership,
    Practice,
    PracticeRole,
)

__all__ = [
    "Claim",
    "ClaimDocument",
    "ClaimMethod",
    "ClaimStatus",
    "DocumentKind",
    "Invitation",
    "Membership",
    "Practice",
    "PracticeRole",
    "Proof",
]
