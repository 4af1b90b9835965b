"""The Redis a test may use (TEST_REDIS_URL) as the site's cache, skipped where absent."""

import os

from tests.conftest import require

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_caches(prefix: str = "careatlas") -> dict:
    """CACHES for override_settings; a prefix of its own keeps a test's keys apart."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


def require_redis() -> None:
    import redis

    try:
        answered = bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        answered = False
    require(answered, f"Redis at {REDIS_URL}")
