"""The whole public directory as NDJSON, one file per resource type, in constant memory.

Rows are read with `.iterator(chunk_size)`, and each chunk's related rows are prefetched
with it (Django prefetches per chunk), so memory holds one chunk whatever the directory's
size. Each file is written beside its final name and renamed when complete, so a reader
never sees half a file. The format is FHIR Bulk Data's: one resource per line.
"""

import json
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from careatlas.fhir.registry import RESOURCES
from careatlas.fhir.resources import resource

DEFAULT_CHUNK_SIZE = 2000


@dataclass
class Written:
    resource_type: str
    path: Path
    resources: int
    bytes: int
    seconds: float


def export_type(resource_type: str, out: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Written:
    spec = RESOURCES[resource_type]
    final = out / f"{resource_type}.ndjson"
    partial = out / f".{resource_type}.ndjson.partial"
    today = timezone.localdate()
    started = time.perf_counter()
    count = 0
    rows = spec.load(spec.public().order_by("pk")).iterator(chunk_size=chunk_size)
    try:
        with partial.open("w", encoding="utf-8") as lines:
            for obj in rows:
                line = json.dumps(resource(obj, today), ensure_ascii=False, separators=(",", ":"))
                lines.write(line + "\n")
                count += 1
    except BaseException:
        partial.unlink(missing_ok=True)  # interrupted: leave no half file behind
        raise
    partial.replace(final)
    return Written(resource_type, final, count, final.stat().st_size, time.perf_counter() - started)


def export_directory(
    out: Path,
    resource_types: Iterable[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[Written], None] | None = None,
) -> list[Written]:
    """Write `<Type>.ndjson` for each resource type (all by default) into `out`.

    On PostgreSQL every file comes from one REPEATABLE READ snapshot, so references between
    files agree. SQLite exports type by type: a row written meanwhile may show in one file
    and not another (its transactions take the write lock, which would stall the site).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # Inside a caller's transaction (a test) the snapshot is already the caller's.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic() if snapshot else nullcontext():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for resource_type in resource_types or RESOURCES:
            done = export_type(resource_type, out, chunk_size)
            written.append(done)
            if progress:
                progress(done)
    return written
