"""Concurrent posts to a SQLite site keep every write, however the database file is named.

A short form of bench/writes.py (200 posts on 2 and 8 workers there): with
DATABASE_URL=sqlite:///..., the site once skipped WAL and the busy timeout and lost 54 of
200 concurrent reports to "database is locked".
"""

import json
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import REPO


def test_forty_simultaneous_reports_are_all_stored_on_both_sqlite_forms():
    if connection.vendor != "sqlite":
        pytest.skip("about SQLite files; it makes its own, so one suite runs it")
    result = subprocess.run(
        [sys.executable, "bench/writes.py", "--posts", "40", "--workers", "2"]
        + ["--environment", "development", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    runs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {run["form"] for run in runs} == {"SQLITE_PATH", "DATABASE_URL"}
    for run in runs:
        assert run["journal_mode"] == "wal", run
        assert run["answers"] == {"302": 40}, run
        assert run["stored"] == 40, run
