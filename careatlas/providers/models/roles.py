"""What a practitioner does where (FHIR PractitionerRole): specialties, procedures, insurance."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models import Procedure, Specialty
from careatlas.procedures.models.taxonomy import nucc_code_validator
from careatlas.providers.models.practitioners import Practitioner
from careatlas.providers.models.taxonomy import TaxonomyCode


class PlanType(models.TextChoices):
    HMO = "hmo", "HMO"
    PPO = "ppo", "PPO"
    EPO = "epo", "EPO"
    POS = "pos", "POS"
    MEDICARE = "medicare", _("Medicare")
    MEDICARE_ADVANTAGE = "medicare_advantage", _("Medicare Advantage")
    MEDICAID = "medicaid", _("Medicaid")


class InsurancePlan(models.Model):
    """A health plan a role accepts (Da Vinci Plan-Net InsurancePlan)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    plan_type = models.CharField(_("plan type"), max_length=20, choices=PlanType.choices)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("insurance plan")

    def __str__(self) -> str:
        return self.name


class AcceptingPatients(models.TextChoices):
    # Plan-Net AcceptingPatientsCodes, plus "not known".
    YES = "newpt", _("Accepting new patients")
    EXISTING = "existptonly", _("Existing patients only")
    EXISTING_AND_FAMILY = "existptfam", _("Existing patients and their families")
    NO = "nopt", _("Not accepting new patients")
    UNKNOWN = "", _("Not known")


def takes_requests_here() -> Q:
    """A role whose practice takes consultation requests online at its location: the
    practice claimed the profile (someone answers the inbox) and does not say "not
    accepting new patients" there. The request form and the search cards share it."""
    return Q(active=True, practitioner__claimed_on__isnull=False) & ~Q(
        accepting_new_patients=AcceptingPatients.NO
    )


class PractitionerRoleQuerySet(models.QuerySet):
    def public(self) -> "PractitionerRoleQuerySet":
        """The active roles of public practitioners: what pages, APIs and the index show."""
        listed = Practitioner.objects.public().filter(pk=OuterRef("practitioner_id"))
        return self.filter(Exists(listed), active=True)

    def taking_requests(self) -> "PractitionerRoleQuerySet":
        return self.filter(takes_requests_here())


class PractitionerRole(models.Model):
    """One practitioner at one location for one organization."""

    # No index of its own: the unique indexes below start with it and serve its lookups.
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="roles", db_index=False
    )
    # Optional: NPPES lists an individual's practice address without an organization.
    # Named, not imported: a location is public through its roles (Location.public).
    organization = models.ForeignKey(
        "providers.Organization",
        on_delete=models.CASCADE,
        related_name="roles",
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        "providers.Location", on_delete=models.CASCADE, related_name="roles"
    )
    accepting_new_patients = models.CharField(
        _("new patients"),
        max_length=12,
        choices=AcceptingPatients.choices,
        default=AcceptingPatients.UNKNOWN,
        blank=True,
    )
    insurance_plans = models.ManyToManyField(
        InsurancePlan, verbose_name=_("insurance plans accepted"), blank=True, related_name="roles"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerRoleQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("practitioner role")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "organization", "location"], name="one_role_per_place"
            ),
            models.UniqueConstraint(
                fields=["practitioner", "location"],
                condition=Q(organization__isnull=True),
                name="one_unaffiliated_role_per_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} at {self.location}"


class RoleSpecialty(models.Model):
    """A NUCC taxonomy code of a role, and the Specialty of ours it maps to (if any)."""

    # No index of its own: code_once_per_role (role, code) serves lookups by role.
    role = models.ForeignKey(
        PractitionerRole, on_delete=models.CASCADE, related_name="specialties", db_index=False
    )
    code = models.CharField(
        _("NUCC taxonomy code"), max_length=10, validators=[nucc_code_validator]
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_specialties",
        help_text=_("Filled in from the code through Specialty.nucc_codes."),
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "code"]
        verbose_name = _("role specialty")
        verbose_name_plural = _("role specialties")
        constraints = [models.UniqueConstraint(fields=["role", "code"], name="code_once_per_role")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if self.specialty_id is None:
            self.specialty_id = specialty_ids_by_nucc_code().get(self.code)
        super().save(*args, **kwargs)


def specialty_ids_by_nucc_code() -> dict[str, int]:
    """Our Specialty for each NUCC code (two small queries).

    The codes the content pack lists, overlaid with the imported code set's mapping, which
    import_nucc builds from the pack's rules (nucc_classifications, ...) as well.
    """
    mapping: dict[str, int] = {}
    for specialty_id, codes in Specialty.objects.values_list("id", "nucc_codes"):
        for code in codes or ():
            mapping.setdefault(code, specialty_id)
    mapping.update(
        TaxonomyCode.objects.filter(specialty__isnull=False).values_list("code", "specialty_id")
    )
    return mapping


class OfferedProcedureQuerySet(models.QuerySet):
    def public(self) -> "OfferedProcedureQuerySet":
        """Procedures offered through a public role."""
        roles = PractitionerRole.objects.public().filter(pk=OuterRef("role_id"))
        return self.filter(Exists(roles))


class OfferedProcedure(models.Model):
    """A procedure a role offers, with an optional self-pay price range in US dollars."""

    role = models.ForeignKey(
        PractitionerRole, on_delete=models.CASCADE, related_name="offered_procedures"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="offerings"
    )
    self_pay_low = models.DecimalField(
        _("self-pay price from (USD)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    self_pay_high = models.DecimalField(
        _("self-pay price to (USD)"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    objects = OfferedProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["procedure__slug"]
        verbose_name = _("procedure offered")
        verbose_name_plural = _("procedures offered")
        constraints = [
            models.UniqueConstraint(fields=["role", "procedure"], name="procedure_once_per_role"),
            models.CheckConstraint(
                condition=Q(self_pay_low__isnull=True, self_pay_high__isnull=True)
                | Q(
                    self_pay_low__isnull=False,
                    self_pay_high__isnull=False,
                    self_pay_low__gte=0,
                    self_pay_low__lte=F("self_pay_high"),
                ),
                name="self_pay_range_complete_and_ordered",
                violation_error_message=_(
                    "Give both ends of the self-pay range, the lower one first, or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.procedure)

    @property
    def has_price(self) -> bool:
        return self.self_pay_low is not None
