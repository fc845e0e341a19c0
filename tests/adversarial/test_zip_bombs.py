"""ZIP bombs: a small LinkedIn ZIP or X archive that inflates to gigabytes ended in MemoryError. Members
are streamed and counted as they come out; past the total or the ratio cap the import is refused with a
clear error and nothing is written [zip-limits]."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from pcrm.formats import archive


def _bomb(name: str, size: int, head: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open(name, "w", force_zip64=True) as m,
    ):
        m.write(head)
        block = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            m.write(block)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("filename", "member", "head"),
    [
        ("Basic_LinkedInDataExport.zip", "messages.csv", b"CONVERSATION ID,FROM,TO,DATE,CONTENT\n"),
        ("twitter-archive.zip", "data/direct-messages.js", b"window.YTD.direct_messages.part0 = "),
    ],
)
def test_a_bomb_is_refused_with_a_clear_error_and_writes_nothing(
    imp: Any, tmp_path: Any, dump: Any, filename: str, member: str, head: bytes
) -> None:
    before = dump()
    f = tmp_path / filename
    f.write_bytes(_bomb(member, 64 << 20, head))  # 64 MB of zeros in ~64 KB
    assert f.stat().st_size < 200_000
    err = imp(f, ok=False)["error"]
    assert err["code"] == "bad_request" and "ZIP bomb" in err["message"], err
    assert err["details"]["member"] == member
    assert dump() == before


def test_the_total_is_capped_whatever_the_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_TOTAL", 3 << 20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # no compression: ratio 1
        z.writestr("Connections.csv", b"x" * (2 << 20))
        z.writestr("messages.csv", b"y" * (2 << 20))
    with pytest.raises(Exception) as e:
        archive.read_members(buf.getvalue(), "big.zip", lambda n: n.lower(), hint="h")
    assert "more than 3 MB" in str(e.value)


def test_the_caps_count_what_comes_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sizes are counted as the member inflates (a header may lie); here the total cap trips."""
    data = _bomb("messages.csv", 8 << 20)
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert info.file_size == 8 << 20
    monkeypatch.setattr(archive, "MAX_TOTAL", 4 << 20)
    monkeypatch.setattr(archive, "MAX_RATIO", 10**9)
    with pytest.raises(Exception) as e:
        archive.read_members(data, "x.zip", lambda n: n, hint="h")
    assert "ZIP bomb" in str(e.value)
