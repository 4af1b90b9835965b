"""What every importer stands on: reading files as downloaded, resuming at a byte offset,
a progress line on a terminal only, and reading in a second process."""

import io
import zipfile

import pytest
from django.core.management.base import OutputWrapper

from careatlas.imports.files import (
    CsvSource,
    SourceFileError,
    WorkerStopped,
    describe_file,
    items_from_worker,
)
from careatlas.imports.progress import Progress
from tests import import_workers


def test_a_quoted_file_reads_the_same_as_the_csv_module_would(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_bytes(
        '"NPI","Name","City"\r\n'
        '"1","PEÑA, JOSÉ","SAN JOSÉ"\r\n'  # Latin-1 line, comma inside a field
        '"2","SAY ""HI""","X"\r\n'  # escaped quotes: not the fast path's shape
        '"3","",""\r\n'
        "\r\n"  # blank lines are skipped but counted
        "4,plain,unquoted\r\n".encode("latin-1")
    )
    with CsvSource(path) as source:
        assert source.header == ["NPI", "Name", "City"] and source.every_field_quoted
        rows = list(source.rows())
    assert rows == [
        (2, ["1", "PEÑA, JOSÉ", "SAN JOSÉ"]),
        (3, ["2", 'SAY "HI"', "X"]),
        (4, ["3", "", ""]),
        (6, ["4", "plain", "unquoted"]),
    ]


def test_reading_resumes_at_a_checkpoint(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n" + "".join(f"{n},x{n}\n" for n in range(1, 11)), encoding="utf-8")
    with CsvSource(path) as source:
        rows = source.rows()
        for _ in range(4):
            next(rows)
        offset, line = source.offset, source.line
    with CsvSource(path) as source:
        source.seek(offset, line)
        assert [(line, fields[0]) for line, fields in source.rows()][:2] == [(6, "5"), (7, "6")]


def test_a_zip_is_read_through_its_data_member(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("npidata_pfile_20250609-20250615_fileheader.csv", '"NPI"\r\n')
        archive.writestr("othername_pfile_20250609-20250615.csv", '"NPI","Other"\r\n')
        archive.writestr("npidata_pfile_20250609-20250615.csv", '"NPI"\r\n"1234567893"\r\n')
    with CsvSource(path, zip_member="npidata_pfile") as source:
        assert source.member_name == "npidata_pfile_20250609-20250615.csv"
        assert list(source.rows()) == [(2, ["1234567893"])]
    missing = pytest.raises(SourceFileError, match="no CSV file inside the ZIP")
    with missing, CsvSource(path, zip_member="endpoint_pfile"):
        pass


def test_unreadable_files_say_which_file(tmp_path):
    with pytest.raises(SourceFileError, match=r"missing\.csv: no such file"):
        describe_file(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\n")
    with pytest.raises(SourceFileError, match=r"empty\.csv: the file is empty"), CsvSource(empty):
        pass


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_on_a_terminal_and_is_silent_elsewhere():
    terminal = _Terminal()
    progress = Progress("NPPES test.csv", 1000, stream=OutputWrapper(terminal))
    progress.update(10, 100, force=True)
    progress.update(500, 500, force=True)
    progress.close()
    shown = terminal.getvalue()
    assert shown.startswith("\rNPPES test.csv: 500 rows") and shown.endswith("\n")
    assert " 50.0%" in shown and "ETA" in shown and shown.count("\n") == 1

    piped = io.StringIO()
    quiet = Progress("NPPES test.csv", 1000, stream=piped)
    quiet.update(500, 500, force=True)
    quiet.close()
    assert piped.getvalue() == ""


def test_a_worker_process_hands_its_items_over_and_its_errors_too():
    assert list(items_from_worker(import_workers.count_to, 5)) == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="row 3 is bad"):
        list(items_from_worker(import_workers.fail_at, 3))
    with pytest.raises(WorkerStopped):
        list(items_from_worker(import_workers.die_at, 2))
    # A consumer that stops early stops the worker.
    items = items_from_worker(import_workers.count_to, 10**9)
    assert next(items) == 1
    items.close()
