"""make_synthetic_nppes: files in exactly the real NPPES layout, obviously fake, reproducible."""

import collections
import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from careatlas.imports.nppes.layout import HEADER, POSITION, max_length
from careatlas.providers.models import TaxonomyCode
from careatlas.providers.npi import is_valid_npi
from tests.nppes_files import load_taxonomy

FAKE_STEMS = ("TEST", "SYNTH", "FAKE", "MOCK", "SAMPLE", "PLACEHOLD", "EXAMPLE", "DUMMY")
FAKE_STEMS += ("PRETEND", "FICTIO", "SIMULA", "MADEUP")


def make(tmp_path, name: str, *args: str) -> tuple[bytes, str]:
    out = io.StringIO()
    path = tmp_path / name
    call_command("make_synthetic_nppes", "--out", str(path), *args, stdout=out)
    return path.read_bytes(), out.getvalue()


def rows_of(data: bytes, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


@pytest.fixture
def nucc(db, real_data):
    load_taxonomy(real_data)


def test_the_layout_is_the_real_one_to_the_byte(tmp_path, nucc, real_data):
    data, summary = make(tmp_path, "a.csv", "--rows", "2000", "--seed", "3")
    real_header = (real_data / "nppes" / "nppes_npidata_pfile_header_2025-06_V2.csv").read_bytes()

    assert data.startswith(real_header)  # the same 330 names, quoted, CRLF
    lines = data.split(b"\r\n")[:-1]
    assert len(lines) == 2001 and b"\n" not in b"".join(lines)
    rows = rows_of(data)
    assert rows[0] == list(HEADER)
    assert all(len(row) == 330 for row in rows)
    assert all(line.startswith(b'"') and line.endswith(b'"') for line in lines)
    assert "2,000 rows" in summary and "0 bad rows planted" in summary


def test_every_value_fits_the_real_files_column_lengths(tmp_path, nucc, real_data):
    data, _ = make(tmp_path, "a.csv", "--rows", "3000", "--seed", "4", "--latin1")
    metadata = json.loads(
        (real_data / "nppes" / "nppes_npidata_pfile_20050523-20250608.metadata.json").read_text()
    )
    # The metadata counts one more than the longest value (NPI: 11 for 10 digits).
    longest = {name: length - 1 for name, length in metadata["max_column_lengths"].items()}
    for row in rows_of(data, "latin-1")[1:]:
        for name, value in zip(HEADER, row, strict=True):
            assert len(value) <= longest[name] == max_length(name), (name, value)


def test_rows_look_like_the_registry(tmp_path, nucc, real_data):
    data, _ = make(tmp_path, "a.csv", "--rows", "4000", "--seed", "5", "--latin1")
    rows = rows_of(data, "latin-1")[1:]
    kinds = collections.Counter(row[POSITION["Entity Type Code"]] for row in rows)
    assert 0.70 < kinds["1"] / len(rows) < 0.80  # about three individuals to one organization
    assert 0.18 < kinds["2"] / len(rows) < 0.28
    assert all(is_valid_npi(row[0]) for row in rows)
    assert len({row[0] for row in rows}) == len(rows)

    deactivated = [row for row in rows if not row[POSITION["Entity Type Code"]]]
    assert deactivated
    for row in deactivated:  # nothing but the NPI and the date, as NPPES publishes them
        assert [i for i, value in enumerate(row) if value] == [
            0,
            POSITION["NPI Deactivation Date"],
        ]
    reactivated = [row for row in rows if row[POSITION["NPI Reactivation Date"]]]
    assert reactivated and all(row[POSITION["Entity Type Code"]] == "1" for row in reactivated)

    codes = set(TaxonomyCode.objects.values_list("code", flat=True))
    listed = [
        row[POSITION[f"Healthcare Provider Taxonomy Code_{n}"]] for row in rows for n in (1, 2)
    ]
    assert {code for code in listed if code} <= codes
    individuals = [row for row in rows if row[POSITION["Entity Type Code"]] == "1"]
    surnames = {row[POSITION["Provider Last Name (Legal Name)"]] for row in individuals}
    assert all(any(stem in name for stem in FAKE_STEMS) for name in surnames)
    text = data.decode("latin-1")
    assert "<UNAVAIL>" in text and "É" in text and "Ñ" in text
    zips = [
        row[POSITION["Provider Business Practice Location Address Postal Code"]]
        for row in individuals
    ]
    assert all(len(z) in (5, 9) and z.isdigit() for z in zips)


def test_the_same_seed_gives_the_same_file(tmp_path, nucc):
    first, _ = make(tmp_path, "a.csv", "--rows", "500", "--seed", "8")
    again, _ = make(tmp_path, "b.csv", "--rows", "500", "--seed", "8")
    other, _ = make(tmp_path, "c.csv", "--rows", "500", "--seed", "9")
    assert first == again != other


def test_bad_rows_are_planted_where_it_says(tmp_path, nucc):
    data, summary = make(
        tmp_path, "a.csv", "--rows", "600", "--seed", "2", "--bad-rows", "8", "--verbosity", "2"
    )
    assert "8 bad rows planted" in summary
    planted = {
        int(line.split()[1].rstrip(":")): line.split()[-1]
        for line in summary.splitlines()
        if line.strip().startswith("line ")
    }
    assert sorted(collections.Counter(planted.values()).values()) == [2, 2, 2, 2]
    rows = rows_of(data)
    for line, kind in planted.items():
        row = rows[line - 1]
        if kind == "columns":
            assert len(row) == 327
        elif kind == "npi":
            assert not is_valid_npi(row[0])
        elif kind == "date":
            assert row[POSITION["Provider Enumeration Date"]] == "02/30/2019"
        else:
            assert row[POSITION["Healthcare Provider Taxonomy Code_1"]] == "999Z99999X"


def test_a_zip_holds_the_data_file_and_its_header_file(tmp_path, nucc):
    make(tmp_path, "nppes.zip", "--rows", "50", "--as-of", "2025-07-06")
    with zipfile.ZipFile(tmp_path / "nppes.zip") as archive:
        names = sorted(archive.namelist())
        assert names == [
            "npidata_pfile_20050523-20250706.csv",
            "npidata_pfile_20050523-20250706_fileheader.csv",
        ]
        assert len(archive.read(names[0]).split(b"\r\n")) == 52


def test_codes_come_from_the_nucc_file_when_the_table_is_empty(tmp_path, db, real_data):
    with pytest.raises(CommandError, match="import_nucc"):
        make(tmp_path, "a.csv", "--rows", "10")
    nucc_csv = real_data / "nucc" / "nucc_taxonomy_251.csv"
    data, _ = make(tmp_path, "a.csv", "--rows", "10", "--nucc", str(nucc_csv))
    assert len(rows_of(data)) == 11
