"""What the tests of undoable changes share [bulk-undo]: the id a change's `undo with: ...` line names, and
organization logos served from memory instead of fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

# three different images an organization's logo may be, as the logo fetcher would hand them over
A_PNG = b"\x89PNG\r\n\x1a\n" + b"A" * 64
B_PNG = b"\x89PNG\r\n\x1a\n" + b"B" * 64
C_PNG = b"\x89PNG\r\n\x1a\n" + b"C" * 64


def undo_id(said: str) -> str:
    """The bulk update id of a command's `undo with: pcrm contacts bulk-undo ID` line."""
    line = next(x for x in said.splitlines() if x.startswith("undo with: "))
    return line.rsplit(" ", 1)[1]


def logos_from(monkeypatch: pytest.MonkeyPatch, body: bytes) -> None:
    """Every logo look-up finds `body` (no network)."""
    from pcrm.services import logos

    monkeypatch.setattr(logos, "look", lambda base, budget=0: logos.Found(body))


def logo_files(org_id: str) -> dict[str, bytes]:
    """An organization's logo files in the avatars folder (its own and the copies kept for undo), by name."""
    from pcrm import paths

    return {p.name: p.read_bytes() for p in Path(paths.avatars_dir()).glob(f"org_{org_id}*")}
