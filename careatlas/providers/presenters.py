"""Formatting of directory facts for display: badges, hours, phones, prices, the profile page."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf.locale import LANG_INFO
from django.utils import formats, timezone
from django.utils.translation import get_language_info, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from careatlas.core.numbers import dollars
from careatlas.providers.accuracy import ProfileAccuracy, profile_accuracy
from careatlas.providers.currency import listing_currency
from careatlas.providers.map_presenters import directions_links
from careatlas.providers.models import (
    AcceptingPatients,
    AccessibilityFeature,
    Fact,
    Location,
    Method,
    Organization,
    Practitioner,
    PractitionerRole,
    TaxonomyCode,
    Verification,
)
from careatlas.providers.models.organizations import DAYS

EN_DASH = "\u2013"
DAY_NAMES = {
    "mon": gettext_lazy("Monday"),
    "tue": gettext_lazy("Tuesday"),
    "wed": gettext_lazy("Wednesday"),
    "thu": gettext_lazy("Thursday"),
    "fri": gettext_lazy("Friday"),
    "sat": gettext_lazy("Saturday"),
    "sun": gettext_lazy("Sunday"),
}
# The languages offered wherever someone picks from a list: the search filter and the
# practice's own forms. Stored values may hold other codes (NPPES-free imports, editors).
LANGUAGE_CODES = (
    "en", "es", "zh", "tl", "vi", "ar", "fr", "ko", "ru", "pt", "ht", "hi", "de", "pl", "asl",
)  # fmt: skip
# Languages Django's own table does not name.
EXTRA_LANGUAGES = {
    "zh": gettext_lazy("Chinese"),
    "tl": gettext_lazy("Tagalog"),
    "ht": gettext_lazy("Haitian Creole"),
    "asl": gettext_lazy("American Sign Language"),
}


@dataclass(frozen=True)
class Badge:
    """How sure we are of a fact: state is verified, stale, disputed or unverified."""

    state: str
    text: str
    detail: str = ""
    # Current and confirmed by the practice itself, not by a registry, claims or an editor.
    by_practice: bool = False
    # When the fact was last checked (None: never), for the profile's currency line.
    verified_on: datetime.date | None = None

    @property
    def short(self) -> str:
        """The badge itself: a few words that fit beside or under a fact on a phone."""
        if self.state == "verified":
            return _("Confirmed by the practice") if self.by_practice else _("Verified")
        return self.text  # "May be out of date", "Reported as possibly wrong", "Not verified yet"

    @property
    def explanation(self) -> str:
        """What one tap on the badge reveals: when and how the fact was checked."""
        if self.state == "verified":
            return f"{self.text}."
        return self.detail or _("We have not checked this fact yet.")


def badge(verification: Verification | None, today: datetime.date | None = None) -> Badge:
    """'Verified March 2026 via registry match', or why we cannot say that."""
    if verification is None:
        return Badge("unverified", _("Not verified yet"))
    when = formats.date_format(verification.verified_on, "YEAR_MONTH_FORMAT")
    how = verification.get_method_display()
    day = verification.verified_on
    if verification.disputed:
        return Badge(
            "disputed",
            _("Reported as possibly wrong"),
            _("Someone told us this may be wrong; we are checking it. Last verified %(when)s.")
            % {"when": when},
            verified_on=day,
        )
    if verification.is_stale(today):
        return Badge(
            "stale",
            _("May be out of date"),
            _("Last verified %(when)s via %(how)s.") % {"when": when, "how": how},
            verified_on=day,
        )
    if verification.method == Method.OFFICE_CONFIRMATION:
        shown = formats.date_format(day, "DATE_FORMAT")
        return Badge(
            "verified",
            _("Confirmed by the practice on %(day)s") % {"day": shown},
            by_practice=True,
            verified_on=day,
        )
    return Badge(
        "verified", _("Verified %(when)s via %(how)s") % {"when": when, "how": how}, verified_on=day
    )


def role_badges(
    fact: str, role_ids: list[int], today: datetime.date | None = None
) -> dict[int, Badge]:
    """The badge of one fact about each of these roles (one query for a page of results)."""
    found = Verification.objects.filter(fact=fact, role_id__in=role_ids)
    by_role = {v.role_id: v for v in found}
    return {pk: badge(by_role.get(pk), today) for pk in role_ids}


def visits_text(location: Location) -> str:
    """What a patient can expect: video, phone, either, or no remote visits."""
    video, phone = location.video_visits, location.phone_visits
    if video and phone:
        return _("Video and phone visits")
    if video:
        return _("Video visits")
    if phone:
        return _("Phone visits")
    if location.telehealth:
        # Imported or entered before the practice said which kind.
        return _("Video or phone visits available")
    return _("Not offered")


def phone_display(digits: str) -> str:
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits


def tel_href(digits: str) -> str:
    return f"tel:+1{digits}" if len(digits) == 10 and digits.isdigit() else ""


def price_range(low: Decimal | None, high: Decimal | None) -> str:
    """'$80–$120', '$95', or '' when no self-pay price is listed."""
    if low is None or high is None:
        return ""
    a, b = dollars(Decimal(low)), dollars(Decimal(high))
    return a if a == b else f"{a}{EN_DASH}{b}"


def _time(text: str) -> str:
    hours, minutes = (int(part) for part in text.split(":"))
    return formats.time_format(datetime.time(hours, minutes))


def opening_hours(hours: list[dict]) -> list[tuple[str, str]]:
    """(day, hours) for every day of the week, e.g. ('Monday', '8 a.m.–5 p.m.'), or []."""
    if not hours:
        return []
    periods: dict[str, list[tuple[str, str]]] = {day: [] for day in DAYS}
    for period in hours:
        for day in period["days"]:
            periods[day].append((period["opens"], period["closes"]))
    rows = []
    for day in DAYS:
        spans = sorted(periods[day])
        hours_text = ", ".join(f"{_time(a)}{EN_DASH}{_time(b)}" for a, b in spans)
        text = hours_text or pgettext("opening hours", "Closed")
        rows.append((str(DAY_NAMES[day]), text))
    return rows


def language_names(codes: list[str]) -> list[str]:
    names = []
    for code in codes:
        # Django's own catalogues name its languages in the reader's language.
        known = code in LANG_INFO and get_language_info(code)["name_translated"]
        names.append(str(EXTRA_LANGUAGES.get(code) or known or code))
    return names


def address_lines(location: Location) -> list[str]:
    lines = [
        location.line1,
        location.line2,
        f"{location.city}, {location.state} {location.zip_code}",
    ]
    return [line for line in lines if line]


@dataclass
class FactView:
    """One fact as the page shows it, with its badge and the key a report refers to."""

    label: str
    value: str
    badge: Badge
    key: str
    # Where the fact applies, for the report form: e.g. the location's street address.
    context: str = ""

    @property
    def report_label(self) -> str:
        text = f"{self.label}: {self.value}" if self.value else self.label
        return f"{text} ({self.context})" if self.context else text


@dataclass
class ProcedureView:
    name: str
    url: str
    price: str
    offered: FactView
    price_fact: FactView | None


@dataclass
class PlaceView:
    role: PractitionerRole
    location: Location
    heading: str
    address: list[str]
    phone: str
    tel: str
    hours: list[tuple[str, str]]
    hours_fact: FactView
    accessibility: list[str]
    facts: list[FactView]
    specialties: list[str]
    procedures: list[ProcedureView]
    insurance: list[str]
    insurance_fact: FactView
    directions: dict[str, str] = field(default_factory=dict)


@dataclass
class ProfilePage:
    practitioner: Practitioner
    verified: bool
    identity: FactView
    languages: list[str]
    languages_fact: FactView | None
    places: list[PlaceView]
    licenses: list[FactView]
    certifications: list[FactView]
    specialties: list[str]
    education: list[str]
    education_fact: FactView | None
    bio_fact: FactView | None = None
    facts: list[FactView] = field(default_factory=list)
    accuracy: ProfileAccuracy | None = None
    # Claimed, and the practice has not confirmed its facts for PRACTICE_CONFIRMATION_DAYS.
    practice_notice: str = ""
    # "Most facts checked in the last 6 months; 2 may be out of date" (providers.currency).
    currency: str = ""

    @property
    def has_procedures(self) -> bool:
        return any(place.procedures for place in self.places)

    @property
    def reportable(self) -> list[tuple[str, str]]:
        """(key, label) of every fact on the page, for the report form."""
        return [(fact.key, fact.report_label) for fact in self.facts]


class _Badges:
    def __init__(self, verifications, today):
        self.by_key = {v.key: v for v in verifications}
        self.today = today
        self.facts: list[FactView] = []

    def fact(
        self, fact: str, subject_id: int, label: str, value: str = "", context: str = ""
    ) -> FactView:
        view = FactView(
            label=label,
            value=value,
            badge=badge(self.by_key.get((fact, subject_id)), self.today),
            key=f"{fact}:{subject_id}",
            context=context,
        )
        self.facts.append(view)
        return view


def _place(role: PractitionerRole, badges: _Badges, nucc_names: dict[str, str]) -> PlaceView:
    location = role.location
    address = address_lines(location)
    where = location.line1
    # Our specialty where the code maps to one, else NUCC's display name for the code.
    specialties = [
        s.specialty.name if s.specialty else nucc_names.get(s.code, s.code)
        for s in role.specialties.all()
    ]
    accepting = AcceptingPatients(role.accepting_new_patients).label
    telehealth = visits_text(location)
    accessibility = [str(AccessibilityFeature(code).label) for code in location.accessibility]
    facts = [
        badges.fact(Fact.ADDRESS, location.pk, _("Address"), ", ".join(address)),
        badges.fact(Fact.PHONE, location.pk, _("Phone"), phone_display(location.phone), where),
        badges.fact(Fact.ACCEPTING_NEW_PATIENTS, role.pk, _("New patients"), accepting, where),
        badges.fact(Fact.TELEHEALTH, location.pk, _("Telehealth"), telehealth, where),
    ]
    if location.staff_languages:
        staff = ", ".join(language_names(location.staff_languages))
        facts.append(badges.fact(Fact.STAFF_LANGUAGES, location.pk, _("Staff speak"), staff, where))
    if specialties:
        facts.append(
            badges.fact(Fact.SPECIALTY, role.pk, _("Specialty"), ", ".join(specialties), where)
        )
    facts.append(
        badges.fact(
            Fact.ACCESSIBILITY,
            location.pk,
            _("Accessibility"),
            ", ".join(accessibility) or _("Not listed"),
            where,
        )
    )
    hours_fact = badges.fact(Fact.HOURS, location.pk, _("Opening hours"), context=where)
    procedures = []
    for offered in role.offered_procedures.all():
        procedure = offered.procedure
        guide = next(iter(getattr(procedure, "published_guides", [])), None)
        name = guide.title if guide else procedure.slug.replace("-", " ").capitalize()
        price = price_range(offered.self_pay_low, offered.self_pay_high)
        price_label = _("Self-pay price for %(name)s") % {"name": name}
        procedures.append(
            ProcedureView(
                name=name,
                url=guide.get_absolute_url() if guide else "",
                price=price,
                offered=badges.fact(Fact.PROCEDURE_OFFERED, offered.pk, _("Offers"), name, where),
                price_fact=badges.fact(Fact.SELF_PAY_PRICE, offered.pk, price_label, price, where)
                if price
                else None,
            )
        )
    insurance = [plan.name for plan in role.insurance_plans.all()]
    insurance_fact = badges.fact(
        Fact.INSURANCE, role.pk, _("Insurance accepted"), ", ".join(insurance), where
    )
    return PlaceView(
        role=role,
        location=location,
        heading=location.name or (role.organization.name if role.organization else address[0]),
        address=address,
        phone=phone_display(location.phone),
        tel=tel_href(location.phone),
        hours=opening_hours(location.hours),
        hours_fact=hours_fact,
        accessibility=accessibility,
        facts=facts,
        specialties=specialties,
        procedures=procedures,
        insurance=insurance,
        insurance_fact=insurance_fact,
        directions=directions_links(", ".join(address), location.latitude, location.longitude),
    )


def profile_page(practitioner: Practitioner, today: datetime.date | None = None) -> ProfilePage:
    """Everything the profile shows, from a practitioner loaded by `access.with_profile()`.

    Costs two more queries: the verifications of every object on the page, and the
    "verified provider" rule (PractitionerQuerySet.verified, so it is written once).
    """
    today = today or timezone.localdate()
    roles = list(practitioner.roles.all())
    licenses = list(practitioner.licenses.all())
    certifications = list(practitioner.certifications.all())
    subjects = [practitioner, *licenses, *certifications, *roles]
    subjects += list({role.location_id: role.location for role in roles}.values())
    subjects += [offered for role in roles for offered in role.offered_procedures.all()]
    verifications = list(Verification.objects.about(*subjects))
    badges = _Badges(verifications, today)

    identity = badges.fact(Fact.IDENTITY, practitioner.pk, _("Identity"), practitioner.name)
    languages = language_names(practitioner.languages)
    languages_fact = (
        badges.fact(Fact.LANGUAGES, practitioner.pk, _("Languages"), ", ".join(languages))
        if languages
        else None
    )
    license_views = [
        badges.fact(
            Fact.LICENSE,
            lic.pk,
            _("License"),
            _("%(state)s %(number)s, %(status)s")
            % {"state": lic.state, "number": lic.number, "status": lic.get_status_display()},
        )
        for lic in licenses
    ]
    certification_views = [
        badges.fact(
            Fact.BOARD_CERTIFICATION,
            cert.pk,
            _("Board certification"),
            _("%(specialty)s, %(board)s (%(status)s)")
            % {
                "specialty": cert.specialty,
                "board": cert.board,
                "status": cert.get_status_display(),
            },
        )
        for cert in certifications
    ]
    education = [line.strip() for line in practitioner.education.splitlines() if line.strip()]
    education_fact = (
        badges.fact(Fact.EDUCATION, practitioner.pk, _("Education"), "; ".join(education))
        if education
        else None
    )
    bio_fact = (
        badges.fact(Fact.BIO, practitioner.pk, _("Short bio"), practitioner.bio)
        if practitioner.bio
        else None
    )
    codes = {s.code for role in roles for s in role.specialties.all() if s.specialty is None}
    nucc_names = (
        {t.code: t.name for t in TaxonomyCode.objects.filter(code__in=codes)} if codes else {}
    )
    places = [_place(role, badges, nucc_names) for role in roles]
    specialties = list(dict.fromkeys(name for place in places for name in place.specialties))
    return ProfilePage(
        practitioner=practitioner,
        verified=practitioner.is_verified(today),
        identity=identity,
        languages=languages,
        languages_fact=languages_fact,
        places=places,
        licenses=license_views,
        certifications=certification_views,
        specialties=specialties,
        education=education,
        education_fact=education_fact,
        bio_fact=bio_fact,
        facts=badges.facts,
        accuracy=profile_accuracy(badges.facts),
        practice_notice=practice_notice(practitioner, today),
        currency=listing_currency([fact.badge for fact in badges.facts], today).text,
    )


def practice_notice(
    subject: Practitioner | Organization, today: datetime.date | None = None
) -> str:
    """'Not confirmed by the practice since 2 March 2026' for a claimed, overdue listing."""
    since = subject.confirmation_lapsed_since(today)
    if since is None:
        return ""
    day = formats.date_format(since, "DATE_FORMAT")
    return _("Not confirmed by the practice since %(day)s") % {"day": day}


def place_confirmations(
    pairs: list[tuple[int, int]], today: datetime.date | None = None
) -> dict[tuple[int, int], dict[str, str]]:
    """For search results: at each (practitioner, location), which of "new patients" and
    "video or phone visits" the practice confirmed, as badge text keyed by fact."""
    wanted = set(pairs)
    shown: dict[tuple[int, int], dict[str, str]] = {pair: {} for pair in wanted}
    for fact, practitioner_id, location_id, day in Verification.objects.confirmed_at_places(
        pairs, today
    ):
        text = _("Confirmed by the practice on %(day)s") % {
            "day": formats.date_format(day, "DATE_FORMAT")
        }
        if fact == Fact.TELEHEALTH:
            # A location's visits are confirmed for everyone practising there.
            for pair in wanted:
                if pair[1] == location_id:
                    shown[pair][fact] = text
        elif (practitioner_id, location_id) in wanted:
            shown[(practitioner_id, location_id)][fact] = text
    return shown
