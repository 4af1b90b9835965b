"""Organizations (practices, hospitals) and their Locations (FHIR Organization, Location)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.providers.models.practitioners import STATE_CHOICES
from careatlas.providers.models.roles import PractitionerRole
from careatlas.providers.models.verification import Claimable, ClaimedQuerySet
from careatlas.providers.npi import validate_npi

zip_code_validator = RegexValidator(
    r"^\d{5}(-\d{4})?$", _("Enter a 5-digit ZIP code, or ZIP+4 such as 10001-1234.")
)
phone_validator = RegexValidator(
    r"^\d{10}$", _("Enter a 10-digit US phone number, e.g. 212 555 0123.")
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def normalise_phone(value: str) -> str:
    """'(212) 555-0123' or '+1 212 555 0123' -> '2125550123'; other input is kept as typed."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else (value or "")


def validate_opening_hours(value) -> None:
    """Hours are a list of {"days": ["mon", ...], "opens": "08:00", "closes": "17:00"}.

    The shape follows FHIR Location.hoursOfOperation (daysOfWeek, openingTime, closingTime).
    """
    if not isinstance(value, list):
        raise ValidationError(_("Opening hours must be a list of periods."))
    for i, period in enumerate(value, start=1):
        if not isinstance(period, dict) or set(period) != {"days", "opens", "closes"}:
            raise ValidationError(
                _('Period %(n)s needs exactly "days", "opens" and "closes".') % {"n": i}
            )
        days = period["days"]
        if not isinstance(days, list) or not days or any(d not in DAYS for d in days):
            raise ValidationError(
                _("Period %(n)s: days must be a list drawn from %(days)s.")
                % {"n": i, "days": ", ".join(DAYS)}
            )
        for key in ("opens", "closes"):
            if not isinstance(period[key], str) or not _TIME.match(period[key]):
                raise ValidationError(
                    _("Period %(n)s: %(key)s must be a 24-hour time such as 08:30.")
                    % {"n": i, "key": key}
                )
        if period["opens"] >= period["closes"]:
            raise ValidationError(_("Period %(n)s closes before it opens.") % {"n": i})


class AccessibilityFeature(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free entrance")
    ACCESSIBLE_PARKING = "accessible_parking", _("Accessible parking")
    PARKING = "parking", _("On-site parking")
    ELEVATOR = "elevator", _("Elevator")
    ACCESSIBLE_RESTROOM = "accessible_restroom", _("Accessible restroom")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    PUBLIC_TRANSIT = "public_transit", _("Near public transit")
    ASL = "asl", _("American Sign Language available")


def validate_accessibility(value) -> None:
    known = set(AccessibilityFeature.values)
    if not isinstance(value, list) or any(v not in known for v in value):
        raise ValidationError(
            _("Accessibility features must be a list drawn from: %(codes)s.")
            % {"codes": ", ".join(sorted(known))}
        )


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(v, str) or not _LANGUAGE_CODE.match(v) for v in value
    ):
        raise ValidationError(_("Languages must be a list of codes such as en, es or zh."))


class OrganizationKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    HOSPITAL = "hospital", _("Hospital")


class OrganizationQuerySet(ClaimedQuerySet):
    def public(self) -> "OrganizationQuerySet":
        """Organizations with a public page, API answer and FHIR resource: the active ones."""
        return self.filter(active=True)

    def named_starting(self, prefix: str) -> "OrganizationQuerySet":
        """Names starting with `prefix` (any case), read from the lower-cased name index: a
        range, not LIKE, so SQLite and PostgreSQL both use the index whatever the collation."""
        prefix = prefix.lower()
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return self.annotate(name_lower=Lower("name")).filter(
            name_lower__gte=prefix, name_lower__lt=after
        )

    def with_page(self) -> "OrganizationQuerySet":
        """Hospitals with a CCN and practices with a PAC ID: those with a public page."""
        return self.filter(
            Q(kind=OrganizationKind.HOSPITAL, ccn__gt="")
            | Q(kind=OrganizationKind.PRACTICE, pac_id__gt="")
        )


class Organization(Claimable, models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=OrganizationKind.choices, default="practice"
    )
    npi = models.CharField(
        _("organization NPI"), max_length=10, blank=True, validators=[validate_npi]
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    active = models.BooleanField(_("active"), default=True)
    # Registry facts, written by the importers (NPPES, CMS Care Compare, CMS hospitals).
    ccn = models.CharField(
        _("CMS Certification Number"), max_length=10, blank=True, help_text=_("Hospitals only.")
    )
    pac_id = models.CharField(_("PECOS group PAC ID"), max_length=10, blank=True)
    hospital_type = models.CharField(_("hospital type"), max_length=100, blank=True)
    ownership = models.CharField(_("ownership"), max_length=100, blank=True)
    star_rating = models.PositiveSmallIntegerField(
        _("CMS overall star rating"), null=True, blank=True
    )
    emergency_services = models.BooleanField(_("emergency services"), null=True, blank=True)
    enumerated_on = models.DateField(_("NPI assigned on"), null=True, blank=True)
    registry_updated_on = models.DateField(_("registry last updated"), null=True, blank=True)
    deactivated_on = models.DateField(_("NPI deactivated on"), null=True, blank=True)
    reactivated_on = models.DateField(_("NPI reactivated on"), null=True, blank=True)
    # Written by providers.claiming when an organization administrator's claim is approved.
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    # Written by providers.confirmation when the practice confirms all its facts at once.
    practice_confirmed_on = models.DateField(
        _("last confirmed by the practice"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        constraints = [
            models.UniqueConstraint(
                fields=["npi"], condition=~models.Q(npi=""), name="organization_npi_once"
            ),
            models.UniqueConstraint(
                fields=["ccn"], condition=~models.Q(ccn=""), name="organization_ccn_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["pac_id"], condition=~models.Q(pac_id=""), name="organization_pac_id"
            ),
            # Practices and hospitals by name in the search box's suggestions.
            models.Index(Lower("name"), name="organization_name_lower"),
        ]

    def __str__(self) -> str:
        return self.name


class LocationQuerySet(models.QuerySet):
    def public(self) -> "LocationQuerySet":
        """Places where a public role is: what FHIR lists as Location resources."""
        roles = PractitionerRole.objects.public().filter(location=OuterRef("pk"))
        return self.filter(Exists(roles))

    def kept_by(self, subject) -> "LocationQuerySet":
        """The places a claimed practitioner or organization speaks for.

        A practitioner: where they have an active role. An organization: its own locations
        and those where its practitioners' roles are.
        """
        if subject._meta.model_name == "practitioner":
            where = Q(roles__practitioner=subject, roles__active=True)
        else:
            where = Q(organization=subject) | Q(roles__organization=subject)
        return self.filter(pk__in=self.model._default_manager.filter(where).values("pk"))


class Location(models.Model):
    # Optional: an individual's NPPES practice address belongs to no organization we know.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="locations",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2, choices=STATE_CHOICES)
    zip_code = models.CharField(_("ZIP code"), max_length=10, validators=[zip_code_validator])
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[phone_validator])
    hours = models.JSONField(
        _("opening hours"),
        default=list,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_('e.g. [{"days": ["mon", "tue"], "opens": "08:00", "closes": "17:00"}]'),
    )
    accessibility = models.JSONField(
        _("accessibility features"),
        default=list,
        blank=True,
        validators=[validate_accessibility],
    )
    # "Video or phone visits": what search filters on. The practice says which of the two
    # (None: not stated); saving either keeps `telehealth` equal to "video or phone".
    telehealth = models.BooleanField(_("telehealth available"), default=False)
    video_visits = models.BooleanField(_("video visits"), null=True, blank=True)
    phone_visits = models.BooleanField(_("phone visits"), null=True, blank=True)
    staff_languages = models.JSONField(
        _("languages spoken by staff"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Language codes, e.g. en, es, zh."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    source_key = models.CharField(
        _("source key"),
        max_length=60,
        blank=True,
        help_text=_("Where an importer found this address, e.g. nppes:1234567893."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["state", "city", "line1", "id"]
        verbose_name = _("location")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="location_source_once",
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.line1}, {self.city}, {self.state}"

    def save(self, *args, **kwargs):
        if self.video_visits is not None or self.phone_visits is not None:
            self.telehealth = bool(self.video_visits or self.phone_visits)
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "telehealth"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Accept the ways people write phone numbers; store one form.
        self.phone = normalise_phone(self.phone)
        super().clean_fields(exclude=exclude)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
