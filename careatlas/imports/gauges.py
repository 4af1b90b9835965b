"""Import progress for /metrics: how far each running import has read its file."""

from collections.abc import Iterable

from careatlas.imports.bulk_load import CHECKPOINT_KEY
from careatlas.imports.models import ImportRun, RunStatus


def _running() -> Iterable[ImportRun]:
    # A run killed mid-file stays "running" until resumed; its figures stand still, which
    # is what an operator watching the gauge needs to see.
    return ImportRun.objects.filter(status=RunStatus.RUNNING, dry_run=False).only(
        "pk", "kind", "rows_read", "file_size", "checkpoint"
    )


def rows_read() -> Iterable[tuple[dict[str, str], float]]:
    for run in _running():
        yield {"run": str(run.pk), "kind": run.kind}, run.rows_read


def file_fraction_read() -> Iterable[tuple[dict[str, str], float]]:
    """Bytes of the file committed so far (the checkpoint's offset) over its size."""
    for run in _running():
        offset = run.checkpoint.get("offset") or 0
        yield {"run": str(run.pk), "kind": run.kind}, min(1.0, offset / max(1, run.file_size))


def unfinished_bulk_loads() -> Iterable[tuple[dict[str, str], float]]:
    yield {}, ImportRun.objects.filter(checkpoint__has_key=CHECKPOINT_KEY).count()
