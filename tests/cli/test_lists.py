"""Lists never look complete when they are cut [complete-lists]: `showing N of M` under every list,
`--all` for every row, `--nl` streams every row, and `--json` carries the total."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.crm import Crm


@pytest.fixture
def seventeen_overdue(crm: Crm) -> Crm:
    """17 high-priority contacts last seen 40-56 days ago (the high interval is 30 days)."""
    from pcrm.services import contacts, interactions
    from pcrm.services.context import open_context

    with open_context() as ctx:
        for k in range(17):
            c = contacts.create_contact(
                ctx,
                {"full_name": f"Person {k:02d}", "priority_level": "high", "emails": [f"p{k}@example.com"]},
            ).data
            interactions.add_interaction(
                ctx,
                c["id"],
                {
                    "platform": "email",
                    "direction": "outbound",
                    "occurred_at": f"2026-04-{20 - k:02d}T10:00:00Z",
                },
            )
    return crm


def test_overdue_says_how_many_were_left_out(seventeen_overdue: Crm) -> None:
    human = seventeen_overdue.cli("contacts", "overdue")
    assert human.stdout.count("Person") == 10
    assert "showing 10 of 17 · --all for every one" in human.stderr


def test_overdue_json_carries_the_total_and_all_returns_every_one(seventeen_overdue: Crm) -> None:
    cut = seventeen_overdue.cli.json("contacts", "overdue")
    assert len(cut["data"]) == 10 and cut["meta"]["total"] == 17 and cut["meta"]["count"] == 10
    everyone = seventeen_overdue.cli.json("contacts", "overdue", "--all")
    assert len(everyone["data"]) == 17 and everyone["meta"]["total"] == 17
    assert [c["days_overdue"] for c in everyone["data"]] == sorted(
        (c["days_overdue"] for c in everyone["data"]), reverse=True
    )
    human = seventeen_overdue.cli("contacts", "overdue", "--all")
    assert human.stdout.count("Person") == 17 and "showing 17 of 17" in human.stderr
    assert "--all" not in human.stderr


def test_a_cut_overdue_list_counts_without_the_2nd_tier(seventeen_overdue: Crm) -> None:
    """The total of a cut list is counted apart from the rows shown: 2nd-tier contacts (never overdue) are
    left out of it as they are of the rows, whether or not they are among the most overdue."""
    seventeen_overdue.cli(
        "contacts", "bulk-update", "Person 00", "Person 05", "Person 16", "--add-tag", "2nd tier"
    )
    cut = seventeen_overdue.cli.json("contacts", "overdue")
    assert cut["meta"]["total"] == 14 and cut["meta"]["count"] == 10
    names = [c["full_name"] for c in seventeen_overdue.cli.json("contacts", "overdue", "--all")["data"]]
    assert len(names) == 14 and not {"Person 00", "Person 05", "Person 16"} & set(names)


def test_overdue_nl_streams_every_one_and_limit_still_cuts(seventeen_overdue: Crm) -> None:
    lines = seventeen_overdue.cli("contacts", "overdue", "--nl").stdout.splitlines()
    assert len(lines) == 17 and all(json.loads(x)["priority_level"] == "high" for x in lines)
    assert len(seventeen_overdue.cli("contacts", "overdue", "--nl", "--limit", "3").stdout.splitlines()) == 3


def test_contacts_list_pages_say_so_and_all_lists_every_one(crm: Crm) -> None:
    from pcrm.services import contacts
    from pcrm.services.context import open_context

    with open_context() as ctx:
        for k in range(25):
            contacts.create_contact(ctx, {"full_name": f"Member {k:02d}"})
    first = crm.cli("contacts", "list")
    assert first.stdout.count("Member") == 20
    assert "showing 20 of 25 (page 1 of 2) · --all for every one" in first.stderr
    second = crm.cli("contacts", "list", "--page", "2")
    assert "showing 21–25 of 25 (page 2 of 2) · --all for every one" in second.stderr
    everyone: dict[str, Any] = crm.cli.json("contacts", "list", "--all")
    assert len(everyone["data"]) == 25
    assert everyone["meta"] == {
        "total": 25,
        "page": 1,
        "page_size": 25,
        "total_pages": 1,
        "total_is_estimate": False,
        "has_more": False,
    }
    assert len(crm.cli("contacts", "list", "--nl").stdout.splitlines()) == 25
    assert len(crm.cli("contacts", "list", "--nl", "--page-size", "5").stdout.splitlines()) == 5


def test_interactions_list_all(crm: Crm) -> None:
    ada = crm.add("Ada Lovelace")
    crm.history(ada["id"], [("email", "inbound", f"2026-01-{d:02d}T09:00:00Z") for d in range(1, 29)])
    cut = crm.cli("interactions", "list", "ada", "--limit", "5")
    assert "showing 5 of 28 · --all for every one" in cut.stderr
    assert crm.cli.json("interactions", "list", "ada", "--all")["meta"] == {
        "total": 28,
        "limit": 28,
        "offset": 0,
    }


def test_birthdays_total(crm: Crm) -> None:
    for k in range(3):
        crm.add(f"Born {k}", "--birthday", "06-16")
    out = crm.cli.json("contacts", "birthdays", "--limit", "2")
    assert len(out["data"]) == 2 and out["meta"] == {"count": 2, "total": 3}
    assert "showing 2 of 3" in crm.cli("contacts", "birthdays", "--limit", "2").stderr


def test_birthdays_show_the_birthday_and_the_age_turned(crm: Crm, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pcrm contacts birthdays` named who and in how many days, but not the birthday itself nor the age
    they turn; `contacts list --sort birthday` had no column to show the date by [upcoming-birthdays]."""
    crm.add("Ada Lovelace", "--birthday", "1815-06-17")  # the clock: 2026-06-15 (UTC)
    crm.add("Grace Hopper", "--birthday", "06-15")  # no year: no age
    crm.add("Alan Turing", "--birthday", "1912-06-23")  # more than 6 days away
    crm.add("Edsger Dijkstra")
    rows = [r.split("\t") for r in crm.cli("contacts", "birthdays").stdout.splitlines()]
    assert [r[1:5] for r in rows] == [
        ["Grace Hopper", "06-15", "0", ""],
        ["Ada Lovelace", "1815-06-17", "2", "211"],
    ]
    monkeypatch.setenv("COLUMNS", "60")  # a narrow terminal keeps them before the rest
    table = crm.cli("contacts", "birthdays", "--format", "table").stdout.splitlines()
    assert table[0].split()[:6] == ["id", "name", "birthday", "in", "days", "turns"], table
    assert table[2].split()[1:6] == ["Ada", "Lovelace", "1815-06-17", "2", "211"], table
    # a year-end wrap: on Dec 30 a Jan 2 birthday is turned in the next year
    out = crm.cli("contacts", "birthdays", "--now", "2026-12-30T12:00", "--fields", "name,turns").stdout
    assert out == ""
    crm.add("Brian Kernighan", "--birthday", "1942-01-02")
    out = crm.cli("contacts", "birthdays", "--now", "2026-12-30T12:00", "--fields", "name,turns").stdout
    assert out.splitlines() == ["Brian Kernighan\t85"]
    # any contact list shows the birthday on demand, e.g. sorted by it
    out = crm.cli("contacts", "list", "--sort", "birthday", "--fields", "name,birthday").stdout.splitlines()
    assert out == [
        "Grace Hopper\t06-15",
        "Ada Lovelace\t1815-06-17",
        "Alan Turing\t1912-06-23",
        "Brian Kernighan\t1942-01-02",
        "Edsger Dijkstra\t",
    ]


def test_a_search_that_stopped_counting_says_its_total_is_a_lower_bound(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Very many matches [contact-search]: the total is where counting stopped, so the footer says "N+" (and
    so do the pages), not "about N" (which read as a rough count where far more had matched)."""
    from pcrm.services import contacts
    from pcrm.services.context import open_context
    from pcrm.store import contact_query

    with open_context() as ctx:
        for k in range(25):
            contacts.create_contact(ctx, {"full_name": f"Member {k:02d}"})
    monkeypatch.setattr(contact_query, "COUNT_CAP", 10)
    got = crm.cli.json("contacts", "list", "--search", "member", "--page-size", "5")
    assert got["meta"]["total_is_estimate"] is True and got["meta"]["total"] == 10
    cut = crm.cli("contacts", "list", "--search", "member", "--page-size", "5")
    assert "showing 5 of 10+ (page 1 of 2+) · --all for every one" in cut.stderr
    second = crm.cli("contacts", "search", "member", "--page", "2", "--page-size", "5")
    assert "showing 6–10 of 10+ (page 2 of 2+) · --all for every one" in second.stderr
    # every one: the exact total
    assert crm.cli("contacts", "list", "--search", "member", "--all").stderr == "showing 25 of 25\n"


def test_a_list_that_reaches_its_end_names_no_way_to_more(crm: Crm) -> None:
    """`pcrm sync history --offset 1` of 2 runs said 'showing 2–2 of 2 · --offset N or --limit N for more':
    nothing follows the last row, so a list's way forward is named only when rows follow; --all, which also
    brings the rows left out before, still is."""
    from tests.sync.test_sync_history import _runs

    _runs(
        ("gmail", "scheduled", "success", "2026-06-10T06:00:00.000Z", 4),
        ("telegram", "manual", "success", "2026-06-12T03:00:00.000Z", 10),
    )
    for kind in ("Acme", "Globex"):
        crm.add(f"Wei {kind}", "--email", f"wei@{kind.lower()}.example", "--company", kind)
        crm.add(
            f"Wei {kind}", "--email", f"wei.2@{kind.lower()}.example", "--company", kind, "--title", "Boss"
        )
        crm.cli("contacts", "merge", f"wei@{kind.lower()}.example", f"wei.2@{kind.lower()}.example")
    ada = crm.add("Ada Lovelace")
    crm.history(ada["id"], [("email", "inbound", f"2026-01-{d:02d}T09:00:00Z") for d in (1, 2)])
    for args, last, cut in (
        (("sync", "history"), "--offset", "--offset N or --limit N for more"),
        (("identity", "history"), "--offset", "--offset N or --limit N for more"),
        (("orgs", "list"), "--page", "--page N or --nl for the rest"),
    ):
        paged = ("--page-size", "1") if last == "--page" else ("--limit", "1")
        first = crm.cli(*args, *paged)
        assert "showing 1 of 2" in first.stderr and cut in first.stderr, (args, first.stderr)
        end = crm.cli(*args, *paged, last, "1" if last == "--offset" else "2")
        assert "showing 2–2 of 2" in end.stderr, (args, end.stderr)
        assert " · " not in end.stderr and "more" not in end.stderr and "rest" not in end.stderr, end.stderr
    end = crm.cli("interactions", "list", "ada", "--limit", "1", "--offset", "1")
    assert "showing 2–2 of 2 · --all for every one" in end.stderr, end.stderr


def test_recent_activity_says_how_many_were_left_out(cli: Any, demo: Any) -> None:
    """`pcrm activity recent --limit 3` (and its default 20) cut the rows with no total and no footer."""
    every = cli.json("activity", "recent", "--all")
    total = every["meta"]["total"]
    assert total == len(every["data"]) > 3
    cut = cli("activity", "recent", "--limit", "3")
    assert f"showing 3 of {total} · --all for every one" in cut.stderr, cut.stderr
