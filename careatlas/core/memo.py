"""Small per-process memos of data that changes with the site's content version.

Every search request needs the select choices (procedures, specialties, insurance plans)
and specialty names: a few small queries, whose building and reading cost more than the
search itself on a quiet page. They change only when an editor changes content, which
bumps the content version, so a process keeps what it read for that version (admin edits
and imports bump it). An entry also expires after MAX_AGE_SECONDS, for changes that do not
(a row edited in the database by hand, say). With SITE_VERSION_TTL_SECONDS = 0, as in tests, nothing
is memoised.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

from careatlas.core.models import SiteVersion

T = TypeVar("T")
MAX_AGE_SECONDS = 60.0
_entries: dict[Hashable, tuple[int, float, object]] = {}
_lock = threading.Lock()


def for_content_version(key: Hashable, load: Callable[[], T]) -> T:
    """load(), or what it returned for this key under the current content version."""
    if not settings.SITE_VERSION_TTL_SECONDS:
        return load()
    version, now = SiteVersion.current().version, time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] == version and now - entry[1] < MAX_AGE_SECONDS:
        return entry[2]
    value = load()
    with _lock:
        if len(_entries) > 64:  # a few languages times a few kinds; never grows past that
            _entries.clear()
        _entries[key] = (version, now, value)
    return value
