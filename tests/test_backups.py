"""The operator's backup drill: write, back up, write more, restore, and find the first state."""

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Specialty
from careatlas.providers.models import IncorrectInfoReport
from tests.conftest import REPO
from tests.provider_factories import PractitionerFactory


def _state() -> dict:
    return {
        "specialties": sorted(Specialty.objects.values_list("slug", "name")),
        "reports": sorted(IncorrectInfoReport.objects.values_list("details", "contact")),
    }


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_backed_up_state_and_drops_later_writes(tmp_path):
    practitioner = PractitionerFactory()
    Specialty.objects.create(slug="before", name="Written before the backup")
    IncorrectInfoReport.objects.create(
        practitioner=practitioner,
        fact="phone",
        fact_key="phone:1",
        about="555-0100",
        details="The number rings a bakery.",
        contact="pat@example.org",  # encrypted at rest
    )
    at_backup = _state()
    backup_file = tmp_path / "drill.backup"

    call_command("backup", output=backup_file, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup_file.stat().st_size > 0

    Specialty.objects.create(slug="after", name="Written after the backup")
    Specialty.objects.filter(slug="before").update(name="Renamed after the backup")
    SiteVersion.bump()
    version_before_restore = SiteVersion.objects.get(pk=1).version

    call_command("restore", str(backup_file), yes=True, stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert _state() == at_backup
    # The encrypted contact reads back with the same keys.
    assert IncorrectInfoReport.objects.get().contact == "pat@example.org"
    # Pages cached under versions the site had reached are never served for restored content.
    assert SiteVersion.objects.get(pk=1).version > version_before_restore


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a database at all" * 100)
    Specialty.objects.create(slug="kept", name="Kept")
    with pytest.raises(CommandError):
        call_command("restore", str(bogus), yes=True)
    assert Specialty.objects.filter(slug="kept").exists()


@pytest.mark.django_db
def test_restore_without_confirmation_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "whatever.backup"))


def test_sqlite_backup_includes_rows_still_in_the_write_ahead_log(tmp_path):
    """A plain copy of a live WAL database misses recent commits; `manage.py backup` does not."""
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep commits in the log, as a busy site does
    writer.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, note TEXT)")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for number in range(93):
        writer.execute("INSERT INTO visit (note) VALUES (?)", (f"visit {number}",))

    naive = tmp_path / "naive-copy.sqlite3"
    shutil.copyfile(live, naive)
    with sqlite3.connect(naive) as copy:
        assert copy.execute("SELECT count(*) FROM visit").fetchone()[0] == 0

    backup_file = tmp_path / "proper.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(CAREATLAS_ENV="development", SQLITE_PATH=str(live))
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(backup_file)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    writer.close()
    assert result.returncode == 0, result.stderr
    assert "Backed up to" in result.stdout
    with sqlite3.connect(backup_file) as copy:
        assert copy.execute("SELECT count(*) FROM visit").fetchone()[0] == 93
