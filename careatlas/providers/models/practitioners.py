"""Practitioners (FHIR Practitioner), their state licenses and board certifications."""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from careatlas.providers.credentials import normalise_credentials
from careatlas.providers.geocoding import STATE_NAMES
from careatlas.providers.models.verification import (
    Claimable,
    ClaimedQuerySet,
    Fact,
    Verification,
)
from careatlas.providers.npi import validate_npi

# Below this many published reviews a practitioner shows the count, never an average, and
# search neither filters nor sorts them by one: a mean of two or three scores says more about
# chance than about the practice (ADR 0017).
MIN_REVIEWS_FOR_AVERAGE = 5

STATE_CHOICES = sorted(STATE_NAMES.items(), key=lambda item: item[1])
# CSP allows images from our own origin only, and patients' browsers make no third-party
# requests, so a photo must be a file we serve.
own_origin_path = RegexValidator(
    r"^/[^/\\]", _("Give a path on this site, e.g. /media/photos/1234567893.jpg.")
)


class Sex(models.TextChoices):
    # FHIR AdministrativeGender, so the API maps it one to one.
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not stated")


class MedicareAssignment(models.TextChoices):
    # Care Compare's Ind_assgn / grp_assgn: "Y" accepts Medicare's approved amount as full
    # payment for all services; "M" may accept it for some.
    ACCEPTS = "Y", _("Accepts Medicare assignment")
    MAY_ACCEPT = "M", _("May accept Medicare assignment")
    UNKNOWN = "", _("Not known")


class PractitionerQuerySet(ClaimedQuerySet):
    def active(self) -> "PractitionerQuerySet":
        return self.filter(active=True)

    def public(self) -> "PractitionerQuerySet":
        """Who may appear on public pages, in the API, FHIR, sitemaps and the search index."""
        return self.active()

    def demo(self) -> "PractitionerQuerySet":
        return self.filter(is_demo=True)

    def verified(self, today: datetime.date | None = None) -> "PractitionerQuerySet":
        """Identity and an active license both verified, current and undisputed."""
        today = today or timezone.localdate()
        current = Verification.objects.current(today)
        identity = current.filter(fact=Fact.IDENTITY, practitioner=OuterRef("pk"))
        license_ = current.filter(
            Q(license__expires_on__isnull=True) | Q(license__expires_on__gte=today),
            fact=Fact.LICENSE,
            license__practitioner=OuterRef("pk"),
            license__status=LicenseStatus.ACTIVE,
        )
        return self.filter(Exists(identity), Exists(license_))


class Practitioner(Claimable, models.Model):
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    first_name = models.CharField(_("first name"), max_length=80)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80)
    suffix = models.CharField(_("suffix"), max_length=20, blank=True)
    credentials = models.JSONField(
        _("credentials"),
        default=list,
        blank=True,
        help_text=_("Normalised on save, e.g. DO, MD, DC, PT, LAc."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. en, es, zh.")
    )
    photo_url = models.CharField(
        _("photo"), max_length=300, blank=True, validators=[own_origin_path]
    )
    bio = models.TextField(_("short bio"), max_length=1500, blank=True)
    education = models.TextField(_("education"), blank=True, help_text=_("One entry per line."))
    is_demo = models.BooleanField(
        _("demo data"), default=False, db_index=True, help_text=_("Synthetic, for demos only.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to hide from search and profile pages.")
    )
    # Registry facts, written by the importers (NPPES, CMS Care Compare).
    enumerated_on = models.DateField(_("NPI assigned on"), null=True, blank=True)
    registry_updated_on = models.DateField(
        _("registry last updated"), null=True, blank=True, help_text=_("NPPES last update date.")
    )
    deactivated_on = models.DateField(
        _("NPI deactivated on"),
        null=True,
        blank=True,
        help_text=_("A deactivated NPI is hidden from search until it is reactivated."),
    )
    reactivated_on = models.DateField(_("NPI reactivated on"), null=True, blank=True)
    medical_school = models.CharField(_("medical school"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    medicare_assignment = models.CharField(
        _("Medicare assignment"),
        max_length=1,
        choices=MedicareAssignment.choices,
        default=MedicareAssignment.UNKNOWN,
        blank=True,
    )
    pac_id = models.CharField(
        _("PECOS PAC ID"), max_length=10, blank=True, help_text=_("CMS's enrollment identifier.")
    )
    hospital_affiliations = models.ManyToManyField(
        "providers.Organization",
        verbose_name=_("hospital affiliations"),
        blank=True,
        related_name="affiliated_practitioners",
    )
    # Written by providers.claiming and providers.confirmation, never by importers.
    claimed_on = models.DateField(
        _("claimed on"), null=True, blank=True, help_text=_("When a claim was approved.")
    )
    practice_confirmed_on = models.DateField(
        _("last confirmed by the practice"), null=True, blank=True
    )
    # Kept by careatlas.reviews.ratings from published reviews only, so search can filter
    # and sort by rating without counting review rows on every query.
    review_count = models.PositiveIntegerField(_("published reviews"), default=0)
    review_average = models.DecimalField(
        _("average overall score"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("practitioner")
        indexes = [
            # Covers the accuracy page's one aggregate over every listed practitioner:
            # 86 -> 30 ms at 100,000 on SQLite (a narrow index scan instead of wide rows).
            models.Index(
                fields=["active", "claimed_on", "practice_confirmed_on"],
                name="practitioner_claims",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.credentials = normalise_credentials(self.credentials)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("providers:profile", args=[self.npi, self.slug])

    @property
    def name(self) -> str:
        parts = [self.prefix, self.first_name, self.middle_name, self.last_name, self.suffix]
        return " ".join(p for p in parts if p)

    @property
    def display_name(self) -> str:
        return f"{self.name}, {', '.join(self.credentials)}" if self.credentials else self.name

    @property
    def slug(self) -> str:
        return slugify(f"{self.first_name} {self.last_name}") or "provider"

    @property
    def rating(self):
        """The mean overall score (Decimal, two places) shown and searched by, or None when
        there are fewer than MIN_REVIEWS_FOR_AVERAGE published reviews."""
        if self.review_count < MIN_REVIEWS_FOR_AVERAGE or self.review_average is None:
            return None
        return self.review_average

    def is_verified(self, today: datetime.date | None = None) -> bool:
        """Identity and an active license verified, neither stale nor disputed (one query)."""
        return type(self).objects.filter(pk=self.pk).verified(today).exists()


class LicenseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class StateLicense(models.Model):
    # No index of its own: the unique index below starts with it and serves its lookups.
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="licenses", db_index=False
    )
    state = models.CharField(_("state"), max_length=2, choices=STATE_CHOICES)
    number = models.CharField(_("license number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=LicenseStatus.choices, default=LicenseStatus.ACTIVE
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["state", "number"]
        verbose_name = _("state license")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "state", "number"], name="license_listed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == LicenseStatus.ACTIVE and (
            self.expires_on is None or self.expires_on >= today
        )


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("Certified")
    EXPIRED = "expired", _("Expired")
    INACTIVE = "inactive", _("Inactive")
    REVOKED = "revoked", _("Revoked")


class BoardCertification(models.Model):
    # No index of its own: the unique index below starts with it and serves its lookups.
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="certifications", db_index=False
    )
    board = models.CharField(_("board"), max_length=200)
    specialty = models.CharField(_("certified in"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificationStatus.choices,
        default=CertificationStatus.ACTIVE,
    )
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Empty for lifetime certificates.")
    )

    class Meta:
        ordering = ["board", "specialty"]
        verbose_name = _("board certification")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "board", "specialty"], name="certification_listed_once"
            ),
            models.CheckConstraint(
                condition=~Q(board="") & ~Q(specialty=""), name="certification_names_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specialty} ({self.board})"

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == CertificationStatus.ACTIVE and (
            self.expires_on is None or self.expires_on >= today
        )
