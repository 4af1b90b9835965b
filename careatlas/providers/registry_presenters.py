"""Registry facts as pages show them: a profile's CMS and NPPES facts, hospital and practice pages.

Every fact carries its source ("CMS Care Compare", "NPPES"), and taxonomy names carry the
NUCC attribution the code set's licence asks for.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careatlas.procedures.structured_data import absolute, breadcrumb_list
from careatlas.providers.models import (
    NUCC_ATTRIBUTION,
    Location,
    MedicareAssignment,
    Organization,
    OrganizationKind,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    TaxonomyCode,
)
from careatlas.providers.presenters import (
    Badge,
    ProfilePage,
    address_lines,
    phone_display,
    practice_notice,
    tel_href,
)

CARE_COMPARE = gettext_lazy("CMS Care Compare")
NPPES = gettext_lazy("NPPES, the national NPI registry")
CMS_HOSPITALS = gettext_lazy("CMS Hospital General Information")
PEOPLE_PER_PAGE = 50
_ASSIGNMENT_HELP = {
    MedicareAssignment.ACCEPTS: gettext_lazy(
        "Takes Medicare’s approved amount as full payment for covered services."
    ),
    MedicareAssignment.MAY_ACCEPT: gettext_lazy(
        "Takes Medicare’s approved amount as full payment for some services; ask first."
    ),
}


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass
class SourcedFact:
    """A fact from a public registry, with where it came from and, if checked, its badge."""

    label: str
    value: str
    source: str
    links: list[Link] = field(default_factory=list)
    note: str = ""
    badge: Badge | None = None


@dataclass
class RegistryFacts:
    facts: list[SourcedFact]
    attribution: str = ""


def organization_slug(organization: Organization) -> str:
    return slugify(organization.name) or "organization"


def organization_url(organization: Organization) -> str:
    """The public page of a hospital (by CCN) or a group practice (by PAC ID), or ''."""
    if organization.kind == OrganizationKind.HOSPITAL and organization.ccn:
        slug = organization_slug(organization)
        return reverse("providers:hospital", args=[organization.ccn, slug])
    if organization.kind == OrganizationKind.PRACTICE and organization.pac_id:
        return reverse(
            "providers:practice", args=[organization.pac_id, organization_slug(organization)]
        )
    return ""


def assignment_note(assignment: MedicareAssignment) -> str:
    """What a Medicare assignment status means for a patient, in a sentence."""
    return str(_ASSIGNMENT_HELP[assignment])


def taxonomy_names(codes: Iterable[str]) -> dict[str, str]:
    """NUCC display names of the codes the code set knows (one query)."""
    codes = set(codes)
    if not codes:
        return {}
    return {t.code: t.name for t in TaxonomyCode.objects.filter(code__in=codes)}


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _by_name(organizations: Iterable[Organization]) -> list[Organization]:
    unique = {org.pk: org for org in organizations}
    return sorted(unique.values(), key=lambda org: org.name.casefold())


def _organization_links(organizations: list[Organization]) -> list[Link]:
    return [Link(org.name, organization_url(org)) for org in organizations]


def _code_sources(page: ProfilePage) -> str:
    """Who gave the roles their taxonomy codes, from where the importers put each place."""
    keys = {place.location.source_key.partition(":")[0] for place in page.places}
    sources = [str(NPPES)] if "nppes" in keys else []
    if "dac" in keys:
        sources.append(str(CARE_COMPARE))
    return _(" and ").join(sources) or _("This directory")


@dataclass
class RegistryRecord:
    """The registry facts that take a query to find, as values: `registry_facts` words them
    for the profile page, the JSON API gives them as they are."""

    practices: list[Organization]  # group practices (by PAC ID) of the active roles, by name
    hospitals: list[Organization]  # active hospital affiliations, by name
    provider_types: list[tuple[str, str]]  # (NUCC code, NUCC's name), in the roles' order
    provider_types_source: str  # who gave the roles their codes
    attribution: str  # NUCC's, when any NUCC name is given


def registry_record(page: ProfilePage) -> RegistryRecord:
    """A practitioner's group practices, hospitals and NUCC provider types. Uses the roles
    `profile_page` already loaded; costs two queries (affiliations and taxonomy names)."""
    practices = _by_name(
        place.role.organization
        for place in page.places
        if place.role.organization and place.role.organization.pac_id
    )
    hospitals = _by_name(page.practitioner.hospital_affiliations.public())
    codes = [s.code for place in page.places for s in place.role.specialties.all()]
    names = taxonomy_names(codes)
    provider_types = [(code, names[code]) for code in dict.fromkeys(codes) if code in names]
    return RegistryRecord(
        practices=practices,
        hospitals=hospitals,
        provider_types=provider_types,
        provider_types_source=_code_sources(page),
        attribution=str(NUCC_ATTRIBUTION) if provider_types else "",
    )


def registry_facts(page: ProfilePage) -> RegistryFacts:
    """What Care Compare and NPPES say about a practitioner, for the profile page."""
    practitioner = page.practitioner
    record = registry_record(page)
    facts: list[SourcedFact] = []
    if practitioner.medical_school:
        school = practitioner.medical_school
        if practitioner.graduation_year:
            school = _("%(school)s, graduated %(year)s") % {
                "school": school,
                "year": practitioner.graduation_year,
            }
        facts.append(SourcedFact(_("Medical school"), school, str(CARE_COMPARE)))
    elif practitioner.graduation_year:
        year = str(practitioner.graduation_year)
        facts.append(SourcedFact(_("Graduated from professional school"), year, str(CARE_COMPARE)))
    if practitioner.medicare_assignment:
        assignment = MedicareAssignment(practitioner.medicare_assignment)
        facts.append(
            SourcedFact(
                _("Medicare assignment"),
                str(assignment.label),
                str(CARE_COMPARE),
                note=assignment_note(assignment),
            )
        )
    if record.practices:
        links = _organization_links(record.practices)
        facts.append(SourcedFact(_("Group practice"), "", str(CARE_COMPARE), links=links))
    if record.hospitals:
        links = _organization_links(record.hospitals)
        facts.append(SourcedFact(_("Hospital affiliations"), "", str(CARE_COMPARE), links=links))
    if record.provider_types:
        listed = "; ".join(f"{name} ({code})" for code, name in record.provider_types)
        facts.append(SourcedFact(_("Provider type"), listed, record.provider_types_source))
    if practitioner.enumerated_on:
        facts.append(
            SourcedFact(
                _("NPI assigned on"),
                _date(practitioner.enumerated_on),
                str(NPPES),
                badge=page.identity.badge,
            )
        )
    if practitioner.registry_updated_on:
        facts.append(
            SourcedFact(
                _("Registry record last updated"),
                _date(practitioner.registry_updated_on),
                str(NPPES),
            )
        )
    return RegistryFacts(facts=facts, attribution=record.attribution)


@dataclass
class Person:
    name: str
    url: str
    npi: str
    provider_types: list[str]  # our specialty's name, else NUCC's name, of primary codes

    @property
    def provider_type(self) -> str:
        return ", ".join(self.provider_types)


@dataclass
class OrganizationPage:
    organization: Organization
    location: Location | None
    heading_kind: str
    address: list[str]
    phone: str
    tel: str
    facts: list[tuple[str, str]]
    source: str
    updated: str
    people: Page
    people_label: str
    people_list: list[Person]
    attribution: str
    known: bool  # False for a hospital only known from an affiliation so far
    practice_notice: str  # "Not confirmed by the practice since ..." when a claim lapsed

    @property
    def canonical_path(self) -> str:
        """The page's own address: each page of the people list is its own page."""
        path = organization_url(self.organization)
        return f"{path}?page={self.people.number}" if self.people.number > 1 else path


def _star_rating(value: int | None) -> str:
    if value is None:
        return _("Not rated by CMS")
    return _("%(stars)s out of 5 stars") % {"stars": value}


def _emergency(value: bool | None) -> str:
    if value is None:
        return _("Not stated")
    return _("Yes") if value else _("No")


def _people(queryset, page_number: str | None, per_page: int) -> tuple[Page, list[Person], str]:
    paginator = Paginator(queryset.order_by("last_name", "first_name", "id"), per_page)
    people = paginator.get_page(page_number)
    primary = Prefetch(
        "specialties",
        queryset=RoleSpecialty.objects.filter(is_primary=True).select_related("specialty"),
    )
    roles = (
        PractitionerRole.objects.public()
        .filter(practitioner__in=list(people.object_list))
        .prefetch_related(primary)
    )
    kinds: dict[int, list[RoleSpecialty]] = {}
    for role in roles:
        kinds.setdefault(role.practitioner_id, []).extend(role.specialties.all())
    names = taxonomy_names(s.code for found in kinds.values() for s in found)
    listed = []
    for practitioner in people.object_list:
        found = kinds.get(practitioner.pk, [])
        labels = [
            s.specialty.name if s.specialty else names.get(s.code, "")
            for s in found
            if s.specialty or s.code in names
        ]
        listed.append(
            Person(
                practitioner.display_name,
                practitioner.get_absolute_url(),
                practitioner.npi,
                list(dict.fromkeys(labels)),
            )
        )
    return people, listed, str(NUCC_ATTRIBUTION) if names else ""


def organization_page(
    organization: Organization, page_number: str | None, per_page: int = PEOPLE_PER_PAGE
) -> OrganizationPage:
    """A hospital or group practice page: where it is, CMS's facts, who works there
    (`per_page` of them, the page numbered `page_number`; an unusable number gives the
    nearest page, as Paginator.get_page does)."""
    location = organization.locations.order_by("id").first()
    hospital = organization.kind == OrganizationKind.HOSPITAL
    if hospital:
        people_qs = organization.affiliated_practitioners.public()
        facts = [
            (_("Hospital type"), organization.hospital_type or _("Not stated")),
            (_("Ownership"), organization.ownership or _("Not stated")),
            (_("Emergency services"), _emergency(organization.emergency_services)),
            (_("CMS overall star rating"), _star_rating(organization.star_rating)),
            (_("CMS Certification Number"), organization.ccn),
        ]
        source, known = str(CMS_HOSPITALS), bool(organization.hospital_type or location)
        people_label = _("Clinicians affiliated with this hospital")
    else:
        working_here = PractitionerRole.objects.public().filter(organization=organization)
        people_qs = Practitioner.objects.public().filter(
            pk__in=working_here.values("practitioner_id")
        )
        facts = [(_("PECOS group PAC ID"), organization.pac_id)] if organization.pac_id else []
        source, known = str(CARE_COMPARE), True
        people_label = _("Clinicians in this group practice")
    people, listed, attribution = _people(people_qs, page_number, per_page)
    return OrganizationPage(
        organization=organization,
        location=location,
        heading_kind=_("Hospital") if hospital else _("Group practice"),
        address=address_lines(location) if location else [],
        phone=phone_display(location.phone) if location else "",
        tel=tel_href(location.phone) if location else "",
        facts=facts,
        source=source,
        updated=_date(organization.updated_at),
        people=people,
        people_label=people_label,
        people_list=listed,
        practice_notice=practice_notice(organization),
        attribution=attribution,
        known=known,
    )


def organization_graph(page: OrganizationPage, crumbs: list[tuple[str, str]]) -> dict:
    """schema.org JSON-LD: a Hospital or MedicalClinic node and the breadcrumbs."""
    organization = page.organization
    url = absolute(organization_url(organization))
    location = page.location
    node = {
        "@type": "Hospital" if organization.kind == OrganizationKind.HOSPITAL else "MedicalClinic",
        "@id": f"{url}#organization",
        "url": url,
        "name": organization.name,
    }
    if organization.ccn:
        node["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "CMS Certification Number",
            "value": organization.ccn,
        }
    if location is not None:
        street = ", ".join(part for part in (location.line1, location.line2) if part)
        node["address"] = {
            "@type": "PostalAddress",
            "streetAddress": street,
            "addressLocality": location.city,
            "addressRegion": location.state,
            "postalCode": location.zip_code,
            "addressCountry": "US",
        }
        if page.tel:
            node["telephone"] = page.tel.removeprefix("tel:")
        if location.has_point:
            node["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
    return {"@context": "https://schema.org", "@graph": [node, breadcrumb_list(crumbs)]}
