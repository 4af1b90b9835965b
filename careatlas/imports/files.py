"""Reading the public data files: plain CSV or the ZIP as downloaded, Latin-1 or UTF-8.

Rows are read line by line with the byte offset after each, so an interrupted import can
seek back to its last checkpoint instead of reading the file again from the start.
"""

import csv
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1 << 20


class SourceFileError(Exception):
    """The file cannot be read at all (missing, empty, not a CSV, no usable ZIP member)."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name


def describe_file(path: str | Path) -> SourceFile:
    """Size and SHA-256 of a file: an import run is identified by what it read."""
    path = Path(path)
    if not path.is_file():
        raise SourceFileError(f"{path}: no such file")
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return SourceFile(path=path, size=path.stat().st_size, sha256=digest.hexdigest())


def decode(raw: bytes) -> str:
    # NPPES is Latin-1, CMS files are UTF-8: a line that is not valid UTF-8 is Latin-1
    # (every byte string is valid Latin-1, so nothing is lost either way).
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _zip_member(archive: zipfile.ZipFile, pattern: str | None) -> zipfile.ZipInfo:
    """The data CSV inside a downloaded ZIP: the largest .csv (NPPES ships a small
    `_fileheader.csv` and other side files next to the main one)."""
    candidates = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".csv")
        and not info.filename.lower().endswith("fileheader.csv")
        and (pattern is None or pattern in info.filename)
    ]
    if not candidates:
        raise SourceFileError(f"{archive.filename}: no CSV file inside the ZIP")
    return max(candidates, key=lambda info: info.file_size)


class CsvSource:
    """A CSV file's header and rows, each with its line number; `offset` follows the rows.

    Use as a context manager. Records spanning several lines are not supported: none of the
    CMS or NPPES files has one, and a broken quote shows up as a row of the wrong length.
    """

    def __init__(self, path: str | Path, *, zip_member: str | None = None):
        self.path = Path(path)
        self.zip_member = zip_member
        self.header: list[str] = []
        self.offset = 0  # bytes of the (uncompressed) data read so far
        self.line = 0  # number of the last line read (the header is line 1)
        self.data_size = 0  # uncompressed size, for progress
        self._stream: BinaryIO | None = None
        self._archive: zipfile.ZipFile | None = None
        self._header_end = 0

    def __enter__(self) -> "CsvSource":
        try:
            if zipfile.is_zipfile(self.path):
                self._archive = zipfile.ZipFile(self.path)
                member = _zip_member(self._archive, self.zip_member)
                self.data_size = member.file_size
                self._stream = self._archive.open(member)
            else:
                self._stream = self.path.open("rb")
                self.data_size = self.path.stat().st_size
        except OSError as error:
            raise SourceFileError(f"{self.path}: {error.strerror or error}") from error
        first = self._stream.readline()
        if not first.strip():
            raise SourceFileError(f"{self.path}: the file is empty")
        self.header = [name.strip() for name in next(csv.reader([decode(first).lstrip("\ufeff")]))]
        self.offset = self._header_end = len(first)
        self.line = 1
        return self

    def __exit__(self, *exc) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._archive is not None:
            self._archive.close()

    def seek(self, offset: int, line: int) -> None:
        """Continue after a checkpoint: `offset` bytes and `line` lines already read."""
        if offset > self._header_end:
            # ZIP members can seek too (by decompressing up to the point), just more slowly.
            self._stream.seek(offset)
            self.offset, self.line = offset, line

    def _lines(self) -> Iterator[str]:
        readline = self._stream.readline
        while raw := readline():
            self.offset += len(raw)
            self.line += 1
            if raw.strip():
                yield decode(raw)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) for each data row after the current position."""
        reader = csv.reader(self._lines())
        for fields in reader:
            yield self.line, fields
