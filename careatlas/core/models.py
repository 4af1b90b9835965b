"""Site-wide models: content versions keying page caches, rate counts, audit events."""

import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.core.audit import AuditEvent  # noqa: F401 - registered as a core model
from careatlas.core.routing import pinned_to_primary

# The tag every cached page depends on: a content-pack load, a guide publish, a restore.
EVERYTHING = "*"


class SiteVersion(models.Model):
    """One row whose number goes up whenever public content changes.

    ETags and the API's answers include the number. The shared page cache records it with
    each page and retires only the pages whose tags (ContentTag) changed since; both are
    read from the database, so every app server sees a change whatever cache backend is used.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("site content version")

    def __str__(self) -> str:
        return f"content version {self.version}"

    @classmethod
    def current(cls) -> "SiteVersion":
        """The current version, remembered in this process for SITE_VERSION_TTL_SECONDS.

        Every anonymous page view asks for it, so a one-row raw read (no ORM query
        building) and a short per-process memo keep the cached path cheap. Other app
        servers see a publish at most that many seconds late, except a visitor who has just
        written (core/routing.py): they see their own change at once.
        """
        ttl = settings.SITE_VERSION_TTL_SECONDS
        now = time.monotonic()
        remembered = _memo.get("row")
        if ttl and remembered and now - _memo["at"] < ttl and not pinned_to_primary():
            return remembered
        row = next(iter(cls.objects.raw(_CURRENT_SQL.format(table=cls._meta.db_table))), None)
        if row is None:
            row, _ = cls.objects.get_or_create(pk=1)
        _memo.update(row=row, at=now)
        return row

    @classmethod
    def bump(cls, tags: tuple[str, ...] = (EVERYTHING,)) -> int:
        """Move the version on and stamp `tags` with it; returns the new version."""
        database = router.db_for_write(cls)
        now = timezone.now()
        with transaction.atomic(using=database):
            # The row lock taken here orders concurrent bumps, so a tag's version only grows.
            updated = (
                cls.objects.using(database)
                .filter(pk=1)
                .update(version=F("version") + 1, changed_at=now)
            )
            if not updated:
                cls.objects.using(database).get_or_create(pk=1)
            version = cls.objects.using(database).values_list("version", flat=True).get(pk=1)
            stamped = [
                ContentTag(name=t, version=version, changed_at=now) for t in sorted(set(tags))
            ]
            ContentTag.objects.using(database).bulk_create(
                stamped,
                update_conflicts=True,
                unique_fields=["name"],
                update_fields=["version", "changed_at"],
            )
        forget_site_version()
        return version


class ContentTag(models.Model):
    """The site version at which something cached pages show last changed.

    A tag names what a page shows ("provider:12", "directory", EVERYTHING); see
    core/page_tags.py for the vocabulary and which page depends on what.
    """

    name = models.CharField(max_length=100, primary_key=True)
    version = models.PositiveBigIntegerField(db_index=True)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "page cache tag"

    def __str__(self) -> str:
        return f"{self.name} at version {self.version}"


_CURRENT_SQL = "SELECT id, version, changed_at FROM {table} WHERE id = 1"  # noqa: S608 - table name
_memo: dict = {}


def forget_site_version() -> None:
    _memo.clear()


class RateCounter(models.Model):
    """One client's count in one rate-limit window, when no shared cache (Redis) is set up.

    Each worker process has its own memory cache, so counting there let 10 reports through a
    limit of 5 with two workers; the database is the one store every worker shares.
    """

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

    @classmethod
    def increment(cls, key: str, window_seconds: int) -> int:
        """Add one to `key`'s count in a single atomic statement; returns the new count."""
        now = timezone.now()
        table, key_, count_, expires = map(
            connection.ops.quote_name, (cls._meta.db_table, "key", "count", "expires_at")
        )
        with connection.cursor() as cursor:
            # One upsert, so two workers counting the same client at once both land: no
            # read-then-write window. SQLite (3.35+) and PostgreSQL share this syntax.
            cursor.execute(
                f"INSERT INTO {table} ({key_}, {count_}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
                f"ON CONFLICT ({key_}) DO UPDATE SET {count_} = {table}.{count_} + 1 "
                f"RETURNING {count_}",
                [key, now + timedelta(seconds=window_seconds)],
            )
            return cursor.fetchone()[0]

    @classmethod
    def purge(cls) -> int:
        """Delete the counts of windows that have ended (`manage.py purge_rate_counters`)."""
        deleted, _ = cls.objects.filter(expires_at__lt=timezone.now()).delete()
        return deleted

    @classmethod
    def peek(cls, key: str) -> int:
        return cls.objects.filter(key=key).values_list("count", flat=True).first() or 0
