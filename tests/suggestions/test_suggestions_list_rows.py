"""`pcrm suggestions list` is a list like the others [readable-tables]: --format, --fields and --limit, and
one row per suggestion in a pipe (it printed the terminal's multi-line blocks into pipes and took none)."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.support.world import NOW, due_history


def _three(cli: Any, world: Any) -> None:
    for name in ("Grace Hopper", "Alan Turing", "Edsger Dijkstra"):
        world.contact(name, history=due_history())
    assert len(cli.json("suggestions", "generate", "--now", NOW)["data"]) == 3


def test_a_pipe_gets_one_row_per_suggestion(cli: Any, world: Any) -> None:
    _three(cli, world)
    got = cli("suggestions", "list", "--now", NOW)
    rows = [line.split("\t") for line in got.stdout.splitlines()]
    assert sorted(r[1] for r in rows) == ["Alan Turing", "Edsger Dijkstra", "Grace Hopper"], got.stdout
    assert all(len(r) == 7 and len(r[0]) == 36 and r[-1] for r in rows)  # id ... draft, no continuation lines


def test_format_fields_and_limit(cli: Any, world: Any) -> None:
    _three(cli, world)
    got = cli("suggestions", "list", "--format", "csv", "--fields", "who,channel", "--limit", "2")
    table = list(csv.reader(io.StringIO(got.stdout)))
    assert table[0] == ["who", "channel"] and len(table) == 3, got.stdout
    assert "showing 2 of 3" in got.stderr and "--limit N" in got.stderr
    body = cli.json("suggestions", "list", "--limit", "1", "--now", NOW)
    assert len(body["data"]) == 1 and body["meta"]["total"] == 3
    bad = cli("suggestions", "list", "--fields", "bogus", ok=False)
    assert "unknown field: bogus" in bad.stderr and "who" in bad.stderr
    over = cli("suggestions", "list", "--limit", "101", ok=None)
    assert over.exit_code == 2 and "at most 100" in over.stderr


def test_nothing_pending_says_so_in_a_pipe_too(cli: Any) -> None:
    cli("init")  # a read makes no store [opening-the-store]
    got = cli("suggestions", "list", "--format", "plain")
    assert got.stdout == "" and "pcrm suggestions generate" in got.stderr
