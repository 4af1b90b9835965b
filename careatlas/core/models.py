"""The site-wide content version that keys every public page cache."""

import time

from django.conf import settings
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
        """The current version, remembered in this process for SITE_VERSION_TTL_SECONDS.

        Every anonymous page view asks for it, so a one-row raw read (no ORM query
        building) and a short per-process memo keep the cached path cheap. Other app
        servers see a publish at most that many seconds late.
        """
        ttl = settings.SITE_VERSION_TTL_SECONDS
        now = time.monotonic()
        remembered = _memo.get("row")
        if ttl and remembered and now - _memo["at"] < ttl:
            return remembered
        row = next(iter(cls.objects.raw(_CURRENT_SQL.format(table=cls._meta.db_table))), None)
        if row is None:
            row, _ = cls.objects.get_or_create(pk=1)
        _memo.update(row=row, at=now)
        return row

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1)
        forget_site_version()


_CURRENT_SQL = "SELECT id, version, changed_at FROM {table} WHERE id = 1"  # noqa: S608 - table name
_memo: dict = {}


def forget_site_version() -> None:
    _memo.clear()
