"""The site-wide content version that keys every public page cache."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class SiteVersion(models.Model):
    """One row whose number goes up whenever public content changes.

    Page caches and ETags include the number, so a publish invalidates every
    cached page on every app server at once, whatever cache backend is used.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "site content version"

    def __str__(self) -> str:
        return f"content version {self.version}"

    @classmethod
    def current(cls) -> "SiteVersion":
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _ = cls.objects.get_or_create(pk=1)
        return row

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1)
