"""A tolerant vCard reader (2.1, 3.0, 4.0): bytes in, cards of properties out.

Why not vobject: real address-book exports break it. Android 2.1 files mix quoted-printable soft
breaks with folding and leave blank lines after base64 photos; Japanese phones write raw Shift_JIS
bytes whose trail bytes look like backslashes; Outlook and The Bat! write 8-bit text with no charset
or a charset per property; some cards nest, some never end. vobject reads a whole file as one text
encoding, refuses most of that, and is slow on 100k cards. This reader works on BYTES, line by line:

1. UTF-16/32 files (with or without BOM) are re-encoded as UTF-8 first; a UTF-8 BOM is dropped;
2. logical lines: RFC folding (a line starting with a space or tab continues the previous one),
   quoted-printable soft breaks (a QP value ending in '=' continues on the next line, whatever it
   starts with), and lines that cannot start a property (no `NAME:` / `NAME;`) continue the previous
   one only when it can go on that way (2.1 base64 without indentation, Android's backslash-continued
   ADR); any other such line (a malformed `LABEL,TYPE=HOME:...`) is reported and skipped with its own
   continuation lines, never glued to the property above; blank lines end a value;
   '#' comment lines are skipped; a lone CR ends a line (classic Mac OS); a line indented or dot-stuffed
   (`.BEGIN:VCARD`) with nothing above to continue is read as the property it holds;
3. each logical line splits into group, name, parameters (2.1 bare types, quoted values) and value; a
   bare 2.1 parameter that names a text encoding (`;ISO-8859-2;`, `;UTF-8;`) is the CHARSET, and a bare
   QUOTED-PRINTABLE, BASE64, 8BIT or 7BIT the ENCODING, in any order;
4. a value is decoded per property: quoted-printable or base64 first, then its CHARSET (Shift_JIS,
   ISO-8859-x, ...; in a UTF-16 file too, for the bytes a quoted-printable value encodes; a charset
   Python has no text codec for is ignored), else UTF-8, else the single-byte encoding it reads best in
   (Windows-1252 unless Central European reads better); directional marks (U+200E, U+202D, ...) are
   dropped.

Nested cards (2.1 AGENT style) become cards of their own; a card with no END is reported.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pcrm.formats.textio import legacy_encoding
from pcrm.formats.vcard_text import unescape

_PROP_START = re.compile(rb"^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+[;:]")
# a base64 value (2.1 writes it on unindented lines) and a line of base64 text
_B64_PARAM = re.compile(rb"^[^:]*;(?:ENCODING=)?(?:BASE64|B)[;:]", re.IGNORECASE)
_B64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+$")


def _shown(line: bytes) -> str:
    text = line.decode("utf-8", "replace").strip()
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


_QP_PARAM = re.compile(rb"^[^:]*?;(?:ENCODING=)?QUOTED-PRINTABLE[;:]", re.IGNORECASE)
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
_CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-1252": "cp1252",
    "iso-8859-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}


@dataclass(slots=True)
class Prop:
    name: str  # upper case, without the group
    group: str | None  # lower case (item1), or None
    params: dict[str, list[str]]  # upper-case keys; 2.1 bare values and TYPE values under "TYPE"
    raw: bytes  # the value as in the file (after unfolding)
    line: int  # physical line where the property starts
    utf8_file: bool = False  # the file was UTF-16/32 and re-encoded: its text ignores CHARSET
    legacy: str | None = None  # the file is not UTF-8: the single-byte encoding it reads best in

    def param(self, key: str) -> str | None:
        v = self.params.get(key)
        return v[0] if v else None

    @property
    def types(self) -> list[str]:
        t = self.params.get("TYPE")
        return [x.lower() for x in t] if t else []

    @property
    def encoding(self) -> str:
        """ENCODING, upper case: a 2.1 bare QUOTED-PRINTABLE or BASE64 is filed there by the parser."""
        enc = self.params.get("ENCODING") if self.params else None
        return enc[0].upper() if enc and enc[0] else ""

    def bytes_value(self) -> bytes:
        """The value's bytes after quoted-printable or base64 decoding."""
        enc = self.encoding
        if enc in ("QUOTED-PRINTABLE", "QP"):
            return qp_decode(self.raw)
        if enc in ("B", "BASE64"):
            return base64_decode(self.raw)
        return self.raw

    def text(self) -> str:
        """The value as text (still vCard-escaped: `\\;`, `\\,`, `\\n`)."""
        if self.raw.isascii():
            if not self.params:  # the common case: plain ASCII, nothing to decode
                return self.raw.decode("ascii")
            if "CHARSET" not in self.params and self.encoding not in ("QUOTED-PRINTABLE", "QP"):
                text = self.raw.decode("ascii")  # what decode_bytes gives for ASCII: no marks to drop
                return text.replace("\r\n", "\n") if "\r" in text else text
        qp = self.encoding in ("QUOTED-PRINTABLE", "QP")
        data = qp_decode(self.raw) if qp else self.raw
        # a re-encoded file's text is UTF-8 now, whatever CHARSET said; the bytes a quoted-printable value
        # encodes were not re-encoded: they are still in its CHARSET
        charset = None if self.utf8_file and not qp else self.param("CHARSET")
        text = decode_bytes(data, charset, self.legacy)
        return text.replace("\r\n", "\n") if "\r" in text else text


@dataclass
class Card:
    line: int  # the BEGIN:VCARD line
    props: list[Prop] = field(default_factory=list)
    ended: bool = False
    no: int = 0  # the card's place in the file (1-based, in the order the cards begin)

    @property
    def label(self) -> str:
        """How a problem names the card [import-report]: its number in the file and its name as written
        (FN, else N's given and family names), "Card 3 (Ada Lovelace)"; "Card 3" when it has none. A line
        number means nothing to someone who opens the file in their address book."""
        name = ""
        for p in self.props:
            if p.name == "FN":
                name = " ".join(unescape(p.text()).split())
                break
            if p.name == "N" and not name:
                parts = [unescape(x).strip() for x in re.split(r"(?<!\\);", p.text())]
                name = " ".join(x for x in (parts[1:2] + parts[:1]) if x)
        if len(name) > 60:
            name = name[:60] + "..."
        return f"Card {self.no} ({name})" if name else f"Card {self.no}"

    @property
    def version(self) -> str:
        for p in self.props:
            if p.name == "VERSION":
                return p.raw.decode("ascii", "replace").strip()
        return "3.0"


def qp_decode(raw: bytes) -> bytes:
    """Quoted-printable, tolerant: soft breaks already joined; '=XY' with bad hex stays as it is."""
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        b = raw[i]
        if b == 0x3D:  # '='
            pair = raw[i + 1 : i + 3]
            if len(pair) == 2:
                try:
                    out.append(int(pair, 16))
                    i += 3
                    continue
                except ValueError:
                    pass
            if i == n - 1:  # a trailing soft break
                break
        out.append(b)
        i += 1
    return bytes(out)


def base64_decode(raw: bytes) -> bytes:
    s = re.sub(rb"\s+", b"", raw)
    if s.lower().startswith(b"data:") and b"," in s:
        s = s.split(b",", 1)[1]
    s += b"=" * (-len(s) % 4)
    return base64.b64decode(s, validate=True)  # raises binascii.Error on garbage


def decode_bytes(data: bytes, charset: str | None, legacy: str | None = None) -> str:
    """A value's text: its CHARSET, else UTF-8, else `legacy` (the whole file's best single-byte
    encoding, when known: one short value says less than the file), else this value's own best guess.
    A CHARSET Python does not know, or a codec that is no text encoding (base64, idna), is ignored: the
    bytes are read as if none were declared, never refused."""
    if charset:
        name = _CHARSET_ALIASES.get(charset.strip().lower(), charset.strip().lower())
        try:
            return data.decode(name, "replace").translate(_MARKS)
        except (LookupError, ValueError):  # no such codec, not a text one, or one without "replace"
            pass
    try:
        return data.decode("utf-8").translate(_MARKS)
    except UnicodeDecodeError:
        return data.decode(legacy or legacy_encoding(data), "replace").translate(_MARKS)


def to_utf8(data: bytes) -> tuple[bytes, bool]:
    """UTF-16/32 (BOM, or NUL bytes in every other position) to UTF-8; UTF-8 BOM dropped.
    Returns the bytes and whether they were re-encoded."""
    for bom, enc in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, "replace").encode("utf-8"), True
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], False
    head = data[:400]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc, "replace").encode("utf-8"), True
    return data, False


def _split_params(head: bytes) -> tuple[str | None, str, dict[str, list[str]]]:
    """`item1.TEL;TYPE=work,voice;PREF=1` -> ('item1', 'TEL', {'TYPE': ['work', 'voice'], 'PREF': ['1']})."""
    if b'"' not in head:  # the common case: no quoted parameter values
        text = head.decode("utf-8", "replace")
        if ";" not in text:
            name = text.strip()
            group = None
            if "." in name:
                group, name = name.rsplit(".", 1)
                group = group.lower()
            return group, name.upper(), {}
        return _params_from(text.split(";"))
    parts: list[str] = []
    buf, quoted = bytearray(), False
    for b in head:
        if b == 0x22:  # '"'
            quoted = not quoted
            continue
        if b == 0x3B and not quoted:  # ';'
            parts.append(buf.decode("utf-8", "replace"))
            buf = bytearray()
            continue
        buf.append(b)
    parts.append(buf.decode("utf-8", "replace"))
    return _params_from(parts)


def _params_from(parts: list[str]) -> tuple[str | None, str, dict[str, list[str]]]:
    name = parts[0].strip()
    group = None
    if "." in name:
        group, name = name.rsplit(".", 1)
        group = group.lower()
    params: dict[str, list[str]] = {}
    for p in parts[1:]:
        p = p.strip()
        if not p:
            continue
        if "=" in p:
            k, v = p.split("=", 1)
            k = k.strip().upper()
            values = [x.strip() for x in v.split(",")] if k == "TYPE" else [v.strip()]
            params.setdefault(k, []).extend(x for x in values if x)
        else:
            params.setdefault(_bare_key(p), []).append(p)
    return group, name.upper(), params


_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"})


def _bare_key(value: str) -> str:
    """The parameter a vCard 2.1 bare value stands for: `N;ISO-8859-2;QUOTED-PRINTABLE:` is
    `N;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:`, in any order. Any other bare value is a TYPE
    [vcard-escaping]."""
    if value.upper() in _BARE_ENCODINGS:
        return "ENCODING"
    return "CHARSET" if _is_charset(value) else "TYPE"


@lru_cache(maxsize=256)
def _is_charset(value: str) -> bool:
    """Whether a bare value names a text encoding Python can decode with. Two-letter aliases (`us` for
    ASCII, `hz`) are left as types: in a vCard they read as a code or a label, not as a charset."""
    name = value.strip().lower()
    if len(name) < 3:
        return False
    try:
        return codecs.lookup(_CHARSET_ALIASES.get(name, name))._is_text_encoding
    except LookupError:
        return False


def _split_line(line: bytes) -> tuple[bytes, bytes]:
    """Split at the first ':' outside a quoted parameter value."""
    colon = line.find(b":")
    quote = line.find(b'"')
    if quote < 0 or (0 <= colon < quote):
        return (line[:colon], line[colon + 1 :]) if colon >= 0 else (line, b"")
    quoted = False
    for i, b in enumerate(line):
        if b == 0x22:
            quoted = not quoted
        elif b == 0x3A and not quoted:
            return line[:i], line[i + 1 :]
    return line, b""


def logical_lines(data: bytes, errors: list[tuple[int, str]] | None = None) -> list[tuple[int, bytes]]:
    """(physical line number, unfolded line) pairs; see the module docstring for the rules. Lines that
    are no property are reported into `errors`, each with its line number."""
    out: list[tuple[int, bytearray]] = []
    cur: bytearray | None = None
    skipping = False  # inside a line that is no property, and its continuation
    qp = False  # the current line is a quoted-printable property
    # a lone CR is a line break (classic Mac OS files end lines with CR only); a value cannot hold one
    lines = re.sub(rb"\r(?!\n)", b"\n", data).split(b"\n")
    for no, line in enumerate(lines, 1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if (
            cur is not None
            and qp
            and cur.endswith(b"=")
            and (line[:1] in (b" ", b"\t") or not _PROP_START.match(line))
        ):
            del cur[-1]
            cur += line
            continue
        if not line.strip():
            cur = None
            qp = False
            continue
        first = line[0]
        if first in (0x20, 0x09) and (cur is not None or skipping):
            if cur is not None:
                cur += line[1:]
            continue
        if first in (0x20, 0x09) or (first == 0x2E and _PROP_START.match(line[1:])):
            # indented with nothing to continue, or dot-stuffed (`.BEGIN:VCARD`, as mail transports
            # escape a line starting with a dot): the property itself
            line = line.lstrip(b" \t")
            line = line[1:] if line[:1] == b"." else line
        if first == 0x23:  # '#': a comment line
            continue
        if not _PROP_START.match(line):
            if skipping or cur is None:
                continue
            if cur.endswith(b"\\"):
                del cur[-1]
                cur += b"\\n"
                cur += line
                continue
            if _B64_PARAM.match(cur) and _B64_LINE.match(line.strip()):
                cur += line
                continue
            # not a property and nothing the property above could continue with: reported, and skipped
            # with the lines that continue it (`LABEL,TYPE=HOME:...` must not end up in the ADR above)
            if errors is not None:
                errors.append((no, f"not a vCard property ({_shown(line)}) on line {no}; line skipped"))
            skipping, cur, qp = True, None, False
            continue
        skipping = False
        cur = bytearray(line)
        qp = bool(_QP_PARAM.match(line))
        out.append((no, cur))
    return [(no, bytes(b)) for no, b in out]


def read_cards(data: bytes) -> tuple[list[Card], list[str]]:
    """Every card in the bytes (nested ones included), and problems as 'Card n (Name): ...' strings (each
    card's `label`)."""
    data, reencoded = to_utf8(data)
    legacy = None
    if not reencoded and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            legacy = legacy_encoding(data)
    cards: list[Card] = []
    errors: list[str] = []
    stack: list[Card] = []
    line_errors: list[tuple[int, str]] = []
    lines = logical_lines(data, line_errors)
    for no, line in lines:
        head, value = _split_line(line)
        upper = head.strip().upper().rsplit(b".", 1)[-1]  # `TEST.BEGIN:VCARD`: a group on BEGIN/END
        if upper == b"BEGIN" and value.strip().upper() == b"VCARD":
            stack.append(Card(line=no))
            continue
        if upper == b"END" and value.strip().upper() == b"VCARD":
            if stack:
                card = stack.pop()
                card.ended = True
                cards.append(card)
            continue
        if not stack:
            continue
        group, name, params = _split_params(head)
        if not name:
            continue
        stack[-1].props.append(Prop(name, group, params, value, no, reencoded, legacy))
    cut = list(stack)
    cards.sort(key=lambda c: c.line)
    every = sorted([*cards, *cut], key=lambda c: c.line)
    for k, card in enumerate(every, 1):
        card.no = k
    # a line no property reads is the problem of the card it is in (the last one begun before it)
    starts = [c.line for c in every]
    for no, said in line_errors:
        k = bisect.bisect_right(starts, no)
        errors.append(f"{every[k - 1].label}: {said}" if k else f"Line {no}: {said}")
    errors.extend(
        f"{card.label}: this card has no END:VCARD (the file looks cut short); card skipped" for card in cut
    )
    return cards, errors


def is_b64_error(exc: Exception) -> bool:
    return isinstance(exc, (binascii.Error, ValueError))
