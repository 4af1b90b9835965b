"""Guide revisions and the content-changed notice every guide write ends with."""

from django.db import transaction

from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Guide, GuideRevision
from careatlas.procedures.pack.text import guide_to_text
from careatlas.procedures.signals import content_changed


def notify_content_changed() -> None:
    """Invalidate page caches everywhere and re-index search once the transaction commits."""
    SiteVersion.bump()
    transaction.on_commit(lambda: content_changed.send(sender=Guide))


def record_revision(guide: Guide, user=None, comment: str = "") -> GuideRevision | None:
    """Snapshot the guide unless it is identical to its latest snapshot."""
    guide = Guide.objects.for_page().get(pk=guide.pk)
    text = guide_to_text(guide)
    latest = guide.revisions.order_by("-created_at", "-id").first()
    if latest and latest.snapshot == text:
        return None
    return GuideRevision.objects.create(
        guide=guide, created_by=user, comment=comment[:200], status=guide.status, snapshot=text
    )
