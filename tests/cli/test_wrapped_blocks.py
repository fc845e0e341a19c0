"""At an 80-column terminal a block of indented lines stays indented when one of its lines is too long:
`pcrm identity matches --explain` printed a pair's second email and the blocking keys' continuation from
the first column, under the question they belong to, and `pcrm identity scan` cut `pcrm contacts unmerge
MERGE_ID` in two. Into a pipe each line stays one line."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cli import Cli

NOW = ("--now", "2026-06-01T12:00:00Z")


@pytest.fixture
def pair(cli: Cli) -> Cli:
    # a family landline under two names, each with a long address: a pair to review
    phone = ("--phone", "+44 20 7946 0321")
    a, b = "Wilhelmina Dubois-Fairweather", "Bartholomew Dubois-Fairweather"
    cli(
        "contacts",
        "add",
        "--name",
        a,
        "--email",
        "wilhelmina.dubois.fairweather@proton.example",
        *phone,
        *NOW,
    )
    cli("contacts", "add", "--name", b, "--email", "w.dubois-fairweather.1984@gmail.example", *phone, *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 1
    return cli


def _at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import pcrm.cli._output as output

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(output, "_is_terminal", lambda stream: True)


def test_the_explanation_keeps_its_indent_at_80_columns(pair: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _at_a_terminal(monkeypatch)
    lines = pair("identity", "matches", "--explain", *NOW).stdout.rstrip("\n").splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    first, *block, last = lines
    assert first == "1. are these one person?" and last.startswith("merge with `pcrm identity merge ID`")
    assert all(line.startswith("   ") for line in block), block  # nothing falls back to the first column
    keys = [i for i, line in enumerate(block) if "blocking keys:" in line]
    assert keys and block[keys[0] + 1].startswith(" " * 12)  # the keys go on under the keys
    # both addresses are there, each whole
    text = "\n".join(block)
    assert "wilhelmina.dubois.fairweather@proton.example" in text
    assert "w.dubois-fairweather.1984@gmail.example" in text


def test_into_a_pipe_each_explanation_line_stays_one_line(pair: Cli) -> None:
    out = pair("identity", "matches", "--explain", *NOW).stdout
    (line,) = [s for s in out.splitlines() if "⟷" in s]
    assert line.startswith("   ") and line.endswith("w.dubois-fairweather.1984@gmail.example")


def test_the_scan_names_the_undo_command_whole(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    phone = ("--phone", "+44 20 7946 0018")
    cli("contacts", "add", "--name", "Ada Lovelace", *phone, "--company", "Acme", *NOW)
    cli("contacts", "add", "--name", "Ada Lovelace", *phone, *NOW)
    _at_a_terminal(monkeypatch)
    got = cli("identity", "scan", *NOW)
    assert got.stdout.startswith("merged 1 (1 by email/phone, 0 by score)"), got.stdout
    said = got.stderr.splitlines()
    assert all(len(line) <= 80 for line in said), said
    assert any("`pcrm contacts unmerge MERGE_ID`" in line for line in said), said
    assert any("`pcrm identity history`" in line for line in said), said


def test_score_explain_at_a_terminal_shows_every_fact_and_rule(crm: Any, pcrm_home: Any) -> None:
    """`pcrm score explain "Ada Lovelace"` at an 80-column terminal printed a table whose facts column was cut
    to a few words (`inbound_365d=1, outbound_365d=0, inbound_1_2y=0, outbound…`) and whose rule column was
    left out: the explanation itself. At a terminal it is now a block a dimension, wrapped under it;
    `--format table` is the table, a pipe the rows."""
    import os

    from tests.cli.test_tables import _in_a_terminal

    ada = crm.add("Ada Lovelace")
    crm.history(
        ada["id"],
        [("email", "inbound", "2026-06-10T09:00:00.000Z"), ("call", "outbound", "2026-06-01T09:00:00.000Z")],
    )
    dims = crm.cli.json("score", "explain", "Ada Lovelace")["data"]["dimensions"]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PCRM_HOME=str(pcrm_home), PAGER="cat", NO_COLOR="1")
    env.update(PYTHONPATH=os.environ.get("PYTHONPATH", os.getcwd()))
    shown = _in_a_terminal(["score", "explain", "Ada Lovelace"], env).decode().replace("\r\n", "\n")
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].startswith("Ada Lovelace  score")
    joined = " ".join(line.strip() for line in lines)  # the wrapped lines of each block, put back together
    for name, dim in dims.items():
        assert f"{name}  {dim['value']}/{dim['max']}" in lines
        assert f"rule: {dim['rule']}" in joined, name
        for key in dim["facts"]:
            assert f"{key}=" in joined, (name, key)
    assert "…" not in shown
