"""The contract every file format fulfils: what a parser is given (`Input`, `Options`) and returns (`Parsed`).

A format is a module (or any object) with:

- `NAME`: the `--format` value (`csv`, `linkedin`, ...); `SOURCE`: the report's `source` and the
  `source` of the contacts it creates; `LABEL`: how to name the format in messages; optionally
  `DIRECTORY = True` when it also reads a folder (`Input.path`).
- `detect(inp: Input) -> bool`: True when the file is this format, from `inp.filename` and the
  content (`inp.head` bytes, `inp.first_lines(n)`; `inp.text()` reads a whole file). Cheap.
- optionally `stream(inp, opts) -> Iterator[Parsed]`: the same records in batches of contact records
  (`in_batches`), for a format with no interactions that can be read row by row [streamed-imports]; the
  import writes them batch by batch in its one transaction, so a big file is never held as records.
  File errors (truncation, missing columns) are raised before the first batch.
- `parse(inp: Input, opts: Options) -> Parsed`: read the WHOLE input and return plain records
  (`pcrm.domain.records`): contact records, interaction records (each pointing at a contact record of
  the same parse by index, or at a `Counterpart` to look up), the file owner's identities when the file
  names them, and row errors as `"Row n: ..."` strings (n = the record's row as a spreadsheet numbers it;
  a vCard's `"Card n (Name): ..."`: [import-report]). Problems
  with the file as a whole (undecodable, truncated, missing columns) raise `BadRequest` naming the file
  and line.

Parsers never touch the store, the settings or the services: whatever the file implies beyond its
records (e.g. filling the `me` setting) is returned in `Parsed` for the services to apply.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Protocol

from pcrm.domain.records import ContactRecord, Me, Records
from pcrm.formats.textio import CHUNK, decode, encoding, lines_of, strip_break, text_lines

# progress(stage, done, total): called every few hundred rows (the CLI draws it)
ProgressFn = Callable[[str, int, int], None]


class Input:
    """One file to parse: its bytes and name, and for files read from disk, where it is.

    A file opened with `Input.of_file` is not read at once [streamed-imports]: `head`, `lines()` and
    `encoding()` read it chunk by chunk, from disk, on every call, holding neither its bytes nor its
    text; `data` and `text()` (formats that parse a whole file) read it whole, once."""

    def __init__(self, data: bytes = b"", filename: str = "", path: Path | None = None) -> None:
        self._data: bytes | None = data
        self.filename = filename
        self.path = path  # where the file came from (CLI); a folder for formats with DIRECTORY
        self._size = len(data)
        self._text: str | None = None  # cached by text()
        self._head: bytes | None = None
        self._encoding: tuple[str, int] | None = None

    @classmethod
    def of_file(cls, path: Path, size: int) -> Input:
        """A regular file of `size` bytes (checked by `open_regular`), read on demand, at most `size`."""
        inp = cls(b"", path.name, path)
        inp._data, inp._size = None, size
        return inp

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = b"".join(self.chunks())
        return self._data

    @property
    def head(self) -> bytes:
        if self._data is not None:
            return self._data[:8192]
        if self._head is None:
            self._head = next(iter(self.chunks(8192)), b"")
        return self._head

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The bytes from the start, `size` at a time (a file is read again on every call)."""
        if self._data is not None:
            view = memoryview(self._data)
            for at in range(0, len(view), size):
                yield view[at : at + size]  # type: ignore[misc]  # bytes-like; callers copy what they keep
            return
        assert self.path is not None
        fd, _ = open_regular(self.path)  # again on every pass: still the regular file it was
        try:
            left = self._size
            while left > 0 and (chunk := os.read(fd, min(left, size))):
                left -= len(chunk)
                yield chunk
        finally:
            os.close(fd)

    def encoding(self) -> tuple[str, int]:
        """(codec, BOM length) of the text: `textio.decode`'s choice and errors, the whole file checked
        chunk by chunk."""
        if self._encoding is None:
            self._encoding = encoding(self.chunks, self.filename)
        return self._encoding

    def lines(self, skip: int = 0) -> Iterator[str]:
        """The text's lines (`splitlines(keepends=True)`) from the `skip`-th on, decoded as it is read."""
        if self._data is not None:  # in memory already (an upload, a member of an archive)
            return lines_of(self.text(), skip)
        enc, bom = self.encoding()
        return itertools.islice(text_lines(self.chunks, enc, bom), skip, None)

    def first_lines(self, n: int) -> list[str]:
        """`text().splitlines()[:n]` without reading more of the file than those lines."""
        return [strip_break(line) for line in itertools.islice(self.lines(), n)]

    def count(self, byte: bytes) -> int:
        """How often `byte` occurs in the file (read chunk by chunk)."""
        return sum(bytes(c).count(byte) for c in self.chunks())

    def text(self) -> str:
        if self._text is None:
            self._text = decode(self.data, self.filename)
        return self._text

    @property
    def suffix(self) -> str:
        name = self.filename.lower()
        return name.rsplit(".", 1)[-1] if "." in name else ""


@dataclass
class Options:
    """How to read a file. Parsers read `tz`, `me`, `me_given`, `second_tier` and `progress`; the
    services that write the records also read `phone_region`, `dry_run` and `strict`."""

    tz: tzinfo  # the zone of naive times in the file (--tz, else the `timezone` setting)
    me: Me  # the `me` setting, overridden by --me
    phone_region: str | None = None  # the region of phone numbers written without a country code
    dry_run: bool = False
    strict: bool = False
    me_given: bool = False  # --me was passed: the file's own idea of who you are does not override it
    progress: ProgressFn | None = None
    second_tier: bool = True  # `telegram.sync_2nd_tier`: group members as 2nd-tier contacts
    date_order: str | None = None  # --date-order: 'dmy', 'mdy' or 'ymd' for files that leave it open
    columns: dict[str, str] = field(default_factory=dict)  # --map: a CSV column (header) -> a field
    me_id: str | None = None  # --me-id: your own account id where the file names people by id (X archives)


# what a parse returns: the records of `pcrm.domain.records` (also what one batch of a live source holds)
Parsed = Records


class Format(Protocol):
    NAME: str
    SOURCE: str
    LABEL: str

    def detect(self, inp: Input) -> bool: ...

    def parse(self, inp: Input, opts: Options) -> Parsed: ...


BATCH = 2000  # [streamed-imports]: contact records per batch of a streamed format


def in_batches(
    records: Iterable[ContactRecord | None], *, head: Iterable[str] = (), tail: Callable[[], list[str]]
) -> Iterator[Parsed]:
    """Contact records (None: a row skipped by design) in batches of BATCH [streamed-imports]: what a
    streamed format's `stream` yields. `head`: errors about the file as a whole, in the first batch;
    `tail()`: the row errors the reader found, read once every row was, in the last batch."""
    out = Parsed(errors=list(head))
    for rec in records:
        if rec is None:
            out.contacts_skipped += 1
            continue
        out.contacts.append(rec)
        if len(out.contacts) >= BATCH:
            yield out
            out = Parsed()
    out.errors += tail()
    yield out


def collect(batches: Iterable[Parsed]) -> Parsed:
    """A streamed format's batches as one parse (`parse` of a format that also has `stream`)."""
    out = Parsed()
    for b in batches:
        out.contacts += b.contacts
        out.errors += b.errors
        out.contacts_skipped += b.contacts_skipped
    return out


MAX_FILE = 1 << 30  # [regular-files]: the largest file an import reads (1 GB)


def open_regular(path: Path | str, *, limit: int = MAX_FILE) -> tuple[int, int]:
    """(descriptor, size) of a regular file opened for reading [regular-files]. A device (/dev/zero), a
    FIFO or a socket is refused at once, never read: the file is opened without blocking and checked
    through its descriptor (no race with a swap after a check). Over `limit`, refused."""
    from pcrm.errors import BadRequest

    name = str(path)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadRequest(
                f"{name} is not a regular file; pcrm imports files (and folders of files)",
                hint="export the data to a file first, e.g. pcrm import ~/Downloads/Connections.csv",
            )
        if st.st_size > limit:
            raise BadRequest(
                f"{name} is {st.st_size >> 20:,} MB; pcrm imports files up to {limit >> 20:,} MB",
                hint="split it into smaller files and import them one by one",
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def read_regular(path: Path | str, *, limit: int = MAX_FILE) -> bytes:
    """The bytes of a regular file (`open_regular`), at most the size it had when opened."""
    fd, left = open_regular(path, limit=limit)
    try:
        chunks = []
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_named_file(path: str, *, example: str, limit: int = MAX_FILE) -> bytes:
    """The bytes of a file the user named (a command's FILE or --client-file), whole. A path that names no
    readable file is an error naming it, with a hint, as `pcrm import MISSING` gives: no file there, a
    folder, or one pcrm may not read [cli-failures]. `example`: the command as it should look."""
    from pcrm.errors import BadRequest, NotFound

    p = Path(path).expanduser()
    if not p.exists():
        raise NotFound(f"no file at {p}", hint=f"check the path; e.g. {example}")
    if p.is_dir():
        raise BadRequest(f"{p} is a folder, not a file", hint=f"name the file itself; e.g. {example}")
    try:
        return read_regular(p, limit=limit)
    except OSError as exc:
        raise BadRequest(f"cannot read {p}: {exc.strerror}", hint="check the file's permissions") from None
