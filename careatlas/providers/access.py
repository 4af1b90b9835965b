"""The one way a request reaches a directory object: public ones only, else 404."""

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from careatlas.procedures.models import Guide
from careatlas.providers.models import (
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
)


def with_profile(practitioners: models.QuerySet[Practitioner]) -> models.QuerySet[Practitioner]:
    """Everything a profile page shows, in a fixed, small number of queries."""
    roles = (
        PractitionerRole.objects.public()
        .select_related("location", "organization")
        .order_by("id")
        .prefetch_related(
            Prefetch("specialties", queryset=RoleSpecialty.objects.select_related("specialty")),
            Prefetch(
                "offered_procedures",
                queryset=OfferedProcedure.objects.select_related("procedure").prefetch_related(
                    Prefetch(
                        "procedure__guides",
                        queryset=Guide.objects.published(),
                        to_attr="published_guides",
                    )
                ),
            ),
            "insurance_plans",
        )
    )
    return practitioners.prefetch_related(
        "licenses", "certifications", Prefetch("roles", queryset=roles)
    )


def get_public_practitioner(npi: str, for_profile: bool = True) -> Practitioner:
    """A public practitioner by NPI (loaded for its profile unless told not to), else 404."""
    queryset = Practitioner.objects.public()
    if for_profile:
        queryset = with_profile(queryset)
    practitioner = queryset.filter(npi=npi).first()
    if practitioner is None:
        raise Http404(_("No provider with this NPI is listed."))
    return practitioner


def get_public_organization(kind: str, **identity: str) -> Organization:
    """A public organization of this kind (by CCN or PAC ID), else 404."""
    organization = Organization.objects.public().filter(kind=kind, **identity).first()
    if organization is None:
        raise Http404(_("No such organization is listed."))
    return organization
