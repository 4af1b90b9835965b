"""A clock the test moves forward: every `timezone.now()` (and so `localdate()`) reads it."""

import datetime

import pytest
from django.utils import timezone


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, days: int) -> None:
        self.now += datetime.timedelta(days=days)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)
