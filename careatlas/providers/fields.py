"""A text field encrypted at rest (Fernet), for contact details patients give us."""

import base64
import logging
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)
UNREADABLE = "[unreadable: encrypted with a key we no longer have]"
_HKDF_INFO = b"careatlas field encryption v1"


def _derived_key(secret: str) -> bytes:
    # HKDF turns SECRET_KEY (any length, any alphabet) into a 32-byte key dedicated to
    # this one purpose, so it differs from the keys Django derives for signing.
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


@cache
def _fernet_for(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """Encrypt with the first key; decrypt with any, so keys can be rotated.

    FIELD_ENCRYPTION_KEY (comma-separated Fernet keys, newest first) when set; otherwise
    keys derived from SECRET_KEY and SECRET_KEY_FALLBACKS.
    """
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", None)
    if configured:
        names = configured if isinstance(configured, list | tuple) else configured.split(",")
        keys = tuple(k.strip().encode() for k in names if k.strip())
    else:
        secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        keys = tuple(_derived_key(secret) for secret in secrets)
    return _fernet_for(keys)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii") if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        # Never log the token or any plaintext: only that one could not be read.
        logger.warning("An encrypted field could not be decrypted with the configured keys.")
        return UNREADABLE


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code only ever sees the plaintext.

    Each save produces a different token, so the column cannot be searched or compared.
    An empty value is stored as an empty string.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)
