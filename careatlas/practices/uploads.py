"""Claim documents: their type read from their bytes, and their encryption at rest."""

from django.conf import settings

from careatlas.providers.fields import fernet

# First bytes of each accepted type; a file's name and declared type are never trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def detected_type(head: bytes) -> str:
    """The content type the file's first bytes show, or '' for anything else."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return ""


def max_bytes() -> int:
    return settings.CLAIM_DOCUMENT_MAX_BYTES


def encrypt_bytes(data: bytes) -> str:
    return fernet().encrypt(data).decode("ascii")


def decrypt_bytes(token: str) -> bytes:
    return fernet().decrypt(token.encode("ascii"))
