"""What each cached public page depends on, and which of them a write retires.

A page kept by the shared page cache (core/caching.py) records the site version it was
rendered at and the tags naming what it shows. A write stamps the tags it touched with a
new site version (SiteVersion.bump); a kept page is served again while none of its tags,
nor EVERYTHING, has a version past the one it was rendered at.

    tag                 bumped by                                    pages that depend on it
    *  (EVERYTHING)     guide writes, content pack, search rebuild,  every page
                        restore, SiteVersion.bump() with no tags
    directory           imports, admin saves of providers, claims    profiles, finder, search
    provider-index      the provider search index re-reading some    finder, site search and
                        practitioners (after any searchable change)  autocomplete
    provider:<pk>       that practitioner's facts, reviews, reports, profile; finder pages that
                        practice confirmations, re-indexing          list the practitioner

A page that names no tags (organization and accuracy pages) depends on every change, as
all pages did before. Guide, procedure, specialty, condition and policy pages name none
beyond EVERYTHING (CONTENT_ONLY): they show no directory data. Consultation requests and
their status changes show on no public page and bump nothing.

Versions are read from the database every app server shares, so the same code is right
with Redis and with each process's own memory cache: each process reads the tags changed
since the version it last saw, at most every SITE_VERSION_TTL_SECONDS (every request for
a visitor who has just written), one indexed query and only when the version moved.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from careatlas.core.models import EVERYTHING, ContentTag, SiteVersion

DIRECTORY = "directory"
PROVIDER_INDEX = "provider-index"
CONTENT_ONLY: tuple[str, ...] = ()
# Beyond this many tags changed at once (a bulk job), a process retires every page older
# than now instead of remembering each tag; and it remembers at most MAX_KNOWN tags.
CATCH_UP_LIMIT = 5000
MAX_KNOWN = 50_000
# Entries outlive PAGE_CACHE_SECONDS by nothing, but servers' clocks may disagree a little.
CLOCK_SKEW = timedelta(seconds=60)
# Every this many versions a bump deletes the tag rows no live page can predate, so the
# table stays near the number of things changed in the last PAGE_CACHE_SECONDS.
PRUNE_EVERY = 1000


def practitioner(pk: int) -> str:
    return f"provider:{pk}"


def organization(pk: int) -> str:
    return f"organization:{pk}"


def bump(*tags: str) -> int:
    """Retire the kept pages that depend on any of `tags`; returns the new site version."""
    version = SiteVersion.bump(tags or (EVERYTHING,))
    if version % PRUNE_EVERY == 0:
        ContentTag.objects.filter(changed_at__lt=_oldest_that_matters()).delete()
    return version


def _oldest_that_matters():
    """A tag changed before this predates every page still kept: none reads it again."""
    return timezone.now() - timedelta(seconds=settings.PAGE_CACHE_SECONDS) - CLOCK_SKEW


def depends_on(request: HttpRequest, *tags: str) -> None:
    """Say that the page being rendered shows what `tags` name (and nothing unnamed)."""
    named = getattr(request, "careatlas_page_tags", None) or set()
    request.careatlas_page_tags = named | set(tags)


def declared(request: HttpRequest) -> tuple[str, ...] | None:
    """The tags the page named, or None when it named none: it then depends on everything."""
    named = getattr(request, "careatlas_page_tags", None)
    return None if named is None else tuple(sorted(named))


@dataclass
class Known:
    """What this process knows of tag versions, as of site version `version`."""

    version: int = -1
    floor: int = 0  # pages rendered before this version are retired, whatever their tags
    tags: dict[str, int] = field(default_factory=dict)

    def fresh(self, rendered_at: int, tags: Iterable[str] | None) -> bool:
        if rendered_at < self.floor:
            return False
        if tags is None:
            return self.version <= rendered_at
        return all(self.tags.get(tag, 0) <= rendered_at for tag in (EVERYTHING, *tags))


_known = Known()
_lock = threading.Lock()


def known(version: int) -> Known:
    """The tag versions as of site version `version` (SiteVersion.current()'s, read first)."""
    with _lock:
        if version != _known.version:
            _catch_up(version)
        return _known


def _catch_up(version: int) -> None:
    if version < _known.version or _known.version < 0:
        # A new process, or a restore (or a test) took the version back: any tag changed
        # while a kept page may still be alive matters, and nothing older does.
        changed = ContentTag.objects.filter(changed_at__gte=_oldest_that_matters())
        _known.tags.clear()
        _known.floor = 0
    else:
        changed = ContentTag.objects.filter(version__gt=_known.version)
    rows = list(changed.values_list("name", "version")[: CATCH_UP_LIMIT + 1])
    if len(rows) > CATCH_UP_LIMIT or len(_known.tags) + len(rows) > MAX_KNOWN:
        _known.tags.clear()
        _known.floor = version
        rows = [row for row in rows if row[1] > version]
    for name, stamped in rows:
        _known.tags[name] = max(stamped, _known.tags.get(name, 0))
    _known.version = version


def forget() -> None:
    """Start again from the database (tests that roll it back)."""
    with _lock:
        _known.version, _known.floor = -1, 0
        _known.tags.clear()
