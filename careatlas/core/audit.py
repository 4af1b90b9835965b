"""The append-only audit trail: who did what to which object, field by field."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def about(self, subject: models.Model) -> "AuditEventQuerySet":
        return self.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))

    def for_practice(self, practice_key: str) -> "AuditEventQuerySet":
        return self.filter(practice_key=practice_key)

    def update(self, **kwargs):  # noqa: ARG002 - refuse, whatever is asked
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One recorded action. Rows are never changed or deleted (a database trigger refuses).

    The actor is kept by id without a foreign-key constraint, so deleting an account keeps
    the trail of what it did. No patient data goes here: only object references and the
    old and new values of directory facts.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # A snapshot of how the actor was known (e.g. their email) when the event happened.
    actor_label = models.CharField(_("who (as known then)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    subject_type = models.CharField(_("object type"), max_length=100, blank=True)
    subject_id = models.CharField(_("object id"), max_length=64, blank=True)
    subject_label = models.CharField(_("object"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    # Which practice's owners may read this event (e.g. "practitioner:1234567893").
    practice_key = models.CharField(_("practice"), max_length=40, blank=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


def record(
    action: str,
    *,
    actor=None,
    subject: models.Model | None = None,
    field: str = "",
    old="",
    new="",
    practice_key: str = "",
) -> AuditEvent:
    """Append one event; values are stored as text, None as the empty string."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(getattr(actor, "email", "") or str(actor))[:254] if authenticated else "",
        action=action,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=str(subject)[:200] if subject is not None else "",
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        practice_key=practice_key,
    )
