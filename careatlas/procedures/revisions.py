"""Guide revisions and the content-changed notice every guide write ends with."""

from django.db import transaction
from django.utils import timezone

from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Guide, GuideRevision
from careatlas.procedures.pack.text import guide_fingerprint, guide_to_text
from careatlas.procedures.signals import content_changed


def notify_content_changed() -> None:
    """Invalidate page caches everywhere and re-index search once the transaction commits."""
    SiteVersion.bump()
    transaction.on_commit(lambda: content_changed.send(sender=Guide))


def record_revision(guide: Guide, user=None, comment: str = "") -> GuideRevision | None:
    """Snapshot the guide unless it is identical to its latest snapshot."""
    guide = Guide.objects.for_page().get(pk=guide.pk)
    keep_fingerprint(guide)
    text = guide_to_text(guide)
    latest = guide.revisions.order_by("-created_at", "-id").first()
    if latest and latest.snapshot == text:
        return None
    return GuideRevision.objects.create(
        guide=guide, created_by=user, comment=comment[:200], status=guide.status, snapshot=text
    )


def keep_fingerprint(guide: Guide) -> None:
    """Store the guide's content fingerprint, and when it changed, so translations can tell
    they are behind. A guide from before fingerprints were kept counts as changed when it
    was last saved."""
    fingerprint = guide_fingerprint(guide)
    if fingerprint == guide.content_hash:
        return
    changed_at = timezone.now() if guide.content_hash else guide.updated_at
    Guide.objects.filter(pk=guide.pk).update(
        content_hash=fingerprint, content_changed_at=changed_at
    )
    guide.content_hash, guide.content_changed_at = fingerprint, changed_at
