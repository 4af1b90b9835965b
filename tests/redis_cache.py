"""The Redis a test may use (TEST_REDIS_URL) as the site's cache, skipped where absent."""

from tests.conftest import require
from tests.workers import redis_url

REDIS_URL = redis_url()  # this pytest-xdist worker's own database


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
