"""A one-line progress display for long imports: rows, rows/s and time left, on a terminal."""

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    """Redrawn at most a few times a second; silent when the output is not a terminal
    (cron, CI, pipes), where only the summary line is wanted."""

    def __init__(self, label: str, total_bytes: int, stream: TextIO | None = None):
        self.label = label
        self.total_bytes = max(1, total_bytes)
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self._drawn = 0.0
        self._first_bytes: int | None = None

    def update(self, rows: int, bytes_done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.25:
            return
        self._drawn = now
        if self._first_bytes is None:  # a resumed run starts part way through the file
            self._first_bytes = bytes_done
        elapsed = max(now - self.started, 1e-6)
        share = min(1.0, bytes_done / self.total_bytes)
        speed = (bytes_done - self._first_bytes) / elapsed
        left = (self.total_bytes - bytes_done) / speed if speed > 0 else 0
        self.stream.write(
            f"\r{self.label}: {rows:,} rows  {rows / elapsed:,.0f} rows/s  "
            f"{share:6.1%}  ETA {_clock(left)}  "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
