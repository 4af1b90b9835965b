"""Directory models as FHIR R4 resources shaped after Da Vinci Plan-Net: one presenter each.

`resource(obj)` is the one way a model instance becomes a FHIR resource (a plain dict ready
for JSON), for the API, the bulk export and tests alike. Instances must come from the
loaders in `careatlas.fhir.queries`, which fetch what the presenters read.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from careatlas.fhir.resources.common import drop_empty
from careatlas.fhir.resources.places import location, organization
from careatlas.fhir.resources.practitioners import practitioner
from careatlas.fhir.resources.roles import healthcare_service, practitioner_role
from careatlas.providers.models import (
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
)

PRESENTERS: dict[type[models.Model], tuple[str, Callable[..., dict]]] = {
    Practitioner: ("Practitioner", practitioner),
    PractitionerRole: ("PractitionerRole", practitioner_role),
    Location: ("Location", location),
    Organization: ("Organization", organization),
    OfferedProcedure: ("HealthcareService", healthcare_service),
}


def resource_type(obj: models.Model) -> str:
    return PRESENTERS[type(obj)][0]


def resource(obj: models.Model, today: datetime.date | None = None) -> dict:
    """The FHIR resource for one loaded directory row, without empty elements.

    Displays (verification methods, accessibility features) are in the site's default
    language whatever the request's, so a resource reads the same for every client.
    """
    _name, present = PRESENTERS[type(obj)]
    with translation.override(settings.LANGUAGE_CODE):
        return drop_empty(present(obj, today or timezone.localdate()))


__all__ = ["PRESENTERS", "resource", "resource_type"]
