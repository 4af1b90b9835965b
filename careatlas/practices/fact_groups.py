"""The groups of facts a practice edits on its dashboard: which form, about what, which facts."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from careatlas.providers import fact_forms
from careatlas.providers.models import Fact


class About(StrEnum):
    LOCATION = "location"  # one of the practice's locations
    ROLE = "role"  # one practitioner at one location
    PRACTITIONER = "practitioner"  # the practitioner, wherever they work


@dataclass(frozen=True)
class Group:
    slug: str
    label: Promise
    form: type[fact_forms.FactForm]
    about: About
    facts: tuple[str, ...]


GROUPS = [
    Group(
        "new-patients",
        _("New patients"),
        fact_forms.AcceptingPatientsForm,
        About.ROLE,
        (Fact.ACCEPTING_NEW_PATIENTS,),
    ),
    Group(
        "insurance", _("Insurance plans"), fact_forms.InsuranceForm, About.ROLE, (Fact.INSURANCE,)
    ),
    Group(
        "procedures",
        _("Procedures and self-pay prices"),
        fact_forms.OfferedProcedureForm,
        About.ROLE,
        (Fact.PROCEDURE_OFFERED, Fact.SELF_PAY_PRICE),
    ),
    Group(
        "visits",
        _("Video and phone visits"),
        fact_forms.VisitsForm,
        About.LOCATION,
        (Fact.TELEHEALTH,),
    ),
    Group("hours", _("Opening hours"), fact_forms.HoursForm, About.LOCATION, (Fact.HOURS,)),
    Group(
        "staff-languages",
        _("Languages your staff speak"),
        fact_forms.StaffLanguagesForm,
        About.LOCATION,
        (Fact.STAFF_LANGUAGES,),
    ),
    Group(
        "accessibility",
        _("Accessibility"),
        fact_forms.AccessibilityForm,
        About.LOCATION,
        (Fact.ACCESSIBILITY,),
    ),
    Group(
        "languages",
        _("Languages the practitioner speaks"),
        fact_forms.PractitionerLanguagesForm,
        About.PRACTITIONER,
        (Fact.LANGUAGES,),
    ),
    Group("bio", _("Short bio"), fact_forms.BioForm, About.PRACTITIONER, (Fact.BIO,)),
    Group("photo", _("Photo"), fact_forms.PhotoForm, About.PRACTITIONER, (Fact.PHOTO,)),
]
BY_SLUG = {group.slug: group for group in GROUPS}


def groups_about(about: About) -> list[Group]:
    return [group for group in GROUPS if group.about == about]
