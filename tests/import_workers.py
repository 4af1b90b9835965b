"""Generators the import framework's tests run in a worker process (importable by name)."""

import os
from collections.abc import Iterator


def count_to(n: int) -> Iterator[int]:
    yield from range(1, n + 1)


def fail_at(n: int) -> Iterator[int]:
    for i in range(1, n + 1):
        if i == n:
            raise ValueError(f"row {i} is bad")
        yield i


def die_at(n: int) -> Iterator[int]:
    """Ends the process abruptly, as kill -9 or running out of memory would."""
    for i in range(1, n + 1):
        if i == n:
            os._exit(9)
        yield i
