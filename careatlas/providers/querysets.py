"""Reads of the provider directory: every public query starts here."""

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone


class PractitionerQuerySet(models.QuerySet):
    def active(self) -> "PractitionerQuerySet":
        return self.filter(active=True)

    def public(self) -> "PractitionerQuerySet":
        """Who may appear on public pages and in the API: every read of a profile uses this."""
        return self.active()

    def demo(self) -> "PractitionerQuerySet":
        return self.filter(is_demo=True)

    def verified(self, today: datetime.date | None = None) -> "PractitionerQuerySet":
        """Identity and an active license both verified, current and undisputed."""
        from careatlas.providers.models import Fact, LicenseStatus, Verification

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

    def for_profile(self) -> "PractitionerQuerySet":
        """Everything a profile page shows, in a fixed, small number of queries."""
        from careatlas.procedures.models import Guide
        from careatlas.providers.models import OfferedProcedure, PractitionerRole, RoleSpecialty

        roles = (
            PractitionerRole.objects.filter(active=True)
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
        return self.prefetch_related(
            "licenses", "certifications", Prefetch("roles", queryset=roles)
        )


class VerificationQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> "VerificationQuerySet":
        from careatlas.providers.models import stale_before

        return self.filter(disputed=False, verified_on__gte=stale_before(today))

    def stale(self, today: datetime.date | None = None) -> "VerificationQuerySet":
        from careatlas.providers.models import stale_before

        return self.filter(verified_on__lt=stale_before(today))

    def disputed(self) -> "VerificationQuerySet":
        return self.filter(disputed=True)

    def about(self, *subjects: models.Model) -> "VerificationQuerySet":
        """Verifications of any fact about any of these objects (one indexed query)."""
        from careatlas.providers.models.verification import SUBJECT_FIELDS

        field_for_model = {
            self.model._meta.get_field(name).related_model: name for name in SUBJECT_FIELDS
        }
        ids: dict[str, list[int]] = defaultdict(list)
        for subject in subjects:
            ids[field_for_model[type(subject)]].append(subject.pk)
        if not ids:
            return self.none()
        return self.filter(reduce(or_, (Q(**{f"{f}__in": pks}) for f, pks in ids.items())))


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(status="open")
