"""The search backend of the connection's database: one class per vendor (see `base`)."""

from django.db import connection

from careatlas.search.backends.base import Backend
from careatlas.search.backends.postgresql import PostgreSQLBackend
from careatlas.search.backends.sqlite import SQLiteBackend

_BACKENDS: dict[str, type[Backend]] = {
    "postgresql": PostgreSQLBackend,
    "sqlite": SQLiteBackend,
}


def get_backend() -> Backend:
    if connection.vendor not in _BACKENDS:
        raise NotImplementedError(f"No search backend for {connection.vendor!r} databases.")
    return _BACKENDS[connection.vendor]()
