"""Mutated real exports: the sample files of ../shared/testdata (read from there, never copied), with
bytes flipped, cut, inserted or re-encoded by hypothesis, fed to their own importer, to detection and to
every other importer. Each import either succeeds or raises a PcrmError (the CLI's exit 1 with a clear
message), never another exception (a traceback); and a failed import, like any dry run, leaves the store
exactly as it was (never a partial write).

Deterministic (`derandomize`) and bounded (`max_examples` per folder) so the default run stays ~30 s."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcrm.errors import PcrmError
from pcrm.services.context import Context
from tests.support.paths import TESTDATA

# per folder: the importer its files belong to, and a few small files (big ones only slow the search)
SAMPLES = {
    "google_csv": ("google-csv", 2),
    "outlook_csv": ("outlook-csv", 1),
    "linkedin": (None, 4),
    "vcard": ("vcard", 6),
    "whatsapp": ("whatsapp", 4),
    "telegram": ("telegram", 4),
    "x_archive": (None, 2),
}
MAX_SIZE = 8_000


def _files(folder: str, count: int) -> list[Path]:
    here = TESTDATA / folder
    if not here.is_dir():
        return []
    files = sorted(p for p in here.iterdir() if p.is_file() and p.stat().st_size <= MAX_SIZE)
    return files[:count]


def _formats() -> list[str]:
    from pcrm.services.imports.framework import formats

    return sorted(formats())


SPECIAL = [
    b'"',
    b"\n",
    b"\r",
    b",",
    b";",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    "\u2028".encode(),
    b"BEGIN:VCARD\r\n",
]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` after one or two mutations: byte flips, a cut, an insertion, a change of encoding."""
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "encoding", "delete"]))
        at = draw(st.integers(0, max(0, len(data))))
        if kind == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            blob = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(min_size=1, max_size=8)))
            data = data[:at] + blob + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        else:
            enc = draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "utf-8-sig"]))
            data = data.decode("utf-8", "replace").encode(enc, "replace")
    return data


def _state(ctx: Context) -> str:
    """A fingerprint of every row of the store."""
    h = hashlib.sha256()
    conn: Any = ctx.conn
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%search%' ORDER BY name"
        )
    ]
    for t in tables:
        try:
            rows = conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
        except Exception:
            continue
        h.update(t.encode())
        h.update(repr(rows).encode())
    return h.hexdigest()


def _import(ctx: Context, data: bytes, name: str, fmt: str | None, dry_run: bool) -> None:
    from pcrm.services.imports import import_file

    before = _state(ctx)
    try:
        import_file(ctx, data, name, format=fmt, dry_run=dry_run, tz="UTC", me="Test User")
    except PcrmError as exc:
        assert exc.message, exc  # a clear message
        assert _state(ctx) == before, f"{name} ({fmt}): a failed import changed the store"
        return
    if dry_run:
        assert _state(ctx) == before, f"{name} ({fmt}): a dry run changed the store"


@pytest.mark.parametrize("folder", sorted(SAMPLES))
def test_mutated_samples_never_crash_nor_write_half(ctx: Context, folder: str) -> None:
    own, count = SAMPLES[folder]
    files = _files(folder, count)
    if not files:
        pytest.skip(f"no samples in {TESTDATA / folder}")
    names = _formats()
    samples = [(p.name, p.read_bytes()) for p in files]

    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        pick=st.integers(0, len(samples) - 1),
        seed=st.data(),
        fmt=st.one_of(st.just(own), st.none(), st.sampled_from(names)),  # its own, detected, any
        dry_run=st.booleans(),
    )
    def run(pick: int, seed: st.DataObject, fmt: str | None, dry_run: bool) -> None:
        name, data = samples[pick]
        _import(ctx, seed.draw(mutated(data)), name, fmt, dry_run)

    run()
