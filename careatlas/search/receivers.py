"""Keep the search index in step with edits to the content and the directory.

Published content changed (procedures.signals.content_changed, sent after commit): the guide
index is rebuilt and the provider vocabulary re-reads its topic words. An admin save touches
several objects in one transaction (a practitioner, its roles through inlines, their
specialties and plans), so receivers only collect practitioner ids and one reindex runs
once the transaction has committed, then retires the cached pages showing them
(core/page_tags.py). Bulk writers (the demo seeder, importers) bypass
signals and rebuild the whole index instead.
"""

import threading

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from careatlas.core import page_tags
from careatlas.procedures.signals import content_changed
from careatlas.providers.models import (
    BoardCertification,
    Fact,
    Location,
    OfferedProcedure,
    Practitioner,
    PractitionerRole,
    ProcedureVolume,
    RoleSpecialty,
    StateLicense,
    Verification,
)
from careatlas.providers.signals import practitioners_changed
from careatlas.search.indexing import refresh_index, refresh_topics, reindex_practitioners

_pending = threading.local()
_VENDORS = ("sqlite", "postgresql")


def _queue(practitioner_ids) -> None:
    ids = {pk for pk in practitioner_ids if pk is not None}
    if not ids or connection.vendor not in _VENDORS:
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids |= ids
    # Registered per change; the first callback after commit takes every queued id and
    # the rest find nothing to do. Ids queued in a rolled-back transaction are simply
    # re-read at the next commit, which is harmless.
    transaction.on_commit(_flush)


def _flush() -> None:
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    if ids:
        reindex_practitioners(ids)
        # After the index holds the change: a result page cached between the write's commit
        # and this re-index was rendered from the old rows. Their profiles show the change too.
        page_tags.bump(page_tags.PROVIDER_INDEX, *map(page_tags.practitioner, sorted(ids)))


def _role_practitioners(role_ids) -> list[int]:
    return list(
        PractitionerRole.objects.filter(pk__in=role_ids).values_list("practitioner_id", flat=True)
    )


def practitioner_changed(sender, instance, **kwargs) -> None:
    _queue([instance.pk])


def owned_changed(sender, instance, **kwargs) -> None:
    """A role, license, certification or Medicare volume: it belongs to one practitioner."""
    _queue([instance.practitioner_id])


def role_part_changed(sender, instance, **kwargs) -> None:
    """A role's specialty or procedure offered."""
    _queue(_role_practitioners([instance.role_id]))


def location_changed(sender, instance, **kwargs) -> None:
    _queue(
        PractitionerRole.objects.filter(location_id=instance.pk).values_list(
            "practitioner_id", flat=True
        )
    )


def verification_changed(sender, instance, **kwargs) -> None:
    """Only identity and license verifications decide the "verified" flag."""
    if instance.fact == Fact.IDENTITY:
        _queue([instance.practitioner_id])
    elif instance.fact == Fact.LICENSE:
        _queue(
            StateLicense.objects.filter(pk=instance.license_id).values_list(
                "practitioner_id", flat=True
            )
        )


def plans_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _queue([instance.practitioner_id])
    elif pk_set:
        _queue(_role_practitioners(pk_set))


def topics_changed(sender, **kwargs) -> None:
    """Published content changed: specialty, procedure and condition words may have too."""
    if connection.vendor in _VENDORS:
        refresh_topics()


def practitioners_changed_in_bulk(sender, practitioner_ids, **kwargs) -> None:
    """Sent after commit by providers.services for bulk updates (disputes)."""
    _queue(practitioner_ids)


def reindex_on_content_change(sender, **kwargs) -> None:
    """content_changed receiver: runs after the content transaction has committed."""
    refresh_index()


def connect() -> None:
    content_changed.connect(reindex_on_content_change, dispatch_uid="search.rebuild_index")
    practitioners_changed.connect(
        practitioners_changed_in_bulk, dispatch_uid="search.providers.bulk_changes"
    )
    receivers = [
        (practitioner_changed, [Practitioner]),
        (owned_changed, [PractitionerRole, StateLicense, BoardCertification, ProcedureVolume]),
        (role_part_changed, [RoleSpecialty, OfferedProcedure]),
        (location_changed, [Location]),
        (verification_changed, [Verification]),
    ]
    for receiver, models in receivers:
        for model in models:
            uid = f"search.providers.{receiver.__name__}.{model.__name__}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(
        plans_changed,
        sender=PractitionerRole.insurance_plans.through,
        dispatch_uid="search.providers.plans_changed",
    )
    content_changed.connect(topics_changed, dispatch_uid="search.providers.topics_changed")
