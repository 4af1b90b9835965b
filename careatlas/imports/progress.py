"""A one-line progress display for long imports: rows, rows/s and time left, on a terminal."""

import sys
import time
from typing import TextIO

from django.core.management.base import OutputWrapper


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
        self._first: tuple[int, int] | None = None  # rows and bytes at the first update

    def update(self, rows: int, bytes_done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.25:
            return
        self._drawn = now
        if self._first is None:  # a resumed run starts part way through the file
            self._first = (rows, bytes_done)
            self.started = now
            return
        elapsed = max(now - self.started, 1e-6)
        rate = (rows - self._first[0]) / elapsed
        speed = (bytes_done - self._first[1]) / elapsed
        share = min(1.0, bytes_done / self.total_bytes)
        left = (self.total_bytes - bytes_done) / speed if speed > 0 else 0
        self._write(
            f"\r{self.label}: {rows:,} rows  {rate:,.0f} rows/s  {share:6.1%}  ETA {_clock(left)}  "
        )

    def close(self) -> None:
        if self.enabled:
            self._write("\n")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            # A command's self.stderr would end each redraw with a new line, and colour it
            # as an error.
            self.stream.write(text, style_func=str, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
