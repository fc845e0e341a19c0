"""Small things for daily use: relative times and meaningful colour in tables (NO_COLOR respected),
`contacts show` with the score's one line and the recent timeline, export filters, `db backups`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def late(crm: Crm) -> Crm:
    """Ada: high priority, last talked 2026-05-13 (33 days before the pinned clock, 2026-06-15)."""
    ada = crm.add("Ada Lovelace", "--priority", "high", "--tag", "work", "--email", "ada@example.com")
    crm.add("Grace Hopper", "--tag", "navy", "--email", "grace@example.com")
    crm.history(
        ada["id"],
        [
            ("email", "inbound", "2026-05-13T09:00:00.000Z", "the engine notes"),
            ("email", "outbound", "2026-05-12T09:00:00.000Z", "sent the notes"),
        ],
    )
    return crm


def test_tables_say_how_long_ago_and_pipes_keep_the_date(late: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    table = late.cli("contacts", "list", "--format", "table", "--search", "ada").stdout
    assert "33 days ago" in table
    plain = late.cli("contacts", "list", "--search", "ada", "--fields", "name,last").stdout
    assert plain == "Ada Lovelace\t2026-05-13\n"


def test_colour_means_priority_and_no_color_turns_it_off(late: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as far as rich is concerned
    coloured = late.cli("contacts", "list", "--format", "table", "--no-pager").stdout
    high = next(line for line in coloured.splitlines() if "Ada Lovelace" in line)
    medium = next(line for line in coloured.splitlines() if "Grace Hopper" in line)
    assert "\x1b[1;31mhigh" in high and "\x1b[1;31m" not in medium
    assert "\x1b[1m" in coloured  # the header is bold on a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    plain = late.cli("contacts", "list", "--format", "table", "--no-pager").stdout
    # NO_COLOR is plain text: no colour, and no bold or dim either (they were left in: `NO_COLOR=1 pcrm
    # contacts list` at a terminal still wrote `\x1b[1m` headers and `\x1b[2m` footers), even when
    # FORCE_COLOR says terminal
    assert "\x1b[" not in plain and "high" in plain and "Ada Lovelace" in plain
    shown = late.cli("contacts", "show", "ada@example.com").stdout
    assert "\x1b[" not in shown and "relationship score" in shown
    error = late.cli("contacts", "show", "nobody-here", ok=False).stderr
    assert error.startswith("error: ") and "\x1b[" not in error
    monkeypatch.setenv("NO_COLOR", "")  # empty is unset (no-color.org): colour again
    assert "\x1b[1;31mhigh" in late.cli("contacts", "list", "--format", "table", "--no-pager").stdout


def test_show_has_the_score_line_and_the_recent_timeline(late: Crm) -> None:
    out = late.cli("contacts", "show", "ada@example.com").stdout
    assert "relationship score" in out and "/10: " in out and "recency " in out
    assert "33 days ago (2026-05-13)" in out
    # the way to the rest names this contact, ready to paste (it said `pcrm interactions list CONTACT`)
    ada = late.show("ada@example.com")["id"]
    assert (
        f"1 of 2 · pcrm interactions list {ada[:8]} --all"
        in late.cli("contacts", "show", "ada", "--recent", "1").stdout
    )
    recent = out.split("recent\n", 1)[1].splitlines()
    assert recent[0].split()[:5] == ["33", "days", "ago", "email", "inbound"]
    assert "the engine notes" in recent[0]
    # --json stays the API's contact
    data = late.cli.json("contacts", "show", "ada@example.com")["data"]
    assert "timeline" not in data and data["full_name"] == "Ada Lovelace"


def test_show_lists_planned_interactions_apart_not_as_the_most_recent(late: Crm) -> None:
    """`pcrm log ada --platform call --at 2030-01-01` then `pcrm contacts show ada` listed the call first
    under "recent" ("in 3 years"): a planned interaction is listed apart, under "upcoming", soonest first."""
    for at in ("2030-01-01", "2026-07-01"):
        late.cli("log", "ada@example.com", "--platform", "call", "--direction", "inbound", "--at", at)
    out = late.cli("contacts", "show", "ada@example.com", "--recent", "1").stdout
    recent, upcoming = out.split("\nrecent\n", 1)[1].split("\nupcoming\n")
    assert recent.splitlines()[0].split()[:5] == ["33", "days", "ago", "email", "inbound"], out
    ada = late.show("ada@example.com")["id"][:8]
    assert f"1 of 2 · pcrm interactions list {ada} --all" in recent  # the two past ones
    lines = upcoming.splitlines()
    assert lines[0].split()[:4] == ["in", "16", "days", "call"], out  # the soonest first
    assert lines[1] == f"  1 of 2 · pcrm interactions list {ada} --all", out


def test_interactions_list_puts_what_happened_first_and_planned_ones_apart(late: Crm) -> None:
    """`pcrm interactions list ada` listed next month's call and a 2030 meeting first, "newest first",
    above the last real conversation: what happened comes first, newest first, then under "upcoming" what is
    planned, soonest first, in every text format; --json keeps the API's order [future-interactions]."""
    late.cli("log", "ada@example.com", "--platform", "call", "--direction", "inbound", "--at", "2030-01-01")
    late.cli("log", "ada@example.com", "--platform", "meeting", "--direction", "mutual", "--at", "2026-07-01")
    table = late.cli("interactions", "list", "ada@example.com", "--format", "table").stdout
    past, upcoming = table.split("\nupcoming (2 planned interactions, soonest first)\n")
    assert [line.split()[4] for line in past.splitlines()[1:]] == ["inbound", "outbound"], table
    assert [line.split()[3] for line in upcoming.splitlines()[1:]] == ["meeting", "call"], table
    piped = late.cli("interactions", "list", "ada@example.com")  # plain rows: the heading on stderr
    assert [line.split("\t")[3] for line in piped.stdout.splitlines()] == [
        "inbound",
        "outbound",
        "mutual",
        "inbound",
    ]
    assert "upcoming (2 planned interactions, soonest first)" in piped.stderr
    csv = late.cli("interactions", "list", "ada@example.com", "--format", "csv").stdout.splitlines()
    assert [row.split(",")[1][:10] for row in csv[1:]] == [
        "2026-05-13",
        "2026-05-12",
        "2026-07-01",
        "2030-01-01",
    ]
    # a page of one: the newest of what happened, the soonest planned one, and how to see the rest
    one = late.cli("interactions", "list", "ada@example.com", "--limit", "1")
    assert [line.split("\t")[1][:10] for line in one.stdout.splitlines()] == ["2026-05-13", "2026-07-01"]
    assert "upcoming (2 planned interactions, the first 1, soonest first)" in one.stderr
    # a later page is of what happened alone
    later = late.cli("interactions", "list", "ada@example.com", "--limit", "1", "--offset", "1")
    assert [line.split("\t")[1][:10] for line in later.stdout.splitlines()] == ["2026-05-12"]
    # --json is the API's answer: newest first, the planned ones at its head
    data = late.cli.json("interactions", "list", "ada@example.com")["data"]
    assert [i["occurred_at"][:10] for i in data] == ["2030-01-01", "2026-07-01", "2026-05-13", "2026-05-12"]
    # only planned ones: no "no interactions" line, the heading and the rows
    grace = late.cli("interactions", "list", "grace@example.com", "--format", "table").stdout
    assert grace.startswith("no interactions")
    late.cli("note", "add", "grace@example.com", "bring the manual", "--at", "2026-08-01")
    planned = late.cli("note", "list", "grace@example.com", "--format", "table").stdout
    assert planned.startswith("upcoming (1 planned interaction, soonest first)\n"), planned
    assert "bring the manual" in planned and "no notes" not in planned


def test_export_filters_pick_contacts(late: Crm, tmp_path: Any) -> None:
    vcf = late.cli("export", "vcard", "--tag", "work").stdout
    assert vcf.count("BEGIN:VCARD") == 1 and "Ada Lovelace" in vcf and "Grace" not in vcf
    rows = late.cli("export", "csv", "--tag", "navy").stdout.splitlines()
    assert len(rows) == 2 and "Grace Hopper" in rows[1]
    summary = late.cli.json("export", "csv", "--priority", "high", "--output", str(tmp_path / "high.csv"))
    assert summary["data"]["contacts"] == 1
    everyone = late.cli("export", "csv").stdout.splitlines()
    assert len(everyone) == 3


def test_db_backups_lists_them_newest_first(crm: Crm, tmp_path: Any) -> None:
    assert crm.cli.json("db", "backups")["data"] == []
    crm.cli("db", "backup")
    crm.cli("db", "backup", str(tmp_path / "elsewhere.db"))  # not in the backups folder: not listed
    got = crm.cli.json("db", "backups")["data"]
    assert [b["reason"] for b in got] == ["manual"] and got[0]["bytes"] > 0
    table = crm.cli("db", "backups", "--format", "table").stdout
    assert got[0]["name"] in table and "manual" in table
    assert json.loads(crm.cli("db", "backups", "--json").stdout)["meta"]["total"] == 1
