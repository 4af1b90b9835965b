"""Every import command runs through one loop: an operator who stops one is told how to
resume it, and the same command then finishes the file once."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careatlas.imports.management.commands import import_nucc
from careatlas.imports.models import ImportRun, RunStatus
from careatlas.imports.nucc import NuccImporter
from careatlas.providers.models import TaxonomyCode

pytestmark = pytest.mark.django_db

NUCC = Path("nucc") / "nucc_taxonomy_251.csv"


def test_an_import_stopped_with_ctrl_c_says_how_to_resume_and_then_resumes(
    content_pack, real_data, monkeypatch
):
    monkeypatch.setattr(import_nucc.Command, "batch_rows", 100)
    original = NuccImporter.row

    def ctrl_c_on_line_450(self, line, fields):
        if line == 450:
            raise KeyboardInterrupt
        return original(self, line, fields)

    monkeypatch.setattr(NuccImporter, "row", ctrl_c_on_line_450)
    with pytest.raises(CommandError, match="interrupted.*run the same command again to resume"):
        call_command("import_nucc", str(real_data / NUCC), stdout=StringIO())
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read) == (RunStatus.RUNNING, 400)
    assert TaxonomyCode.objects.count() == 400

    monkeypatch.setattr(NuccImporter, "row", original)
    out = StringIO()
    call_command("import_nucc", str(real_data / NUCC), stdout=out)
    run.refresh_from_db()
    assert (run.status, run.resumed) == (RunStatus.COMPLETED, 1)
    # The counts carry on from the checkpoint: each row counted once over both commands.
    assert "883 rows imported" in out.getvalue() and "883 new, 0 updated" in out.getvalue()
    assert TaxonomyCode.objects.count() == 883
