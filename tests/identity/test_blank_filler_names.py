"""A name made only of blank fillers [shared-keys] (the Braille blank U+2800, the Hangul fillers U+3164,
U+115F, U+1160, U+FFA0: what a messenger's "empty" display name is typed with) was read as a label the user
chose, so `pcrm import` of "⠀" and "Ada Lovelace" on one phone kept both and asked about them, and
`pcrm identity scan` did the same for two such contacts. It is no name, as a name of zero-width characters
is: the row is nameless and joins the named holder, and `pcrm contacts add --name "⠀"` is refused."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from tests.support.seed import bulk_add
from tests.support.store import count_contacts

NOW = ("--now", "2026-06-01T12:00:00Z")


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Phone"])
        w.writerows(rows)
    return path


def _names(cli: Any) -> list[str]:
    rows = cli.json("contacts", "list", "--page-size", "100", *NOW)["data"]
    return sorted(c["full_name"] or "" for c in rows)


# names of nothing but blank fillers, and the zero-width space they now behave as
FILLERS = ["\u2800", "\u3164", "\u115f\u1160", "\uffa0", "\u2800 \u3164", "\u200b"]
NAMES = ["Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen"]


def test_a_name_of_blank_fillers_is_no_name(cli: Any, imp: Any, tmp_path: Path) -> None:
    rows = []
    for k, filler in enumerate(FILLERS):
        line = f"+1415555010{k}"
        rows += [(filler, line), (NAMES[k], line)]
    report = imp(_csv(tmp_path / "fillers.csv", rows))["data"]
    assert report["contacts_created"] == len(FILLERS), report
    assert _names(cli) == sorted(NAMES)
    assert cli.json("identity", "matches", *NOW)["data"] == []


def test_a_scan_joins_a_contact_named_by_blank_fillers(cli: Any, ctx: Any) -> None:
    """A contact an older pcrm stored with a filler for a name is nameless to the scan: it joins the named
    holder of its phone, as a nameless contact does, and asks nothing; the merged contact has the other's
    name, as an empty name is filled."""
    for k, filler in enumerate(FILLERS):
        line = f"+1415555020{k}"
        bulk_add(ctx, full_name=filler, phones=[line], source="csv")
        bulk_add(ctx, full_name=NAMES[k], phones=[line], source="csv")
    out = cli.json("identity", "scan", *NOW)["data"]
    assert out["auto_merged"] == len(FILLERS) and out["pending_review"] == 0, out
    assert count_contacts(ctx) == len(FILLERS)
    assert _names(cli) == sorted(NAMES)


def test_contacts_add_refuses_a_name_of_blank_fillers(cli: Any) -> None:
    out = cli.json("contacts", "add", "--name", "\u2800\u3164", *NOW, ok=False)
    assert out["error"]["code"] == "validation_error"
    assert "needs a name" in out["error"]["message"]
