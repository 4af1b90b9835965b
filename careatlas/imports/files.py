"""Reading the public data files: plain CSV or the ZIP as downloaded, Latin-1 or UTF-8.

Rows are read line by line with the byte offset after each, so an interrupted import can
seek back to its last checkpoint instead of reading the file again from the start.
"""

import csv
import gc
import hashlib
import multiprocessing
import queue
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")

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
        self.member_name = self.path.name  # the CSV read: the file, or the ZIP's member
        self._stream: BinaryIO | None = None
        self._archive: zipfile.ZipFile | None = None
        self._header_end = 0

    def __enter__(self) -> "CsvSource":
        try:
            if zipfile.is_zipfile(self.path):
                self._archive = zipfile.ZipFile(self.path)
                member = _zip_member(self._archive, self.zip_member)
                self.data_size = member.file_size
                self.member_name = member.filename.rsplit("/", 1)[-1]
                self._stream = self._archive.open(member)
            else:
                self._stream = self.path.open("rb")
                self.data_size = self.path.stat().st_size
        except OSError as error:
            raise SourceFileError(f"{self.path}: {error.strerror or error}") from error
        first = self._stream.readline()
        if not first.strip():
            raise SourceFileError(f"{self.path}: the file is empty")
        header = decode(first).lstrip("\ufeff")
        self.header = [name.strip() for name in next(csv.reader([header]))]
        # NPPES quotes every field and never puts a quote inside one: such lines are split
        # on '","' (a third of csv.reader's time), any line that does not fit falls back.
        self.every_field_quoted = header.rstrip("\r\n").count('"') == 2 * len(self.header)
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
        if not self.every_field_quoted:
            for fields in csv.reader(self._lines()):
                yield self.line, fields
            return
        for text in self._lines():
            body = text.rstrip("\r\n")
            fields = body[1:-1].split('","')
            if body.count('"') != 2 * len(fields) or body[:1] != '"' or body[-1:] != '"':
                fields = next(csv.reader([text]))
            yield self.line, fields


@contextmanager
def fewer_collections(threshold: int = 100_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while rows stream through.

    An import allocates millions of short-lived rows and tuples, which reference counting
    frees; the collector would still scan them, and every long-lived object of Django,
    hundreds of times per batch (measured: unpickling a batch took 2.4x longer with it).
    What exists now is frozen out of its scans; its threshold is restored afterwards.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def _produce(send, produce: Callable[..., Iterable], args: tuple) -> None:
    try:
        for item in produce(*args):
            send.send((_ITEM, item))
        send.send((_DONE, None))
    except BrokenPipeError:  # the consumer has gone: nothing to tell
        pass
    except BaseException as error:  # handed over to the consumer, raised there
        try:
            send.send((_ERROR, error))
        except Exception:  # not picklable
            send.send((_ERROR, RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()


_ITEM, _DONE, _ERROR, _STOPPED = "item", "done", "error", "stopped"


class WorkerStopped(Exception):
    """The reading process ended without finishing (killed, or out of memory)."""


def items_from_worker(produce: Callable[..., Iterable[T]], *args) -> Iterator[T]:
    """The items of `produce(*args)`, computed in a separate process.

    Reading and parsing a large file is pure Python; in a process of its own it runs on
    the other core, in parallel with the database work here, and holds no lock this
    process needs. `produce` must be a module-level function taking picklable arguments;
    it may open its own database connection but not use Django's. A thread here receives
    and unpickles the next item while the consumer works on the current one (the consumer
    mostly waits on the database, which releases the GIL); the pipe holds little, so the
    worker stays about one item ahead. Its exceptions are raised here; when the consumer
    stops (or is killed), the worker stops too.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_produce, args=(send, produce, args), daemon=True)
    worker.start()
    send.close()
    handoff: queue.Queue = queue.Queue(maxsize=1)

    def pump() -> None:
        while True:
            try:
                message = receive.recv()
            except (EOFError, OSError):
                message = (_STOPPED, None)
            handoff.put(message)
            if message[0] != _ITEM:
                return

    receiver = threading.Thread(target=pump, name="worker-items", daemon=True)
    receiver.start()
    try:
        while True:
            kind, payload = handoff.get()
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise payload
            if kind == _STOPPED:
                raise WorkerStopped("the file reading process stopped unexpectedly")
            yield payload
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join(timeout=10)
        while receiver.is_alive():  # it may wait to hand over an item nobody will take
            with suppress(queue.Empty):
                handoff.get_nowait()
            receiver.join(timeout=0.1)
        receive.close()
