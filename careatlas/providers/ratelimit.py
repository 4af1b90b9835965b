"""A fixed-window rate limit kept in Django's cache (shared when the cache is Redis)."""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy
    # rewrites it, and trusting it would let anyone pick their own bucket.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` actions per `window` seconds for one client, e.g. 5 reports an hour."""

    scope: str
    limit: int
    window: int = 3600

    def _key(self, ident: str, now: float | None = None) -> str:
        bucket = int((time.time() if now is None else now) // self.window)
        # Hashed, so the cache holds no IP addresses.
        digest = hashlib.sha256(f"{self.scope}|{ident}".encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}:{bucket}"

    def exceeded(self, ident: str, now: float | None = None) -> bool:
        return cache.get(self._key(ident, now), 0) >= self.limit

    def hit(self, ident: str, now: float | None = None) -> int:
        """Count one action; returns the count in the current window."""
        key = self._key(ident, now)
        if cache.add(key, 1, timeout=self.window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=self.window)
            return 1

    def retry_after(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return int(self.window - now % self.window) + 1
