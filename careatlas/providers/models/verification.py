"""Verification of one fact about one object: how, by whom, when, and whether it is disputed."""

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stale_after_days() -> int:
    """How old a verification may get before its badge says "May be out of date"."""
    return int(getattr(settings, "VERIFICATION_STALE_DAYS", 180))


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Verifications made before this day are stale."""
    return (today or timezone.localdate()) - datetime.timedelta(days=stale_after_days())


def confirmation_days() -> int:
    """How often a claimed practice is asked to confirm its facts again (CMS: 90 days)."""
    return int(getattr(settings, "PRACTICE_CONFIRMATION_DAYS", 90))


def confirmation_due_before(today: datetime.date | None = None) -> datetime.date:
    """A practice whose last confirmation is older than this day is overdue."""
    return (today or timezone.localdate()) - datetime.timedelta(days=confirmation_days())


class ClaimedQuerySet(models.QuerySet):
    """Reads shared by the two kinds of listing a practice can claim and keep current."""

    def claimed(self):
        return self.filter(claimed_on__isnull=False)

    def confirmation_overdue(self, today: datetime.date | None = None):
        """Claimed, and not confirmed by the practice for PRACTICE_CONFIRMATION_DAYS.

        A practice that never confirmed is counted from the day of its claim, so a new claim
        gets the full period before its first reminder.
        """
        due = confirmation_due_before(today)
        return self.claimed().filter(
            Q(practice_confirmed_on__lt=due)
            | Q(practice_confirmed_on__isnull=True, claimed_on__lt=due)
        )


class Claimable:
    """For a model with `claimed_on`, `practice_confirmed_on` and `npi`: what a claim implies."""

    @property
    def practice_key(self) -> str:
        """How the audit trail files the practice's events: "practitioner:<npi>" and the like."""
        return f"{self._meta.model_name}:{self.npi}"

    def confirmation_lapsed_since(self, today: datetime.date | None = None) -> datetime.date | None:
        """The day of the last confirmation (or of the claim) when it is overdue, else None."""
        if self.claimed_on is None:
            return None
        last = self.practice_confirmed_on or self.claimed_on
        return last if last < confirmation_due_before(today) else None


class Fact(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    EDUCATION = "education", _("Education")
    LANGUAGES = "languages", _("Languages")
    LICENSE = "license", _("License")
    BOARD_CERTIFICATION = "board_certification", _("Board certification")
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone number")
    HOURS = "hours", _("Opening hours")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    TELEHEALTH = "telehealth", _("Telehealth")
    ACCEPTING_NEW_PATIENTS = "accepting_new_patients", _("Accepting new patients")
    SPECIALTY = "specialty", _("Specialty")
    INSURANCE = "insurance", _("Insurance accepted")
    PROCEDURE_OFFERED = "procedure_offered", _("Procedure offered")
    SELF_PAY_PRICE = "self_pay_price", _("Self-pay price")
    STAFF_LANGUAGES = "staff_languages", _("Languages spoken by staff")
    BIO = "bio", _("Short bio")
    PHOTO = "photo", _("Photo")


# Which object each fact is about: the name of the one subject field a verification sets.
FACT_SUBJECTS: dict[str, str] = {
    Fact.IDENTITY: "practitioner",
    Fact.EDUCATION: "practitioner",
    Fact.LANGUAGES: "practitioner",
    Fact.BIO: "practitioner",
    Fact.PHOTO: "practitioner",
    Fact.LICENSE: "license",
    Fact.BOARD_CERTIFICATION: "certification",
    Fact.ADDRESS: "location",
    Fact.PHONE: "location",
    Fact.HOURS: "location",
    Fact.ACCESSIBILITY: "location",
    Fact.TELEHEALTH: "location",
    Fact.STAFF_LANGUAGES: "location",
    Fact.ACCEPTING_NEW_PATIENTS: "role",
    Fact.SPECIALTY: "role",
    Fact.INSURANCE: "role",
    Fact.PROCEDURE_OFFERED: "offered_procedure",
    Fact.SELF_PAY_PRICE: "offered_procedure",
}
SUBJECT_FIELDS = (
    "practitioner",
    "license",
    "certification",
    "location",
    "role",
    "offered_procedure",
)


class Method(models.TextChoices):
    REGISTRY_MATCH = "registry_match", _("registry match")
    CLAIMS_DATA = "claims_data", _("claims data")
    DOCUMENT = "document", _("document review")
    OFFICE_CONFIRMATION = "office_confirmation", _("office confirmation")
    PATIENT_REPORT = "patient_report", _("patient report")


def _one_subject_for_its_fact() -> Q:
    """Exactly the subject field named by FACT_SUBJECTS is set, and no other."""
    alternatives = []
    for subject in SUBJECT_FIELDS:
        facts = sorted(fact for fact, field in FACT_SUBJECTS.items() if field == subject)
        others = {f"{other}__isnull": True for other in SUBJECT_FIELDS if other != subject}
        alternatives.append(Q(fact__in=facts, **{f"{subject}__isnull": False}, **others))
    return reduce(or_, alternatives)


def _subject_fk(model, related_name: str, verbose_name) -> models.ForeignKey:
    # No plain index: the partial unique constraints below index each subject column.
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        db_index=False,
    )


class VerificationQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> "VerificationQuerySet":
        return self.filter(disputed=False, verified_on__gte=stale_before(today))

    def stale(self, today: datetime.date | None = None) -> "VerificationQuerySet":
        return self.filter(verified_on__lt=stale_before(today))

    def disputed(self) -> "VerificationQuerySet":
        return self.filter(disputed=True)

    def by_practice(self) -> "VerificationQuerySet":
        return self.filter(method=Method.OFFICE_CONFIRMATION)

    def confirmed_at_places(self, pairs: list[tuple[int, int]], today=None) -> list[tuple]:
        """(fact, practitioner id, location id, day) of current practice confirmations of
        "new patients" and "video or phone visits" at (practitioner, location) places.

        What a search result card shows beside those two facts: one query for a page.
        """
        if not pairs:
            return []
        practitioners = {p for p, _l in pairs}
        locations = {loc for _p, loc in pairs}
        rows = (
            self.by_practice()
            .current(today)
            .filter(
                Q(
                    fact=Fact.ACCEPTING_NEW_PATIENTS,
                    role__practitioner_id__in=practitioners,
                    role__location_id__in=locations,
                )
                | Q(fact=Fact.TELEHEALTH, location_id__in=locations)
            )
            .values_list(
                "fact", "role__practitioner_id", "role__location_id", "location_id", "verified_on"
            )
        )
        return [(fact, p, role_loc or loc, day) for fact, p, role_loc, loc, day in rows]

    def confirmed_by_practice_since(self, day: datetime.date) -> "VerificationQuerySet":
        """Facts a practice confirmed on or after `day` (served by verification_method_day)."""
        return self.by_practice().filter(verified_on__gte=day)

    def about(self, *subjects: models.Model) -> "VerificationQuerySet":
        """Verifications of any fact about any of these objects (one indexed query)."""
        field_for_model = {
            self.model._meta.get_field(name).related_model: name for name in SUBJECT_FIELDS
        }
        ids: dict[str, list[int]] = defaultdict(list)
        for subject in subjects:
            ids[field_for_model[type(subject)]].append(subject.pk)
        if not ids:
            return self.none()
        return self.filter(reduce(or_, (Q(**{f"{f}__in": pks}) for f, pks in ids.items())))


class Verification(models.Model):
    """The current verification of one fact; re-verifying updates it in place.

    The fact decides which subject column is set (FACT_SUBJECTS), so the badges of a
    profile come from one indexed query over the ids the page already holds.
    """

    fact = models.CharField(_("fact"), max_length=24, choices=Fact.choices)
    # Named, not imported: every subject's model reads verifications (Practitioner.verified).
    practitioner = _subject_fk("providers.Practitioner", "verifications", _("practitioner"))
    license = _subject_fk("providers.StateLicense", "verifications", _("license"))
    certification = _subject_fk(
        "providers.BoardCertification", "verifications", _("board certification")
    )
    location = _subject_fk("providers.Location", "verifications", _("location"))
    role = _subject_fk("providers.PractitionerRole", "verifications", _("role"))
    offered_procedure = _subject_fk(
        "providers.OfferedProcedure", "verifications", _("procedure offered")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    verified_by = models.CharField(
        _("verified by"), max_length=120, help_text=_("A person, team or data source.")
    )
    verified_on = models.DateField(_("verified on"))
    disputed = models.BooleanField(
        _("disputed"), default=False, help_text=_("Set by a report; cleared when it is reviewed.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VerificationQuerySet.as_manager()

    class Meta:
        ordering = ["fact", "id"]
        verbose_name = _("verification")
        constraints = [
            models.CheckConstraint(
                condition=_one_subject_for_its_fact(),
                name="verification_subject_matches_fact",
                violation_error_message=_("Set exactly the object this fact is about."),
            ),
            *[
                models.UniqueConstraint(
                    fields=[subject, "fact"],
                    condition=Q(**{f"{subject}__isnull": False}),
                    name=f"one_verification_per_{subject}_fact",
                )
                for subject in SUBJECT_FIELDS
            ],
        ]
        # The accuracy page counts recent office confirmations among millions of rows.
        indexes = [models.Index(fields=["method", "verified_on"], name="verification_method_day")]

    def __str__(self) -> str:
        return f"{self.get_fact_display()} via {self.get_method_display()} on {self.verified_on}"

    @property
    def subject_field(self) -> str:
        return FACT_SUBJECTS[self.fact]

    @property
    def subject_id(self) -> int | None:
        return getattr(self, f"{self.subject_field}_id")

    @property
    def key(self) -> tuple[str, int]:
        """(fact, subject id): what a page looks a badge up by."""
        return (self.fact, self.subject_id)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return self.verified_on < stale_before(today)

    def is_current(self, today: datetime.date | None = None) -> bool:
        return not self.disputed and not self.is_stale(today)
