"""On the demo store, `pcrm suggestions generate --now` proposes sensible people, reproducibly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

NOW = "2026-06-01T08:00:00Z"


def _run(cli: Any, home: Path) -> list[dict[str, Any]]:
    os.environ["PCRM_HOME"] = str(home)
    cli("demo", "--contacts", "150", "--now", NOW)
    out = cli.json("suggestions", "generate", "--now", NOW)
    return out["data"]


def _view(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            s["contact"]["full_name"],
            s["trigger_type"],
            s["pool"],
            s["reason"],
            s["suggested_channel"],
            s["suggested_message"],
        )
        for s in items
    ]


def test_demo_suggestions_sensible_and_reproducible(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "a"))
    first = _run(cli, tmp_path / "a")
    second = _run(cli, tmp_path / "b")
    assert _view(first) == _view(second)
    assert len(first) == 5
    for s in first:
        assert s["reason"] and s["suggested_message"]
        assert s["contact"]["full_name"].split()[0] in s["suggested_message"]
        assert s["suggested_channel"] in ("email", "telegram", "twitter", "linkedin")
    # a second run the same day proposes other people
    again = cli.json("suggestions", "generate", "--now", NOW)["data"]
    assert {s["contact_id"] for s in again}.isdisjoint({s["contact_id"] for s in second})
