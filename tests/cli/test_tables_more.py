"""The remaining lists on the table layer [readable-tables]: at 80 columns every line fits and every row
is one line (columns dropped rather than wrapped); in a pipe, tab-separated rows with full values."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.cli._output import moment
from tests.support.crm import Crm

LONG = "a very long notification title that would have wrapped over several lines of an 80 column terminal"


def _table(crm: Crm, monkeypatch: pytest.MonkeyPatch, rows: int, *args: str) -> list[str]:
    """The table at 80 columns: no line longer, one line per row under one header line."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = crm.cli(*args, "--format", "table").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert len(lines) == rows + 1, lines
    return lines


def _piped(crm: Crm, *args: str) -> list[list[str]]:
    """Without --format off a terminal: plain rows, tab-separated, no header."""
    out = crm.cli(*args).stdout
    return [line.split("\t") for line in out.splitlines()]


def _notify(*items: tuple[str, str, str | None, str | None]) -> list[dict[str, Any]]:
    from pcrm.services import notifications
    from pcrm.services.context import open_context

    with open_context() as ctx:
        return [notifications.notify(ctx, kind, title, body, link) for kind, title, body, link in items]


def test_notifications(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "the body of it, " * 20
    a, b = _notify(("sync", LONG, body, "/contacts/x"), ("error", "short one", None, None))
    lines = _table(crm, monkeypatch, 2, "notifications", "list")
    assert lines[0].split()[:4] == ["id", "new", "when", "type"]
    assert LONG not in "\n".join(lines)  # shortened with … rather than wrapped
    rows = _piped(crm, "notifications", "list")
    by_id = {r[0]: r for r in rows}  # full ids
    assert set(by_id) == {a["id"], b["id"]}
    assert by_id[a["id"]][1:] == [
        "unread",
        a["created_at"][:16].replace("T", " "),
        "sync",
        LONG,
        body,
        "/contacts/x",
    ]
    picked = _piped(crm, "notifications", "--fields", "title,type")
    assert sorted(picked) == [[LONG, "sync"], ["short one", "error"]]
    assert LONG in [n["title"] for n in crm.cli.json("notifications")["data"]]  # --json unchanged


def test_jobs(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = crm.cli.json("jobs", "list")["data"]
    lines = _table(crm, monkeypatch, len(listed) + 1, "jobs", "list")  # and the time-zone line
    assert lines[0].split()[:2] == ["job", "schedule"] and lines[-1].startswith("times in UTC")
    rows = _piped(crm, "jobs", "list")
    assert [r[0] for r in rows] == [j["name"] for j in listed]
    assert all(len(r) == 6 for r in rows) and not any("times in UTC" in "\t".join(r) for r in rows)
    assert [r[3] for r in rows] == [j["last_status"] or "" for j in listed]  # last run
    assert [r[1] for r in rows] == [j["schedule"] for j in listed]  # full, never …
    assert _piped(crm, "jobs", "list", "--fields", "job") == [[j["name"]] for j in listed]


def test_sync_history_and_stats(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.sync.test_sync_history import RUNS, _runs

    _runs(*RUNS)
    listed = crm.cli.json("sync", "history")["data"]
    lines = _table(crm, monkeypatch, 5, "sync", "history")  # a 2000-character error stays on its line
    assert lines[0].split()[:3] == ["id", "started", "platform"]
    rows = _piped(crm, "sync", "history")
    assert [r[0] for r in rows] == [r["id"] for r in listed]
    failed = next(r for r in rows if r[4] == "failed")
    assert failed[-1] == "boom" * 500 and len(failed) == 10  # the full error
    assert _piped(crm, "sync", "history", "--fields", "platform,status")[0] == ["linkedin", "started"]
    lines = _table(crm, monkeypatch, 3, "sync", "stats")
    assert lines[0].split() == ["platform", "runs", "ok", "failed", "partial", "success", "%", "last", "sync"]
    assert _piped(crm, "sync", "stats") == [
        ["gmail", "3", "2", "1", "0", "66.7", "2026-06-13 06:00"],
        ["linkedin", "1", "0", "0", "0", "0.0", "2026-06-14 10:00"],
        ["telegram", "1", "1", "0", "0", "100.0", "2026-06-12 03:00"],
    ]
    assert crm.cli.json("sync", "stats")["data"]["gmail"]["success_rate"] == 66.7  # --json unchanged


def test_tokens(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "nightly-backup-script-on-the-raspberry-pi-in-the-cupboard"  # 57 characters
    secret = crm.cli("token", "create", long).stdout.strip()
    crm.cli("token", "create", "ci")
    crm.cli("token", "revoke", "ci", "--yes")
    listed = crm.cli.json("token", "list", "--all")["data"]
    lines = _table(crm, monkeypatch, 2, "token", "list", "--all")
    assert lines[0].split() == ["name", "created", "last", "used", "revoked"]
    assert long not in "\n".join(lines) and secret not in "\n".join(lines)
    rows = _piped(crm, "token", "list", "--all")
    assert sorted(r[0] for r in rows) == sorted([long, "ci"])  # full names
    by_name = {t["name"]: t for t in listed}
    # full moments in the user's zone, as every table shows them [local-days]; --json keeps the instants
    assert [r[1] for r in rows] == [moment(by_name[r[0]]["created_at"]) for r in rows]
    assert {r[0]: r[3] for r in rows}["ci"] == moment(by_name["ci"]["revoked_at"])
    assert by_name["ci"]["revoked_at"].endswith("Z") and len(rows[0][1]) == len("2026-06-15 12:00")
    assert _piped(crm, "token", "list", "--fields", "name") == [[long]]


def test_orgs_merges_and_show(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "Hohenzollern Trading and Shipping Company of the Upper Danube"
    crm.add("Ada Lovelace", "--company", long, "--title", "Head of the engine room and chief mathematician")
    crm.add("Bea", "--company", f"{long} Ltd")
    crm.cli("orgs", "merge", f"{long} Ltd", "--into", long)
    listed = crm.cli.json("orgs", "merges")["data"]
    lines = _table(crm, monkeypatch, 1, "orgs", "merges")
    assert lines[0].split()[:3] == ["merge", "id", "when"] and long not in lines[1]
    rows = _piped(crm, "orgs", "merges")
    assert rows == [
        [listed[0]["id"], listed[0]["merged_at"][:16].replace("T", " "), long, f"{long} Ltd", "1", ""]
    ]
    assert _piped(crm, "orgs", "merges", "--fields", "kept") == [[long]]
    monkeypatch.setenv("COLUMNS", "80")
    shown = crm.cli("orgs", "show", long).stdout.splitlines()
    assert all(len(line) <= 80 for line in shown)
    people = shown[shown.index(next(x for x in shown if x.strip() == "contacts")) + 1 :]
    assert people[0].split()[:2] == ["id", "name"] and len(people) == 3  # a header, one line a person


def test_identity_history(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    keep = crm.add(long, "--email", "max@example.com", "--company", "Hohenzollern Trading")
    away = crm.add(f"{long} the Younger", "--email", "max2@example.com")
    merge = crm.cli.json("contacts", "merge", away["id"], keep["id"])["data"]
    lines = _table(crm, monkeypatch, 1, "identity", "history")
    assert lines[0].split()[:3] == ["merge", "id", "when"] and long not in lines[1]
    (row,) = _piped(crm, "identity", "history")
    assert row[0] == merge["merge_id"] and row[-2:] == [merge["id"], merge["merged_contact_id"]]
    assert set(row[2:4]) == {long, f"{long} the Younger"}  # full names
    assert _piped(crm, "identity", "history", "--fields", "merge id,undone") == [[merge["merge_id"], ""]]


def test_score_explain(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    ada = crm.add("Ada Lovelace")
    crm.history(
        ada["id"],
        [("email", "inbound", "2026-06-10T09:00:00.000Z"), ("call", "outbound", "2026-06-01T09:00:00.000Z")],
    )
    dims = crm.cli.json("score", "explain", "Ada Lovelace")["data"]["dimensions"]
    lines = _table(crm, monkeypatch, len(dims) + 1, "score", "explain", "Ada Lovelace")  # and a title line
    assert lines[0].startswith("Ada Lovelace  score") and lines[1].split()[:2] == ["dimension", "value"]
    rows = _piped(crm, "score", "explain", "Ada Lovelace")
    assert sorted(r[0] for r in rows) == sorted(dims)
    assert all(
        r[3] == dims[r[0]]["rule"] and r[1] == f"{dims[r[0]]['value']}/{dims[r[0]]['max']}" for r in rows
    )
    assert _piped(crm, "score", "explain", "Ada Lovelace", "--fields", "dimension") == [[r[0]] for r in rows]


def test_contacts_related_and_map(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "Hohenzollern Trading and Shipping Company of the Upper Danube"
    ada = crm.add("Ada Lovelace", "--company", long, "--tag", "mathematics", "--tag", "poetry")
    crm.add("Maximilian Alexander von Hohenzollern-Sigmaringen", "--company", long, "--tag", "poetry")
    crm.add("Byron", "--tag", "poetry", "--tag", "mathematics")
    related = crm.cli.json("contacts", "related", ada["id"])["data"]
    _table(crm, monkeypatch, len(related), "contacts", "related", ada["id"])
    rows = _piped(crm, "contacts", "related", ada["id"])
    assert [r[0] for r in rows] == [c["id"] for c in related]
    assert [r[4] for r in rows] == [", ".join(c["reasons"]) for c in related]
    assert long in [r[2] for r in rows]
    for c in (ada, *crm.cli.json("contacts", "list")["data"][:1]):
        crm.cli("contacts", "edit", c["id"], "--latitude", "51.5", "--longitude", "-0.12")
    located = crm.cli.json("contacts", "map", "--bbox=-1,51,1,52")["data"]
    _table(crm, monkeypatch, len(located), "contacts", "map", "--bbox=-1,51,1,52")
    rows = _piped(crm, "contacts", "map", "--bbox=-1,51,1,52")
    assert [r[0] for r in rows] == [c["id"] for c in located]
    assert rows[0][2:4] == ["51.50000", "-0.12000"]


def test_mcp_log(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    from pcrm.services import audit
    from pcrm.services.context import Result, open_context

    assert "no writes by agents yet" in crm.cli("mcp", "log", "--format", "table").stdout
    assert crm.cli("mcp", "log").stdout == ""
    ada = crm.add("Ada Lovelace")
    crm.cli("settings", "set", "mcp.allow_writes", "true")
    tags = [f"a-rather-long-tag-number-{i}" for i in range(6)]
    with open_context() as ctx:
        audit.agent_write(ctx, "tag_contact", {"contact": ada["id"], "tags": tags}, lambda c: Result(ada, {}))
    lines = _table(crm, monkeypatch, 1, "mcp", "log")
    assert lines[0].split()[:2] == ["when", "tool"] and "tag_contact" in lines[1]
    (row,) = _piped(crm, "mcp", "log")
    assert row[1:4] == ["tag_contact", ada["id"], ada["id"]] and row[4] == f"contact={ada['id']}, tags={tags}"
    assert _piped(crm, "mcp", "log", "--fields", "tool") == [["tag_contact"]]


def test_sync_status(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns the state cut "not connected (pcrm auth whatsapp …": the table now says the state in
    words and each command to connect follows it in full, one line a command, never cut."""
    sources = crm.cli.json("sync", "status")["data"]["sources"]
    monkeypatch.setenv("COLUMNS", "80")
    shown = crm.cli("sync", "status", "--format", "table").stdout.splitlines()
    hints = {s["connect"] for s in sources.values() if s["available"] and not s["connected"]}
    assert len(hints) > 2 and "…" not in "\n".join(shown) and all(len(line) <= 80 for line in shown)
    under = shown[len(sources) + 1 :]
    assert sorted(line.split(": ", 1)[1] for line in under) == sorted(hints)
    assert f"to connect whatsapp: {sources['whatsapp']['connect']}" in under
    assert all(row.split()[1:3] == ["not", "connected"] for row in shown[1 : len(sources) + 1])
    rows = _piped(crm, "sync", "status")
    assert sorted(r[0] for r in rows) == sorted(sources)  # --json sorts its keys
    hints = {name: s.get("connect") for name, s in sources.items()}
    assert all(r[1] in ("connected", "not available yet", f"not connected ({hints[r[0]]})") for r in rows)
    assert _piped(crm, "sync", "status", "--fields", "source,schedule")[0] == [
        next(iter(sources)),
        rows[0][2],
    ]


@pytest.mark.parametrize("columns", ["40", "30"])
def test_contacts_show_in_a_narrow_terminal_folds_values_never_cuts_them(
    crm: Crm, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    """At 40 columns `contacts show` cut the id and the address with "…" (which cannot be copied), and at 30
    a long label left its value no room at all: values fold onto the next lines now."""
    email = "shafi.okafor@proton.example.me"
    c = crm.add("Shafi Okafor", "--email", email, "--title", "Head of Partnerships")
    monkeypatch.setenv("COLUMNS", columns)
    shown = crm.cli("contacts", "show", c["id"]).stdout
    assert "…" not in shown
    assert all(len(line) <= int(columns) for line in shown.splitlines()), shown
    flat = "".join(shown.split())
    assert c["id"] in flat and email in flat and "HeadofPartnerships" in flat
