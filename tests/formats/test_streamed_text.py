"""A file read chunk by chunk [streamed-imports] is decoded, split and refused exactly as its whole bytes
are: the same encoding, the same lines, the same errors naming the same line, wherever the chunks end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pcrm.errors import BadRequest
from pcrm.formats import textio

SAMPLES = [
    b"name,email\nAda,ada@example.com\n",
    "\ufeffname\r\nZoë\r\nJosé\r\n".encode(),
    "name\nŻółć Kowalski\nKašpar\n".encode("cp1250"),
    "name\nKašpar Čapek\n".encode("iso-8859-2"),
    "name\n¿Qué? m³ «Bonjour» £5\n".encode("cp1252"),
    "name\nAda\nZoë\n".encode("utf-16"),
    "name\nAda\n".encode("utf-16-le"),  # no BOM
    "name\nAda\n".encode("utf-32"),
    b"name\nAda\r",
    b"name\nAda\rBob\r\nCy\x0bDe\x85\n",
    b"name\nAda\n\x00\x00 binary",
    b"name\nAda\nBob\x01\n",
    b"name\nAda\n\x81\x8d\x8f\x90\x9d bytes nobody reads\n",
    b"\xef\xbb\xbfname\nAda \xff\n",
    "name\nAda\n".encode("utf-16")[:-1],  # a UTF-16 file cut inside a character
]


def _chunks(data: bytes, size: int) -> textio.Chunks:
    def gen() -> Iterator[bytes]:
        for at in range(0, len(data), size):
            yield data[at : at + size]

    return gen


def _outcome(fn: object) -> object:
    try:
        return fn()  # type: ignore[operator]
    except BadRequest as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("data", SAMPLES)
@pytest.mark.parametrize("size", [1, 2, 3, 5, 4096])
def test_chunks_read_as_the_whole_bytes(data: bytes, size: int) -> None:
    whole = _outcome(lambda: textio.decode(data, "f.csv"))
    streamed = _outcome(lambda: textio.encoding(_chunks(data, size), "f.csv"))
    if isinstance(whole, tuple):
        assert streamed == whole
        return
    assert isinstance(whole, str) and isinstance(streamed, tuple)
    enc, bom = streamed
    assert "".join(textio.decoded(_chunks(data, size), enc, bom)) == whole
    assert list(textio.text_lines(_chunks(data, size), enc, bom)) == whole.splitlines(keepends=True)


def test_legacy_choice_does_not_depend_on_where_chunks_end() -> None:
    data = ("Kašpar Łukasz Żółć " * 50).encode("cp1250")
    want = textio.legacy_encoding(data)
    assert want == "cp1250"
    for size in (1, 2, 3, 7, 64):
        assert textio._legacy_encoding(_chunks(data, size)) == want
