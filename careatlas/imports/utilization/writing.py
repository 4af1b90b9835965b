"""Writing one batch of NPI/procedure totals: volumes, procedures offered, claims verifications.

A batch is written in one transaction with its checkpoint. Every write is an upsert to the
values the file gives, so a batch written twice (a resumed run, a second import of the same
file) ends in the same state.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from careatlas.imports.sql import insert_rows, prepared_rows
from careatlas.imports.utilization.layout import verified_by
from careatlas.imports.utilization.reading import Volume, whole_services
from careatlas.providers.models import (
    Fact,
    Method,
    OfferedProcedure,
    PractitionerRole,
    ProcedureVolume,
    Verification,
    stale_before,
)

_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Pair:
    practitioner_id: int
    procedure_id: int
    volume: Volume


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    offered: int = 0  # procedures offered added to roles
    verified: int = 0  # claims verifications written or refreshed
    changed_practitioners: set[int] = field(default_factory=set)


def _update_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE ... WHERE id = %s for each row (values then id), as one executemany."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608
    prepared = prepared_rows([*fields, model._meta.pk], rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _values(volume: Volume) -> tuple[int, int, list[str], Decimal]:
    allowed = Decimal(repr(round(volume.allowed, 2))).quantize(_CENTS)
    return (whole_services(volume.services), volume.beneficiaries, sorted(volume.codes), allowed)


def write_batch(
    pairs: list[Pair], year: int, today: datetime.date, *, dry_run: bool = False
) -> BatchResult:
    """Upsert the year's volumes of these pairs; for pairs whose newest data this is, make
    sure every active role offers the procedure with a claims verification."""
    result = BatchResult()
    practitioner_ids = sorted({p.practitioner_id for p in pairs})
    procedure_ids = sorted({p.procedure_id for p in pairs})
    this_year: dict[tuple[int, int], tuple] = {}
    newest: dict[tuple[int, int], int] = {}
    existing = ProcedureVolume.objects.filter(
        practitioner_id__in=practitioner_ids, procedure_id__in=procedure_ids
    ).values_list(
        "id",
        "practitioner_id",
        "procedure_id",
        "year",
        "services",
        "beneficiaries",
        "hcpcs_codes",
        "allowed_total",
    )
    for pk, practitioner_id, procedure_id, row_year, *values in existing:
        key = (practitioner_id, procedure_id)
        newest[key] = max(newest.get(key, row_year), row_year)
        if row_year == year:
            this_year[key] = (pk, values)
    now = timezone.now()
    inserts, updates, evidence = [], [], []
    for pair in pairs:
        key = (pair.practitioner_id, pair.procedure_id)
        services, beneficiaries, codes, allowed = _values(pair.volume)
        known = this_year.get(key)
        if known is None:
            result.created += 1
            inserts.append((*key, year, services, beneficiaries, codes, allowed, now, now))
            result.changed_practitioners.add(pair.practitioner_id)
        elif known[1] != [services, beneficiaries, codes, allowed]:
            result.updated += 1
            updates.append((services, beneficiaries, codes, allowed, now, known[0]))
            result.changed_practitioners.add(pair.practitioner_id)
        else:
            result.unchanged += 1
        if year >= newest.get(key, year):
            evidence.append((key, services))
    if dry_run:
        return result
    insert_rows(
        ProcedureVolume,
        [
            "practitioner_id",
            "procedure_id",
            "year",
            "services",
            "beneficiaries",
            "hcpcs_codes",
            "allowed_total",
            "created_at",
            "updated_at",
        ],
        inserts,
    )
    _update_rows(
        ProcedureVolume,
        ["services", "beneficiaries", "hcpcs_codes", "allowed_total", "updated_at"],
        updates,
    )
    _offer_with_evidence(evidence, year, today, result)
    return result


def _offer_with_evidence(
    evidence: list[tuple[tuple[int, int], int]],
    year: int,
    today: datetime.date,
    result: BatchResult,
) -> None:
    """Each active role of the practitioner offers the procedure; each offer is verified."""
    if not evidence:
        return
    services_of = dict(evidence)
    practitioner_ids = sorted({key[0] for key in services_of})
    procedure_ids = sorted({key[1] for key in services_of})
    roles = list(
        PractitionerRole.objects.filter(
            practitioner_id__in=practitioner_ids, active=True
        ).values_list("id", "practitioner_id")
    )
    procedures_of: dict[int, list[int]] = {}
    for practitioner_id, procedure_id in services_of:
        procedures_of.setdefault(practitioner_id, []).append(procedure_id)
    wanted = {
        (role_id, procedure_id): practitioner_id
        for role_id, practitioner_id in roles
        for procedure_id in procedures_of[practitioner_id]
    }
    offered = _offered(wanted, procedure_ids)
    missing = [key for key in wanted if key not in offered]
    insert_rows(OfferedProcedure, ["role_id", "procedure_id"], missing)
    if missing:
        result.offered += len(missing)
        result.changed_practitioners.update(wanted[key] for key in missing)
        offered = _offered(wanted, procedure_ids)
    _verify(
        {
            offered_id: services_of[(wanted[key], key[1])]
            for key, offered_id in offered.items()
            if key in wanted
        },
        year,
        today,
        result,
    )


def _offered(wanted: dict, procedure_ids: list[int]) -> dict[tuple[int, int], int]:
    role_ids = sorted({role_id for role_id, _procedure in wanted})
    rows = OfferedProcedure.objects.filter(
        role_id__in=role_ids, procedure_id__in=procedure_ids
    ).values_list("role_id", "procedure_id", "id")
    return {(role_id, procedure_id): pk for role_id, procedure_id, pk in rows}


def _verify(
    services_by_offer: dict[int, int], year: int, today: datetime.date, result: BatchResult
) -> None:
    """A claims_data verification per offer, dated the day an import first brought this
    data year's claims.

    Kept as they are: disputed verifications (a person is checking a report), current
    ones made another way (an office confirmation outranks billing data), and claims
    verifications of the same year (importing the same year again adds no evidence, so the
    badge keeps ageing). A stale verification made another way, or one from an older data
    year, is replaced.
    """
    source = verified_by(year)
    stale = stale_before(today)
    existing = Verification.objects.filter(
        fact=Fact.PROCEDURE_OFFERED, offered_procedure_id__in=list(services_by_offer)
    ).values_list("id", "offered_procedure_id", "method", "verified_by", "verified_on", "disputed")
    known = {row[1]: row for row in existing}
    now = timezone.now()
    inserts, updates = [], []
    for offer_id, services in services_by_offer.items():
        note = f"{services} Medicare services in {year}"
        row = known.get(offer_id)
        if row is None:
            inserts.append(
                (Fact.PROCEDURE_OFFERED, offer_id, Method.CLAIMS_DATA, source, today, note)
                + (False, now, now)
            )
            continue
        pk, _offer, method, by, on, disputed = row
        if disputed or (method == Method.CLAIMS_DATA and by == source):
            continue
        if method != Method.CLAIMS_DATA and on >= stale:
            continue
        updates.append((Method.CLAIMS_DATA, source, today, note, now, pk))
    columns = ["fact", "offered_procedure_id", "method", "verified_by", "verified_on", "note"]
    insert_rows(Verification, [*columns, "disputed", "created_at", "updated_at"], inserts)
    _update_rows(Verification, [*columns[2:], "updated_at"], updates)
    result.verified += len(inserts) + len(updates)


def batches(items: list, size: int, start: int = 0) -> Iterable[tuple[int, list]]:
    """(end index, items) in slices of `size` from `start`, for checkpointed writing."""
    for begin in range(start, len(items), size):
        chunk = items[begin : begin + size]
        yield begin + len(chunk), chunk
