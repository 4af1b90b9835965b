"""Guide workflow transitions: each records a revision and, when public, a content change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careatlas.procedures.models import Guide, GuideRevision, GuideStatus
from careatlas.procedures.pack.loader import apply_guide_doc, sources_by_key
from careatlas.procedures.pack.text import parse_guide_text
from careatlas.procedures.revisions import notify_content_changed, record_revision


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why, for the editor."""


def guide_edited(guide: Guide, user=None) -> None:
    """After an editor saved a guide and its parts: keep a revision; refresh public copies."""
    guide.sync_current_review()
    record_revision(guide, user, _("Edited"))
    if guide.status == GuideStatus.PUBLISHED:
        notify_content_changed()


@transaction.atomic
def submit_for_review(guide: Guide, user=None) -> None:
    if guide.status not in (GuideStatus.DRAFT, GuideStatus.UNPUBLISHED):
        raise WorkflowError(_("Only a draft or unpublished guide can be sent for review."))
    guide.status = GuideStatus.IN_REVIEW
    guide.save(update_fields=["status", "updated_at"])
    record_revision(guide, user, _("Sent for review"))


@transaction.atomic
def publish(guide: Guide, user=None) -> None:
    if guide.status == GuideStatus.PUBLISHED:
        raise WorkflowError(_("This guide is already published."))
    problems = Guide.objects.for_page().get(pk=guide.pk).publishing_problems()
    if problems:
        raise WorkflowError(" ".join(problems))
    now = timezone.now()
    guide.status = GuideStatus.PUBLISHED
    guide.published_at = now
    guide.published_by = user
    guide.first_published_at = guide.first_published_at or now
    guide.save(
        update_fields=["status", "published_at", "published_by", "first_published_at", "updated_at"]
    )
    record_revision(guide, user, _("Published"))
    notify_content_changed()


@transaction.atomic
def unpublish(guide: Guide, user=None) -> None:
    if guide.status != GuideStatus.PUBLISHED:
        raise WorkflowError(_("Only a published guide can be unpublished."))
    guide.status = GuideStatus.UNPUBLISHED
    guide.save(update_fields=["status", "updated_at"])
    record_revision(guide, user, _("Unpublished"))
    notify_content_changed()


@transaction.atomic
def mark_translation_current(guide: Guide, user=None) -> None:
    """Record that a translation now follows its English guide as it is: for a translator
    who has brought the text up to date in the back office."""
    original = Guide.objects.original_of(guide)
    if not guide.is_translation or original is None:
        raise WorkflowError(_("Only a translation of an existing English guide can be marked."))
    changed = original.content_changed_at or original.updated_at
    guide.translated_from_hash = original.content_hash
    guide.translated_from_date = timezone.localtime(changed).date()
    guide.save(update_fields=["translated_from_hash", "translated_from_date", "updated_at"])
    record_revision(guide, user, _("Marked as following the current English guide"))
    if guide.status == GuideStatus.PUBLISHED:
        notify_content_changed()


@transaction.atomic
def restore_revision(revision: GuideRevision, user=None) -> Guide:
    """Put a guide's content back as it was in `revision`; its workflow status is kept."""
    guide = revision.guide
    doc = parse_guide_text(revision.snapshot, file=f"revision {revision.pk}")
    doc.fields["status"] = guide.status
    apply_guide_doc(doc, guide, sources_by_key(doc))
    record_revision(
        guide,
        user,
        _("Restored revision from %(when)s")
        % {"when": timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")},
    )
    if guide.status == GuideStatus.PUBLISHED:
        notify_content_changed()
    return guide
