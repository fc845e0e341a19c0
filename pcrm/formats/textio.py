"""Reading import files as text and CSV: encodings, delimiters, line numbers, and clear errors.

Every error names the file and the line, and nothing is written when decoding or parsing fails (the
framework parses the whole input before it opens a transaction).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from pcrm.errors import BadRequest

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Characters that never appear in a text export: C0 controls except tab, LF, CR, FF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
HINT_FORMATS = "pcrm reads UTF-8 (with or without BOM), UTF-16 with a BOM, and Windows-1252 text"


_LEGACY = ("cp1252", "cp1250", "iso-8859-2")  # Western first: it wins every tie
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_C1 = re.compile("[\x80-\x9f]")


# What Central European letters look like read as Windows-1252 (ł ą/š ż ž/ľ ą ś ź Ś Ż Ą Ł Š ť Ť Ž Ź in
# cp1250 or ISO-8859-2): inside a word they give the code page away; Western text never has them there.
_TELLTALE = frozenset("³¹¿¾±¶¼¦¯¥£©»«®¬")


Chunks = Callable[[], Iterable[bytes]]  # a file's bytes, chunk by chunk, from the start on every call
CHUNK = 1 << 20  # [streamed-imports]: how much of a file is read (and decoded) at a time
# [csv-field-size]: the longest CSV cell read (Python's default, 131,072, is under the notes cap of
# [text-limits]); a longer value reaches validation, which drops it with a row error, the rest imports
FIELD_LIMIT = 1 << 24
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


def legacy_encoding(data: bytes) -> str:
    """Which single-byte encoding non-UTF-8 text is in: Windows-1252 (Western Europe) unless reading it so
    puts telltale symbols inside words (Polish `Żółć` read as cp1252 is `¯ó³æ`, `Kašpar` in ISO-8859-2
    is `Ka¹par`); then Windows-1250 or ISO-8859-2, whichever reads with fewer of them and more letters
    next to letters (ties: that order). Symbols at a word's edge (`¿Qué`, `m³`, `«Bonjour»`, `£5`) are
    ordinary Western text and decide nothing."""
    return _legacy_encoding(lambda: (data,))


def _legacy_encoding(chunks: Chunks) -> str:
    """`legacy_encoding` over a file read chunk by chunk [streamed-imports]: the same counts, each
    character judged with its neighbours across chunk edges."""
    best: tuple[int, int, int] | None = None
    choice = _LEGACY[0]
    for rank, enc in enumerate(_LEGACY):
        counts = _legacy_counts(chunks, enc)
        if counts is None:
            continue
        inside, letters = counts
        if rank == 0 and inside == 0:
            return enc
        key = (inside, -letters, rank)
        if best is None or key < best:
            best, choice = key, enc
    return choice


def _legacy_counts(chunks: Chunks, enc: str) -> tuple[int, int] | None:
    """(telltales inside words, letters next to letters) of the file read as `enc`; None when it does
    not read so (undefined bytes, or C1 controls no text holds)."""
    inside = letters = 0
    before = pending = ""  # the last two characters seen; `pending` is not judged yet (no lookahead)
    started = False

    def judge(ch: str, prev: str, nxt: str) -> None:
        nonlocal inside, letters
        if ch.isalpha() and unicodedata.category(ch) != "Lm":  # ˇ is a "letter" too, but no word has it
            letters += prev.isalpha() or nxt.isalpha()
        elif ch in _TELLTALE and prev.isalpha() and nxt.isalpha():
            inside += 1

    for chunk in chunks():
        try:
            text = bytes(chunk).decode(enc)
        except UnicodeDecodeError:
            return None
        if not text:
            continue
        if _C1.search(text):  # ISO-8859-2 maps 0x80-0x9F to control characters no text holds
            return None
        work = before + pending + text
        first = len(before)  # `pending`'s index in work: judged now that it has a next character
        for m in _NON_ASCII.finditer(work, first, len(work) - 1):
            i = m.start()
            judge(m.group(), work[i - 1] if (i or started) else " ", work[i + 1])
        started = True
        before, pending = (work[-2] if len(work) >= 2 else ""), work[-1]
    if pending and _NON_ASCII.match(pending):
        judge(pending, before or " ", " ")
    return inside, letters


def decode(data: bytes, filename: str) -> str:
    """Bytes to text: a BOM decides (UTF-8, UTF-16, UTF-32); else UTF-8; else the single-byte encoding
    that reads best (legacy_encoding: Windows-1252 unless the text reads as Central European).

    Binary files (NUL bytes, control characters) and bytes no encoding explains are refused with the
    line where the problem starts."""
    enc, skip = encoding(lambda: (data,), filename)
    return data[skip:].decode(enc)


def encoding(chunks: Chunks, filename: str) -> tuple[str, int]:
    """(codec, BOM length) of a file read chunk by chunk, never held whole [streamed-imports]: what
    `decode` decides, with the same errors. A BOM decides (UTF-8, UTF-16, UTF-32); else UTF-8; else the
    single-byte encoding that reads best (`legacy_encoding`). Binary files (NUL bytes, control
    characters) and bytes no encoding explains are refused with the line where the problem starts."""
    head = b""
    for c in chunks():
        head += bytes(c)
        if len(head) >= 8:
            break
    for bom, enc in _BOMS:
        if head.startswith(bom):
            bad = _undecodable(chunks, enc, len(bom))
            if bad is not None:
                raise BadRequest(
                    f"{filename}: not valid {enc.upper()} text (bad bytes at offset {bad[0]})",
                    hint=HINT_FORMATS,
                ) from None
            _refuse_controls_in(chunks, enc, len(bom), filename)
            return enc, len(bom)
    head = _prefix(chunks, 4096)
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        if _undecodable(chunks, enc, 0) is None:
            try:
                _refuse_controls_in(chunks, enc, 0, filename)
                return enc, 0
            except BadRequest:
                pass
    nul = _find_nul(chunks)
    if nul is not None:
        raise BadRequest(
            f"{filename} line {nul}: this looks like a binary file, not text (it contains NUL bytes)",
            hint="export the data as CSV (or the format's own file) and import that file",
        )
    enc = "utf-8"
    bad = _undecodable(chunks, enc, 0)
    if bad is not None:
        enc = _legacy_encoding(chunks)
        if _undecodable(chunks, enc, 0) is not None:
            raise BadRequest(
                f"{filename} line {bad[1]}: bytes that are neither UTF-8 nor "
                "Windows-1252/1250 or ISO-8859-2 text",
                hint=HINT_FORMATS + "; re-save the file as UTF-8",
            ) from None
    _refuse_controls_in(chunks, enc, 0, filename)
    return enc, 0


def _json_encoding(data: bytes) -> tuple[str, int]:
    """(codec, BOM length) of JSON bytes: a BOM decides (UTF-8, UTF-16, UTF-32), else the NUL bytes
    around the first character (JSON text starts with ASCII, so UTF-16/32 without a BOM shows where
    its zero bytes fall), else UTF-8."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    head = data[:4]
    if len(head) == 4:
        if head[:3] == b"\x00\x00\x00":
            return "utf-32-be", 0
        if head[1:] == b"\x00\x00\x00":
            return "utf-32-le", 0
    if len(head) >= 2:
        if head[0] == 0:
            return "utf-16-be", 0
        if head[1] == 0:
            return "utf-16-le", 0
    return "utf-8", 0


def json_utf8(data: bytes, filename: str) -> bytes:
    """JSON bytes as UTF-8 without a BOM, whatever UTF it was saved in (UTF-8, UTF-16 or UTF-32, with or
    without a BOM, as `encoding` reads CSV). Bytes the UTF does not explain are refused, naming it."""
    enc, skip = _json_encoding(data)
    if enc == "utf-8":
        return data[skip:]
    try:
        return data[skip:].decode(enc).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"{filename}: not valid {enc.upper()} text (bad bytes at offset {exc.start + skip})",
            hint=HINT_FORMATS,
        ) from None


def json_head(head: bytes) -> bytes:
    """The start of a JSON file as UTF-8 without a BOM, for detection: `json_utf8` of a prefix (a
    character cut at its end is dropped)."""
    enc, skip = _json_encoding(head)
    if enc == "utf-8":
        return head[skip:]
    return head[skip:].decode(enc, "ignore").encode("utf-8")


def _prefix(chunks: Chunks, n: int) -> bytes:
    out = b""
    for c in chunks():
        out += bytes(c[: n - len(out)])
        if len(out) >= n:
            break
    return out


def _skipped(chunks: Chunks, skip: int) -> Iterator[bytes]:
    """The chunks after the first `skip` bytes (a BOM)."""
    for c in chunks():
        if skip:
            cut = min(skip, len(c))
            c, skip = c[cut:], skip - cut
        if len(c):
            yield bytes(c)


def _undecodable(chunks: Chunks, enc: str, skip: int) -> tuple[int, int] | None:
    """(offset after the BOM, line) of the first bytes `enc` cannot decode; None when all decode."""
    dec = codecs.getincrementaldecoder(enc)()
    fed = lines = 0
    for c in itertools.chain(_skipped(chunks, skip), (None,)):
        buffered = dec.getstate()[0]
        try:
            dec.decode(c or b"", final=c is None)
        except UnicodeDecodeError as exc:
            at = fed - len(buffered) + exc.start
            seen = (buffered + (c or b""))[: exc.start]
            return at, lines - buffered.count(b"\n") + seen.count(b"\n") + 1
        if c is not None:
            fed += len(c)
            lines += c.count(b"\n")
    return None


def _find_nul(chunks: Chunks) -> int | None:
    """The line of the first NUL byte, if any."""
    lines = 0
    for c in chunks():
        c = bytes(c)
        at = c.find(b"\x00")
        if at >= 0:
            return lines + c.count(b"\n", 0, at) + 1
        lines += c.count(b"\n")
    return None


def decoded(chunks: Chunks, enc: str, skip: int) -> Iterator[str]:
    """The text of a file, decoded chunk by chunk (the encoding was checked: no errors)."""
    dec = codecs.getincrementaldecoder(enc)()
    for c in _skipped(chunks, skip):
        text = dec.decode(c)
        if text:
            yield text
    text = dec.decode(b"", final=True)
    if text:
        yield text


def _refuse_controls_in(chunks: Chunks, enc: str, skip: int, filename: str) -> None:
    lines = 0
    for text in decoded(chunks, enc, skip):
        m = _CONTROL.search(text)
        if m:
            _refuse_control(m, lines + text.count("\n", 0, m.start()) + 1, filename)
        lines += text.count("\n")


def _refuse_controls(text: str, filename: str) -> None:
    m = _CONTROL.search(text)
    if m:
        _refuse_control(m, text.count("\n", 0, m.start()) + 1, filename)


def _refuse_control(m: re.Match[str], line: int, filename: str) -> None:
    raise BadRequest(
        f"{filename} line {line}: this looks like a binary file, not text "
        f"(control character {ord(m.group()):#04x})",
        hint="export the data as CSV (or the format's own file) and import that file",
    )


def text_lines(chunks: Chunks, enc: str, skip: int) -> Iterator[str]:
    """`text.splitlines(keepends=True)` of a file's text, decoded and split chunk by chunk: never the
    whole text at once [streamed-imports]."""
    rest = ""
    for text in decoded(chunks, enc, skip):
        lines = (rest + text).splitlines(keepends=True)  # one chunk's lines at a time
        # the last line waits for the next chunk when it has no break yet, or ends in a CR that the
        # next chunk may make the first half of a CRLF
        rest = lines.pop() if lines and (lines[-1][-1] not in _BREAKS or lines[-1][-1] == "\r") else ""
        yield from lines
    if rest:
        yield from _lines(rest)


# ---------------------------------------------------------------- CSV


@dataclass
class CsvRow:
    line: int  # the line the record starts on (1-based, counting every line of the file)
    # the row a spreadsheet shows it on (the header's row is 1 when nothing precedes it): a record holding a
    # line break in a quoted cell is one row, so its row is not its line; what row errors name
    # [import-report]
    row: int
    values: dict[str, str]  # header -> cell (stripped); missing cells are ''
    width: int  # how many cells the record had


@dataclass
class CsvTable:
    filename: str
    header: list[str]
    header_line: int
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Row n: ..." for malformed records

    def has(self, *names: str) -> bool:
        return all(n in self.header for n in names)


class CsvStream:
    """A CSV file read row by row [streamed-imports]: `header` at once, `rows()` as often as needed, each
    pass reading the text again and keeping no row (a 200 MB file never becomes a list of dicts). The
    whole file was checked once on creation (an unterminated quote, a truncated last row, a file that
    needs the lenient reading), so those errors come before the first row does. `errors` holds the row
    errors of the last complete pass."""

    def __init__(
        self,
        lines: Lines,
        filename: str,
        delim: str,
        header_at: int,
        *,
        pad_short: bool = False,
        repeats: Callable[[str], bool] | None = None,
    ) -> None:
        self.filename = filename
        self._repeats = repeats  # a column the layout itself names twice: renamed without a warning
        self._lines, self._delim, self._at = lines, delim, header_at
        self.pad_short = pad_short
        self.short_ok = -1  # rows of this width are padded (pad_short: the most common short width)
        self.widths: Counter[int] = Counter()
        self.strict = True
        self.errors: list[str] = []
        self.header: list[str] = []
        self.header_line = 0
        # with pad_short, the widths first: which short rows are whole decides what looks truncated
        try:
            self.count = sum(1 for _ in self._scan(strict=True, check_end=not pad_short, cells=False))
        except csv.Error as exc:
            _refuse_unterminated(exc, lines, filename, delim, header_at)
            self.strict = False  # sloppy quoting in the middle of a file: read it the lenient way
            try:
                self.count = sum(1 for _ in self._scan(strict=False, check_end=not pad_short, cells=False))
            except csv.Error as exc2:
                _refuse_unterminated(exc2, lines, filename, delim, header_at)
                raise BadRequest(
                    f"{filename}: cannot read it as CSV ({exc2})", hint="check the file is CSV"
                ) from None
        if pad_short and self.widths:
            # Outlook writes rows a few fields shorter than its header [outlook-field-count]: rows all
            # short by the same count are read with the missing trailing cells empty
            common = self.widths.most_common(1)[0][0]
            width = len(self.header)
            if common < width and common * 2 >= width:
                self.short_ok = common
        if pad_short:
            self.count = sum(1 for _ in self._scan(strict=self.strict, cells=False))

    def has(self, *names: str) -> bool:
        return all(n in self.header for n in names)

    def rows(self) -> Iterator[CsvRow]:
        """The rows again, one at a time."""
        return cast("Iterator[CsvRow]", self._scan(strict=self.strict))  # with cells: never None

    def _scan(self, *, strict: bool, check_end: bool = True, cells: bool = True) -> Iterator[CsvRow | None]:
        """The rows; `cells=False` (a checking pass, which only counts them): None for each."""
        errors: list[str] = []
        filename, offset = self.filename, self._at
        ending = [""]  # the file's last character (a pass over it keeps no text)

        def lines() -> Iterator[str]:
            for line in self._lines(offset):
                ending[0] = line[-1:]
                yield line

        records = _records(lines(), self._delim, strict)
        header_line, header_row, header = 0, 0, []
        for row, start, rec in records:
            if "".join(rec).strip():
                header_line, header_row, header = start, row, [h.strip().lstrip("\ufeff") for h in rec]
                break
        header, renamed = _unique(header)
        errors += [
            f"Row {header_row + offset}: the header has column {h!r} more than once; its column {i} "
            f"is read as {new!r}"
            for i, h, new in renamed
            if not (self._repeats and self._repeats(h))
        ]
        self.header, self.header_line = header, header_line + offset
        width = len(header)
        named = width
        while named > 1 and not header[named - 1]:
            named -= 1  # a header ending in commas: the unnamed columns may be left out of a row
        widths: Counter[int] = Counter()
        last_bad = 0
        last_line = 0
        rec = []
        for row, start, rec in records:
            last_bad = 0
            if not "".join(rec).strip():
                continue
            line, row_no = start + offset, row + offset
            widths[len(rec)] += 1
            if len(rec) != width:
                # a trailing empty cell beyond the header is harmless (many exporters add one)
                if len(rec) > width and not any(c.strip() for c in rec[width:]):
                    rec = rec[:width]
                elif named <= len(rec) < width or len(rec) == self.short_ok:
                    rec = rec + [""] * (width - len(rec))
                else:
                    errors.append(
                        f"Row {row_no}: {len(rec)} field{'s' if len(rec) != 1 else ''} where the "
                        f"header has {width}; row skipped"
                    )
                    last_bad = line if len(rec) < width else 0
                    continue
            last_line = line
            if not cells:
                yield None
                continue
            yield CsvRow(line, row_no, dict(zip(header, map(_cell, rec), strict=False)), len(rec))
        ending_ = ending[0]
        self.errors, self.widths = errors, widths
        if not check_end:
            return
        if last_line and not last_bad and ending_ not in ("\n", "\r", '"'):
            # [truncated-files]: no line break after the last row and its last cell is not closed by a quote,
            # so nothing shows the row is whole: a file cut inside its last cell looks exactly like this
            raise BadRequest(
                f"{filename} line {last_line}: the file ends inside this row, with no line break after "
                "it; the file looks truncated",
                hint="export the file again; if it is complete, add a line break at its end",
            )
        if last_bad and ending_ not in ("\n", "\r"):
            raise BadRequest(
                f"{filename} line {last_bad}: the last row stops after {len(rec)} of {width} "
                "fields; the file looks truncated",
                hint="export the file again and import the complete file",
            )


def _cell(value: str) -> str:
    """A cell as pcrm keeps it: trimmed, and its line breaks as `\n` whatever the file's ends are (a
    note Outlook or Excel wrote on Windows breaks its lines with CR LF, which showed as `\x0d`)."""
    return value.strip().replace("\r\n", "\n")


def _unique(header: list[str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The header with a repeated column name made unique (`name`, `name (2)`), so no cell of a row is
    lost under another of the same name, and (column number, name, new name) of each one renamed."""
    seen = set(header)
    out: list[str] = []
    renamed: list[tuple[int, str, str]] = []
    for i, h in enumerate(header, 1):
        if h and h in out:
            n = 2
            while f"{h} ({n})" in seen:
                n += 1
            new = f"{h} ({n})"
            seen.add(new)
            renamed.append((i, h, new))
            h = new
        out.append(h)
    return out, renamed


def _delimiter(header_line: str, filename: str, line_no: int) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        other = [d for d in ("|", ":") if header_line.count(d) >= 2]
        if not other and 0 < len(header_line.strip()) <= 64:
            return (
                ","  # one column (`full_name`, `email`): a CSV too; its reader says if it is not one it reads
            )
        found = f" (it seems to use {other[0]!r})" if other else ""
        raise BadRequest(
            f"{filename} line {line_no}: the header has a single column{found}; "
            "pcrm reads comma-, semicolon- or tab-separated files",
            hint="re-export the file as CSV with commas between columns",
        )
    # a header may contain a quoted comma; prefer the comma when csv can split the header with it
    if (
        counts[","]
        and best != ","
        and len(next(csv.reader([header_line]))) > 1
        and counts[","] >= counts[best]
    ):
        best = ","
    return best


_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # where str.splitlines breaks
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # the characters a line may end in


def _lines(text: str, skip: int = 0) -> Iterator[str]:
    """`text.splitlines(keepends=True)[skip:]`, one line at a time (no list of every line)."""
    pos = 0
    for m in _BREAK.finditer(text):
        if skip:
            skip -= 1
        else:
            yield text[pos : m.end()]
        pos = m.end()
    if pos < len(text) and not skip:
        yield text[pos:]


# the lines of a file's text (`str.splitlines(keepends=True)`) from the n-th on, read afresh on every call
Lines = Callable[[int], Iterator[str]]


def lines_of(text: str, skip: int = 0) -> Iterator[str]:
    """`text.splitlines(keepends=True)[skip:]`, one line at a time."""
    return _lines(text, skip)


_BREAK_END = re.compile(f"(?:{_BREAK.pattern})\\Z")


def strip_break(line: str) -> str:
    """A line without its line break (what `splitlines()` gives)."""
    return _BREAK_END.sub("", line, count=1)


def _source(text: str | Lines) -> Lines:
    if isinstance(text, str):
        return lambda skip: _lines(text, skip)
    return text


def stream_csv(
    text: str | Lines,
    filename: str,
    *,
    header_at: int = 0,
    required: tuple[str, ...] = (),
    required_any: tuple[str, ...] = (),
    label: str = "",
    pad_short: bool = False,
    repeats: Callable[[str], bool] | None = None,
) -> CsvStream:
    """Open CSV text whose header starts on line `header_at + 1` for reading row by row. Short or long
    rows become row errors; an unterminated quote (a truncated file) and missing columns are errors for
    the file, raised here, before any row is read.

    A row may stop before header columns that have no name (a header ending in commas) or add empty
    cells after the last column: nothing is lost either way. With `pad_short`, rows that are all short
    by the same count (Outlook writes rows a few fields shorter than its header [outlook-field-count])
    are read with the missing trailing cells empty; a row of any other length is still reported.

    A column name the header repeats is read as `name (2)`, `name (3)`, ... so no cell is lost, and each
    repeat is reported, unless `repeats(name)` says the layout itself repeats it [csv-imports]."""
    lines = _source(text)
    if not any(line.strip() for line in lines(0)):
        raise BadRequest(f"{filename} is empty", hint="check you picked the exported file, not an empty one")
    first = next(lines(header_at), "")
    if not first or not any(line.strip() for line in lines(header_at)):
        raise BadRequest(
            f"{filename}: no header line after line {header_at}",
            hint="the file seems cut short; export it again",
        )
    delim = _delimiter(first, filename, header_at + 1)
    table = CsvStream(lines, filename, delim, header_at, pad_short=pad_short, repeats=repeats)
    missing = [c for c in required if c not in table.header]
    if missing or (required_any and not any(c in table.header for c in required_any)):
        what = (
            ", ".join(repr(c) for c in missing)
            if missing
            else "any of " + ", ".join(repr(c) for c in required_any)
        )
        found = ", ".join(table.header[:8]) + (" ..." if len(table.header) > 8 else "")
        raise BadRequest(
            f"{filename} line {table.header_line}: no {what} column{'s' if len(missing) > 1 else ''} "
            f"in the header ({found})",
            hint=f"this does not look like {label or 'the expected file'}; "
            "pick the format with --format, or check the file",
        )
    return table


def read_csv(
    text: str,
    filename: str,
    *,
    header_at: int = 0,
    required: tuple[str, ...] = (),
    required_any: tuple[str, ...] = (),
    label: str = "",
    pad_short: bool = False,
) -> CsvTable:
    """`stream_csv`, every row read into a list (small files: LinkedIn's messages and profile)."""
    s = stream_csv(
        text,
        filename,
        header_at=header_at,
        required=required,
        required_any=required_any,
        label=label,
        pad_short=pad_short,
    )
    rows = list(s.rows())
    return CsvTable(filename, s.header, s.header_line, rows, s.errors)


def _records(lines: Iterator[str], delim: str, strict: bool) -> Iterator[tuple[int, int, list[str]]]:
    """(row, line, cells) of each record: its row as a spreadsheet numbers it (every record one row, a blank
    line one too) and the line it starts on, both 1-based from the first line read."""
    reader = csv.reader(lines, delimiter=delim, strict=strict)
    prev = 0
    for row, rec in enumerate(reader, 1):
        start = prev + 1
        prev = reader.line_num
        yield row, start, rec


def _refuse_unterminated(exc: csv.Error, lines: Lines, filename: str, delim: str, offset: int) -> None:
    if "unexpected end of data" in str(exc):
        line = _open_quote_line(lines(offset), delim) + offset
        raise BadRequest(
            f"{filename} line {line}: a quoted field starts here and never ends; the file looks truncated",
            hint="export the file again and import the complete file",
        ) from None


def _open_quote_line(lines: Iterator[str], delim: str) -> int:
    """The line of the record holding the unterminated quote."""
    reader = csv.reader(lines, delimiter=delim)
    prev = 0
    last = 1
    try:
        for _ in reader:
            last = prev + 1
            prev = reader.line_num
    except csv.Error:
        pass
    return last


def find_header(text: str | Lines, startswith: str) -> int:
    """Index of the first line that starts with `startswith` (a LinkedIn preamble precedes it), or -1."""
    for i, line in enumerate(itertools.islice(_source(text)(0), 50)):
        if line.lstrip("\ufeff").startswith(startswith):
            return i
    return -1


def split_multi(value: str, seps: str = ";") -> list[str]:
    """Split a multi-value cell ('a; b', Google's 'a ::: b')."""
    if not value:
        return []
    parts = [value]
    for sep in (":::", *tuple(seps)):
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def split_listed(value: str) -> list[str]:
    """Split a ';'-separated cell of the generic CSV (tags, phones; Google's ':::' too), a value in double
    quotes being one value, its ';' kept and a doubled quote read as one ('"a;b"; c' is a;b and c): pcrm's
    own CSV export writes a value holding a separator so (list_cell). A value only partly quoted
    ('say "hi"') keeps its quotes as written."""
    if '"' not in (value or ""):
        return split_multi(value, ";")
    out: list[str] = []
    for item in _LISTED_ITEM.findall(value):
        v = item.strip()
        if len(v) >= 2 and v[0] == v[-1] == '"' and '"' not in v[1:-1].replace('""', ""):
            out.append(v[1:-1].replace('""', '"').strip())
        else:
            out += split_multi(v, ";")  # Google's ':::' outside quotes
    return [v for v in out if v]


# one value of a ';'-separated cell: quoted runs (a doubled quote inside) and anything but ';' or a quote
_LISTED_ITEM = re.compile(r'(?:"(?:[^"]|"")*"?|[^;"])+')


def list_cell(values: list[str]) -> str:
    """A list as one CSV cell that split_listed reads back: values joined by '; ', a value holding ';', a
    double quote or Google's ':::' written in double quotes (a quote inside doubled)."""
    return "; ".join(
        f'"{v.replace(chr(34), chr(34) * 2)}"' if (";" in v or '"' in v or ":::" in v) else v for v in values
    )


# one e-mail value of a cell: a quoted name (its commas kept), an address in angle brackets, anything else
# up to a comma or semicolon
_ADDRESS_PART = re.compile(r'(?:"[^"]*"?|<[^<>]*>?|[^,;"<])+')


def split_addresses(value: str) -> list[str]:
    """Split an e-mail cell at commas and semicolons (and Google's ':::'), except inside a quoted name or
    angle brackets: '"Lovelace, Ada" <ada@x.org>; bob@x.org' is two values [not-an-address]."""
    if not value:
        return []
    return [p.strip() for chunk in value.split(":::") for p in _ADDRESS_PART.findall(chunk) if p.strip()]
