"""Writes a claimed practice makes to its facts: each is audited and confirmed by the practice."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from careatlas.core.audit import record
from careatlas.procedures.models import Procedure
from careatlas.providers.models import (
    FACT_SUBJECTS,
    Fact,
    InsurancePlan,
    Location,
    Method,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerPhoto,
    PractitionerRole,
    Verification,
)
from careatlas.providers.photos import ResizedPhoto
from careatlas.providers.services import directory_changed

EDITED = "fact.edited"
CONFIRMED_ALL = "facts.confirmed_all"
# The facts a practice keeps, by the kind of object they are about. Registry facts (name,
# NPI, licenses, NPPES address and phone) are not here: NPPES remains their source.
PRACTICE_FACTS: dict[type[models.Model], tuple[str, ...]] = {
    Practitioner: (Fact.LANGUAGES, Fact.BIO, Fact.PHOTO),
    PractitionerRole: (Fact.ACCEPTING_NEW_PATIENTS, Fact.INSURANCE),
    Location: (Fact.HOURS, Fact.TELEHEALTH, Fact.ACCESSIBILITY, Fact.STAFF_LANGUAGES),
    OfferedProcedure: (Fact.PROCEDURE_OFFERED, Fact.SELF_PAY_PRICE),
}
# Which fact each editable field is.
FIELD_FACTS: dict[tuple[type[models.Model], str], str] = {
    (Practitioner, "languages"): Fact.LANGUAGES,
    (Practitioner, "bio"): Fact.BIO,
    (PractitionerRole, "accepting_new_patients"): Fact.ACCEPTING_NEW_PATIENTS,
    (Location, "hours"): Fact.HOURS,
    (Location, "video_visits"): Fact.TELEHEALTH,
    (Location, "phone_visits"): Fact.TELEHEALTH,
    (Location, "accessibility"): Fact.ACCESSIBILITY,
    (Location, "staff_languages"): Fact.STAFF_LANGUAGES,
}


def practice_name(subject: models.Model, owner: Practitioner | Organization) -> str:
    """Who confirmed, as the public sees it: the practice, never the person's account."""
    if isinstance(owner, Organization):
        return owner.name[:120]
    organization = None
    if isinstance(subject, Location | PractitionerRole):
        organization = subject.organization
    elif isinstance(subject, OfferedProcedure):
        organization = subject.role.organization
    return (organization.name if organization else owner.display_name)[:120]


def _confirmation(
    subject: models.Model, owner: Practitioner | Organization, today: datetime.date
) -> dict:
    return {
        "method": Method.OFFICE_CONFIRMATION,
        "verified_by": practice_name(subject, owner),
        "verified_on": today,
        "note": "",
    }


def _confirm(subject: models.Model, facts: Iterable[str], practitioner: Practitioner) -> None:
    """Record "Confirmed by the practice today" for these facts about one object.

    A dispute stays as it is: a patient's report is closed by a reviewer, not by the
    practice saying the fact is right.
    """
    today = timezone.localdate()
    for fact in dict.fromkeys(facts):
        Verification.objects.update_or_create(
            fact=fact,
            **{FACT_SUBJECTS[fact]: subject},
            defaults=_confirmation(subject, practitioner, today),
        )


def _as_text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _audit(subject, field: str, old, new, *, by_user, practitioner, filed_under: str = "") -> None:
    record(
        EDITED,
        actor=by_user,
        subject=subject,
        field=field,
        old=_as_text(old),
        new=_as_text(new),
        practice_key=filed_under or practitioner.practice_key,
    )


@transaction.atomic
def update_facts(
    subject: Practitioner | PractitionerRole | Location,
    changes: dict,
    *,
    practitioner: Practitioner,
    by_user,
    filed_under: str = "",
) -> list[str]:
    """Set some editable fields of one object; returns the fields whose value changed.

    Saving is also confirming: every fact the fields belong to is confirmed today, changed
    or not. The object is saved (not updated) so search re-indexes it through its receivers.
    `filed_under` is the audit trail's practice key when an organization's practice makes
    the edit (default: the practitioner's).
    """
    model = type(subject)
    unknown = [name for name in changes if (model, name) not in FIELD_FACTS]
    if unknown:
        raise ValueError(f"not a practice-editable field of {model.__name__}: {unknown}")
    old = {name: getattr(subject, name) for name in changes}
    for name, value in changes.items():
        setattr(subject, name, value)
    subject.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in changes])
    changed = [name for name in changes if old[name] != getattr(subject, name)]
    if changed:
        subject.save(update_fields=[*changed, "updated_at"])
    for name in changed:
        _audit(
            subject,
            name,
            old[name],
            getattr(subject, name),
            by_user=by_user,
            practitioner=practitioner,
            filed_under=filed_under,
        )
    _confirm(subject, (FIELD_FACTS[(model, name)] for name in changes), practitioner)
    directory_changed(_shown_with(subject))
    return changed


@transaction.atomic
def set_insurance(
    role: PractitionerRole,
    plans: Iterable[InsurancePlan],
    *,
    practitioner,
    by_user,
    filed_under: str = "",
) -> bool:
    """Replace the plans a role accepts; the m2m signal re-indexes the practitioner."""
    plans = list(plans)
    old = sorted(role.insurance_plans.values_list("name", flat=True))
    new = sorted(plan.name for plan in plans)
    if old != new:
        role.insurance_plans.set(plans)
        _audit(
            role,
            "insurance_plans",
            old,
            new,
            by_user=by_user,
            practitioner=practitioner,
            filed_under=filed_under,
        )
    _confirm(role, [Fact.INSURANCE], practitioner)
    directory_changed([role.practitioner_id])
    return old != new


def _price_text(low: Decimal | None, high: Decimal | None) -> str:
    return "" if low is None else f"{low}-{high}"


@transaction.atomic
def offer_procedure(
    role: PractitionerRole,
    procedure: Procedure,
    low: Decimal | None,
    high: Decimal | None,
    *,
    practitioner: Practitioner,
    by_user,
    filed_under: str = "",
) -> OfferedProcedure:
    """Add a procedure to a role, or change its self-pay range (both ends or neither)."""
    offered = OfferedProcedure.objects.filter(role=role, procedure=procedure).first()
    old_price = _price_text(offered.self_pay_low, offered.self_pay_high) if offered else None
    if offered is None:
        offered = OfferedProcedure(role=role, procedure=procedure)
    offered.self_pay_low, offered.self_pay_high = low, high
    offered.full_clean(exclude=["role", "procedure"])
    offered.save()
    new_price = _price_text(low, high)
    who = {"by_user": by_user, "practitioner": practitioner, "filed_under": filed_under}
    if old_price is None:
        _audit(offered, "procedure", "", procedure.slug, **who)
    if (old_price or "") != new_price:
        _audit(offered, "self_pay", old_price, new_price, **who)
    facts = [Fact.PROCEDURE_OFFERED]
    if offered.has_price:
        facts.append(Fact.SELF_PAY_PRICE)
    else:
        # No price is listed any more, so there is nothing for a price badge to vouch for.
        Verification.objects.filter(offered_procedure=offered, fact=Fact.SELF_PAY_PRICE).delete()
    _confirm(offered, facts, practitioner)
    directory_changed([role.practitioner_id])
    return offered


@transaction.atomic
def withdraw_procedure(
    offered: OfferedProcedure, *, practitioner: Practitioner, by_user, filed_under: str = ""
) -> None:
    _audit(
        offered,
        "procedure",
        offered.procedure.slug,
        "",
        by_user=by_user,
        practitioner=practitioner,
        filed_under=filed_under,
    )
    shown_with = _shown_with(offered)
    offered.delete()
    directory_changed(shown_with)


@transaction.atomic
def set_photo(practitioner: Practitioner, resized: ResizedPhoto, *, by_user) -> PractitionerPhoto:
    """Store a photo made by photos.resize_photo (metadata-free) and point `photo_url` at it."""
    photo, _created = PractitionerPhoto.objects.update_or_create(
        practitioner=practitioner,
        defaults={
            "image": resized.data,
            "content_type": resized.content_type,
            "width": resized.width,
            "height": resized.height,
            "digest": resized.digest,
            "updated_at": timezone.now(),
        },
    )
    old = practitioner.photo_url
    # The digest is in the URL, so the view can let browsers and CDNs keep it for a year.
    practitioner.photo_url = reverse("providers:photo", args=[practitioner.npi, resized.digest])
    practitioner.save(update_fields=["photo_url", "updated_at"])
    _audit(
        practitioner,
        "photo",
        old,
        practitioner.photo_url,
        by_user=by_user,
        practitioner=practitioner,
    )
    _confirm(practitioner, [Fact.PHOTO], practitioner)
    directory_changed([practitioner.pk])
    return photo


@transaction.atomic
def remove_photo(practitioner: Practitioner, *, by_user) -> None:
    old = practitioner.photo_url
    PractitionerPhoto.objects.filter(practitioner=practitioner).delete()
    Verification.objects.filter(practitioner=practitioner, fact=Fact.PHOTO).delete()
    practitioner.photo_url = ""
    practitioner.save(update_fields=["photo_url", "updated_at"])
    _audit(practitioner, "photo", old, "", by_user=by_user, practitioner=practitioner)
    directory_changed([practitioner.pk])


def _shown_with(subject: models.Model) -> list[int]:
    """The practitioners whose cached pages show this object's facts (core/page_tags.py)."""
    if isinstance(subject, Practitioner):
        return [subject.pk]
    if isinstance(subject, PractitionerRole):
        return [subject.practitioner_id]
    if isinstance(subject, OfferedProcedure):
        return [subject.role.practitioner_id]
    roles = PractitionerRole.objects.filter(location=subject)
    return list(roles.values_list("practitioner_id", flat=True))


def _roles_kept_by(owner: Practitioner | Organization) -> models.QuerySet[PractitionerRole]:
    """A practitioner's own public roles, or every public role at an organization's places."""
    roles = PractitionerRole.objects.public()
    if isinstance(owner, Practitioner):
        return roles.filter(practitioner=owner)
    return roles.filter(location__in=Location.objects.kept_by(owner))


def practice_subjects(owner: Practitioner | Organization) -> list[tuple[str, models.Model]]:
    """(fact, object) for every fact the practice keeps on public pages (2 queries).

    An organization keeps the facts of its locations and of the practitioners' roles there;
    the practitioners' own facts (languages, bio, photo) follow each person and are theirs.
    """
    roles = list(_roles_kept_by(owner).select_related("organization", "location__organization"))
    offered = list(
        OfferedProcedure.objects.filter(role__in=roles).select_related("role__organization")
    )
    pairs: list[tuple[str, models.Model]] = []
    if isinstance(owner, Practitioner):
        shown = {
            Fact.LANGUAGES: bool(owner.languages),
            Fact.BIO: bool(owner.bio),
            Fact.PHOTO: bool(owner.photo_url),
        }
        pairs += [(fact, owner) for fact in PRACTICE_FACTS[Practitioner] if shown[fact]]
    for role in roles:
        pairs += [(fact, role) for fact in PRACTICE_FACTS[PractitionerRole]]
    for location in {role.location_id: role.location for role in roles}.values():
        pairs += [(fact, location) for fact in PRACTICE_FACTS[Location]]
    for item in offered:
        pairs.append((Fact.PROCEDURE_OFFERED, item))
        if item.has_price:
            pairs.append((Fact.SELF_PAY_PRICE, item))
    return pairs


def verifications_of(pairs: list[tuple[str, models.Model]]) -> dict[tuple, Verification]:
    """The verifications of these (fact, object) pairs by (fact, object id), in one query."""
    subjects = {id(subject): subject for _fact, subject in pairs}.values()
    facts = {fact for fact, _subject in pairs}
    return {v.key: v for v in Verification.objects.about(*subjects).filter(fact__in=facts)}


@transaction.atomic
def confirm_all(owner: Practitioner | Organization, by_user) -> int:
    """ "Everything is still correct": confirm every fact the practice keeps, today.

    A fixed number of queries however many roles, locations and procedures there are:
    read the objects and their verifications, then one bulk update and one bulk insert.
    Returns how many facts were confirmed.
    """
    today = timezone.localdate()
    pairs = practice_subjects(owner)
    existing = verifications_of(pairs)
    changed, created = [], []
    for fact, subject in pairs:
        values = _confirmation(subject, owner, today)
        verification = existing.get((fact, subject.pk))
        if verification is None:
            created.append(Verification(fact=fact, **{FACT_SUBJECTS[fact]: subject}, **values))
            continue
        for name, value in values.items():
            setattr(verification, name, value)
        changed.append(verification)
    now = timezone.now()
    for verification in changed:
        verification.updated_at = now
    Verification.objects.bulk_update(
        changed, ["method", "verified_by", "verified_on", "note", "updated_at"], batch_size=500
    )
    Verification.objects.bulk_create(created, batch_size=500)
    previous = owner.practice_confirmed_on
    owner.practice_confirmed_on = today
    owner.save(update_fields=["practice_confirmed_on", "updated_at"])
    record(
        CONFIRMED_ALL,
        actor=by_user,
        subject=owner,
        field="practice_confirmed_on",
        old=previous,
        new=today,
        practice_key=owner.practice_key,
    )
    directory_changed(_roles_kept_by(owner).values_list("practitioner_id", flat=True))
    return len(pairs)
