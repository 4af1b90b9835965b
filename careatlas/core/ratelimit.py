"""Fixed-window rate limits, counted where every worker sees the same number.

One class serves every limit on the site: five incorrect-information reports an hour, the
JSON API's requests a minute, failed sign-ins. Counts live in Redis when REDIS_URL is set
(RATE_LIMIT_STORE "cache"), else in the database ("database"): a per-process memory cache
would give each worker its own count. Counters are keyed by a hash of the scope and the
client, so no store ever holds an IP address.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from careatlas.core.errors import too_many_requests
from careatlas.core.models import RateCounter


def client_ip(request: HttpRequest) -> str:
    """The client's address as the nearest trusted hop saw it.

    Behind TRUSTED_PROXY_COUNT proxies (a load balancer, then nginx: 2), each appends the
    address it received from to X-Forwarded-For, so the client is that many entries from
    the right. Entries further left are whatever the client chose to send and are never
    trusted, or anyone could pick their own bucket. Without proxies, REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Verdict:
    """What one counted action learnt about its client's window."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window resets


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` actions per `window` seconds for one client, e.g. 5 reports an hour.

    A limit of 0 or less means "no limit" (an operator's switch, e.g. behind an API gateway).
    """

    scope: str
    limit: int
    window: int = 3600

    @classmethod
    def per_minute(cls, scope: str, limit: int) -> "RateLimit":
        return cls(scope, limit, 60)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def _key(self, ident: str, now: float | None = None) -> str:
        bucket = int((time.time() if now is None else now) // self.window)
        digest = hashlib.sha256(f"{self.scope}|{ident}".encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}:{bucket}"

    def exceeded(self, ident: str, now: float | None = None) -> bool:
        """Whether the client has used up its window, without counting anything."""
        if not self.enabled:
            return False
        key = self._key(ident, now)
        if settings.RATE_LIMIT_STORE == "database":
            return RateCounter.peek(key) >= self.limit
        return cache.get(key, 0) >= self.limit

    def hit(self, ident: str, now: float | None = None) -> int:
        """Count one action atomically; returns the count in the current window.

        In the database one upsert counts; in Redis add() then incr() are each atomic. Either
        way, workers racing on the same client never lose a count.
        """
        key = self._key(ident, now)
        if settings.RATE_LIMIT_STORE == "database":
            return RateCounter.increment(key, self.window)
        if cache.add(key, 1, timeout=self.window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=self.window)
            return 1

    def take(self, ident: str, now: float | None = None) -> Verdict:
        """Count one action and say whether it was within the limit (one cache round trip
        in the common case), for callers that count every attempt, like the API."""
        if not self.enabled:
            return Verdict(True, 0, 0, 0)
        count = self.hit(ident, now)
        return Verdict(
            allowed=count <= self.limit,
            limit=self.limit,
            remaining=max(0, self.limit - count),
            retry_after=self.retry_after(now),
        )

    def retry_after(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return int(self.window - now % self.window) + 1


@dataclass(frozen=True)
class Limits:
    """One action held to several limits at once, each counting its own client (an account,
    an NPI, an address): refused while any of them is used up, counted against every one.

    Sign-ins and claim attempts are limited this way, so that neither a botnet spread over
    many addresses nor one address trying many accounts gets more tries.
    """

    counted: tuple[tuple[RateLimit, str], ...]

    def exceeded(self) -> RateLimit | None:
        """The first limit its client has used up, without counting anything; else None."""
        return next((limit for limit, ident in self.counted if limit.exceeded(ident)), None)

    def hit(self) -> int:
        """Count one action against every limit; the count in the first limit's window."""
        counts = [limit.hit(ident) for limit, ident in self.counted if limit.enabled]
        return counts[0] if counts else 0


# Set on a rate-limited view's answers: (scope, setting) of its limit, so a cache that
# replays the answer (core.caching.SharedPageMiddleware) counts the request the same way.
RATE_LIMITED_BY = "careatlas_rate_limited_by"


def remember_verdict(request: HttpRequest, scope: str, verdict: Verdict) -> None:
    """Note that this request has been counted against `scope`, so it is never counted twice."""
    request.careatlas_verdicts = {**getattr(request, "careatlas_verdicts", {}), scope: verdict}


def limit_per_minute(scope: str, setting: str) -> Callable:
    """A view decorator: at most `settings.<setting>` requests a minute per client, else 429.

    For the pages that run searches: generous enough for a person (and a script of theirs),
    not for a crawler that runs thousands of uncached searches a minute.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            verdict = getattr(request, "careatlas_verdicts", {}).get(scope)
            if verdict is None:
                limit = RateLimit.per_minute(scope, getattr(settings, setting))
                verdict = limit.take(client_ip(request))
            if verdict.allowed:
                response = view(request, *args, **kwargs)
                setattr(response, RATE_LIMITED_BY, (scope, setting))
                return response
            return too_many_requests(
                request, verdict.limit, verdict.retry_after, title=_("Too many searches for now")
            )

        return limited

    return decorate
