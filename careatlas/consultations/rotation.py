"""Re-encrypting stored request details with the newest key (FIELD_ENCRYPTION_KEY's first)."""

from cryptography.fernet import InvalidToken
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from careatlas.consultations.models import ConsultationRequest
from careatlas.providers.fields import EncryptedTextField, fernet


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


def rotate_keys(model=ConsultationRequest, batch: int = 500) -> tuple[int, int]:
    """(values re-encrypted, values no configured key opens). Unreadable values are left
    untouched, never overwritten: an operator who dropped a key too early can put it back."""
    names = encrypted_fields(model)
    # Cast reads the stored token itself, bypassing the field's decryption.
    raw = {f"raw_{name}": Cast(name, TextField()) for name in names}
    keys = fernet()
    rotated = unreadable = 0
    for row in model.objects.annotate(**raw).values("pk", *raw).iterator(chunk_size=batch):
        changes = {}
        for name in names:
            token = row[f"raw_{name}"]
            if not token:
                continue
            try:
                changes[name] = Value(keys.rotate(token.encode()).decode(), TextField())
            except InvalidToken:
                unreadable += 1
        if changes:
            model.objects.filter(pk=row["pk"]).update(**changes)
            rotated += len(changes)
    return rotated, unreadable
