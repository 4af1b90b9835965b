"""What keeps scripts off the request form: rate limits, a honeypot and a minimum fill time."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing

from careatlas.core.ratelimit import RateLimit

_FILL_SALT = "careatlas.consultations.form-started"
DAY = 24 * 3600


def ip_limit() -> RateLimit:
    """Form posts per client address per hour (every post counts, valid or not)."""
    return RateLimit("consultation-ip", settings.CONSULTATION_POSTS_PER_IP_HOUR)


def contact_limit() -> RateLimit:
    """Requests sent per email address or phone number per day."""
    return RateLimit("consultation-contact", settings.CONSULTATION_REQUESTS_PER_CONTACT_DAY, DAY)


def contact_key(address: str) -> str:
    """A keyed digest of a contact address: the rate limiter's store never sees the address,
    and without the secret key nobody can test guesses against it."""
    normalized = address.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), normalized, hashlib.sha256).hexdigest()


def form_started() -> str:
    """A signed 'the form was shown at' stamp for the hidden field."""
    return signing.dumps(int(time.time()), salt=_FILL_SALT)


def seconds_since_started(value: str) -> float | None:
    """How long ago the form was shown, or None if the stamp is missing, altered or a day old."""
    try:
        started = signing.loads(value or "", salt=_FILL_SALT, max_age=DAY)
    except signing.BadSignature:
        return None
    if not isinstance(started, int):
        return None
    return time.time() - started
