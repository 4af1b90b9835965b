"""Synthetic demo providers: generated deterministically, inserted in bulk, removed in bulk."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q

from careatlas.consultations.models import ConsultationRequest
from careatlas.demo.providers import catalogue
from careatlas.demo.providers.bulk import TableWriter
from careatlas.demo.providers.generate import (
    MODELS,
    ContentPack,
    DemoGenerator,
    InsuranceLink,
    SpecialtyRow,
    demo_npis,
)
from careatlas.demo.providers.reviews import clear_demo_reviews
from careatlas.practices.models import Practice
from careatlas.procedures.models import Procedure, Specialty, StatRange
from careatlas.providers.models import (
    BoardCertification,
    IncorrectInfoReport,
    InsurancePlan,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    ProcedureVolume,
    RoleSpecialty,
    StateLicense,
    Verification,
    stale_after_days,
)

__all__ = ["DemoDataError", "SeedResult", "clear_demo_data", "demo_npis", "seed_demo_providers"]


class DemoDataError(Exception):
    """Seeding cannot start; the message says what to do."""


@dataclass
class SeedResult:
    practitioners: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def read_content_pack() -> ContentPack:
    procedures: dict[int, list[int]] = {}
    for procedure_id, specialty_id in Procedure.objects.values_list("id", "specialty_id"):
        procedures.setdefault(specialty_id, []).append(procedure_id)
    specialties = tuple(
        SpecialtyRow(pk, slug, tuple(codes or ()), tuple(sorted(procedures.get(pk, ()))))
        for pk, slug, codes in Specialty.objects.order_by("slug").values_list(
            "id", "slug", "nucc_codes"
        )
    )
    if not specialties:
        raise DemoDataError(
            "No specialties in the database: run `manage.py load_content` first, then seed."
        )
    prices: dict[int, tuple[float, float]] = {}
    costs = StatRange.objects.filter(kind="cost", unit="usd", low__isnull=False).values_list(
        "guide__procedure_id", "low", "high"
    )
    for procedure_id, low, high in costs:
        old = prices.get(procedure_id)
        low, high = float(low), float(high)
        prices[procedure_id] = (min(low, old[0]), max(high, old[1])) if old else (low, high)
    return ContentPack(specialties=specialties, prices=prices, plans=_demo_plans())


def _demo_plans() -> tuple[tuple[int, float], ...]:
    plans = []
    for slug, name, issuer, plan_type, share in catalogue.INSURANCE_PLANS:
        plan, _ = InsurancePlan.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "issuer": issuer, "plan_type": plan_type, "is_demo": True},
        )
        plans.append((plan.pk, share))
    return tuple(plans)


def _raw_delete(queryset: models.QuerySet) -> int:
    # One DELETE ... WHERE per table. Django's collector would load every row to
    # cascade, which takes minutes at a million providers; children go first instead.
    return queryset._raw_delete(queryset.db)


# Every table the demo seeder fills, children first.
DEMO_TABLES = (
    (IncorrectInfoReport, "reports"),
    (Verification, "verifications"),
    # Tables that refer to practitioners but are never seeded: PostgreSQL truncates a
    # referenced table only together with every table referring to it.
    (ProcedureVolume, "Medicare volumes"),
    (Practitioner.hospital_affiliations.through, "hospital affiliations"),
    (InsuranceLink, "insurance links"),
    (OfferedProcedure, "procedures offered"),
    (RoleSpecialty, "role specialties"),
    (PractitionerRole, "roles"),
    (StateLicense, "licenses"),
    (BoardCertification, "certifications"),
    (Practitioner, "practitioners"),
    (Location, "locations"),
    (Organization, "organizations"),
)


def _only_demo_data() -> bool:
    return not any(
        model.objects.filter(is_demo=False).exists()
        for model in (Practitioner, Location, Organization)
    )


def _empty_tables() -> dict[str, int]:
    # TRUNCATE on PostgreSQL (row-by-row deletes with foreign-key checks take minutes
    # at a million providers), DELETE without WHERE on SQLite.
    counts = {label: model.objects.count() for model, label in DEMO_TABLES}
    tables = [model._meta.db_table for model, _label in DEMO_TABLES]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Inside an outer transaction, deferred foreign-key checks of earlier inserts
            # are still pending, and PostgreSQL refuses to TRUNCATE until they have run.
            connection.check_constraints()
        # CASCADE: the practices tables point at these (empty by now, but PostgreSQL refuses
        # to TRUNCATE a referenced table on its own).
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
        )
    return counts


def _delete_demo_practices() -> int:
    """Practices claimed on demo providers (`--demo-offices`), with their members, claims and
    consultation requests and reviews: they point at the provider tables emptied next."""
    clear_demo_reviews()
    ConsultationRequest.objects.filter(location__is_demo=True).delete()
    deleted, _by_model = Practice.objects.filter(
        Q(practitioner__is_demo=True) | Q(organization__is_demo=True)
    ).delete()
    return deleted


def clear_demo_data() -> dict[str, int]:
    """Delete every demo provider and everything hanging off them; real data is untouched."""
    practices = _delete_demo_practices()
    if _only_demo_data():
        return {"practices and their requests": practices, **_empty_tables()}
    practitioners = Practitioner.objects.filter(is_demo=True).values("id")
    locations = Location.objects.filter(is_demo=True).values("id")
    roles = PractitionerRole.objects.filter(practitioner__in=practitioners).values("id")
    deleted = {"practices and their requests": practices}
    with transaction.atomic():
        deleted["reports"] = _raw_delete(
            IncorrectInfoReport.objects.filter(practitioner__in=practitioners)
        )
        deleted["verifications"] = sum(
            _raw_delete(Verification.objects.filter(**{lookup: ids}))
            for lookup, ids in (
                ("practitioner__in", practitioners),
                ("license__practitioner__in", practitioners),
                ("certification__practitioner__in", practitioners),
                ("location__in", locations),
                ("role__in", roles),
                ("offered_procedure__role__in", roles),
            )
        )
        deleted["insurance links"] = _raw_delete(
            InsuranceLink.objects.filter(practitionerrole__in=roles)
        )
        deleted["procedures offered"] = _raw_delete(OfferedProcedure.objects.filter(role__in=roles))
        deleted["role specialties"] = _raw_delete(RoleSpecialty.objects.filter(role__in=roles))
        deleted["roles"] = _raw_delete(
            PractitionerRole.objects.filter(practitioner__in=practitioners)
        )
        deleted["licenses"] = _raw_delete(
            StateLicense.objects.filter(practitioner__in=practitioners)
        )
        deleted["certifications"] = _raw_delete(
            BoardCertification.objects.filter(practitioner__in=practitioners)
        )
        deleted["practitioners"] = _raw_delete(Practitioner.objects.filter(is_demo=True))
        deleted["locations"] = _raw_delete(Location.objects.filter(is_demo=True))
        deleted["organizations"] = _raw_delete(Organization.objects.filter(is_demo=True))
    return deleted


def seed_demo_providers(
    count: int,
    seed: int,
    chunk_size: int = 20_000,
    progress: Callable[[int, float], None] | None = None,
) -> SeedResult:
    """Replace all demo data with `count` providers drawn from `seed` (same seed, same data)."""
    if count < 0:
        raise DemoDataError("--count must be zero or more.")
    started = time.perf_counter()
    pack = read_content_pack()
    clear_demo_data()
    first_ids = {model: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1 for model in MODELS}
    generator = DemoGenerator(count, seed, pack, first_ids, stale_after_days=stale_after_days())
    result = SeedResult()
    writers = {model: TableWriter(model) for model in MODELS}
    for chunk in generator.chunks(chunk_size):
        with transaction.atomic():
            for model in MODELS:
                name = model._meta.model_name
                written = writers[model].write(chunk.rows[model])
                result.rows[name] = result.rows.get(name, 0) + written
        result.practitioners += chunk.practitioners
        if progress:
            progress(result.practitioners, time.perf_counter() - started)
    _reset_sequences()
    result.seconds = time.perf_counter() - started
    return result


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL sequences behind; move them past the new rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
