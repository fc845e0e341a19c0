"""A bulk update can be taken back [bulk-undo]: `pcrm contacts bulk-update --where score=dormant --priority
low` changed 144 contacts' priority with no question and no way back (an overdue high-priority contact
dropped off `contacts overdue` for good). Each update now journals what it changed per contact and says its
id; `pcrm contacts bulk-undo ID` (and POST /contacts/bulk-updates/{id}/undo) puts it back exactly, leaves a
contact edited since alone and names it, and refuses a second undo. At a terminal, a change to more than a
handful of contacts says how many and asks; scripts are not asked."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, assert_error, ok
from tests.support.crm import Crm
from tests.support.undo import undo_id

_STATE = (
    "SELECT c.full_name, c.priority_level, coalesce(c.company, ''), coalesce(o.name, ''), "
    "c.user_edited_fields, (SELECT group_concat(tag, '|') FROM "
    "(SELECT tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY position)) "
    "FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id ORDER BY c.full_name"
)


def _people(crm: Crm) -> dict[str, str]:
    """Seven contacts tagged `conf` (tags in a given order, some priorities high), and one outside."""
    ids: dict[str, str] = {}
    for i, (name, priority) in enumerate(
        (
            ("Ada Lovelace", "high"),
            ("Alan Turing", "medium"),
            ("Grace Hopper", "high"),
            ("Edsger Dijkstra", "low"),
            ("Barbara Liskov", "medium"),
            ("Donald Knuth", "high"),
            ("Frances Allen", "medium"),
        )
    ):
        company = ("--company", "Analytical Engines") if i % 2 else ()
        ids[name] = crm.add(
            name, "--tag", "mentor", "--tag", "conf", "--tag", f"t{i}", "--priority", priority, *company
        )["id"]
    ids["Ken Thompson"] = crm.add("Ken Thompson", "--tag", "unix", "--priority", "high")["id"]
    return ids


def test_a_bulk_update_is_taken_back_exactly_tags_in_their_order_company_and_its_organization(
    crm: Crm,
) -> None:
    _people(crm)
    before = crm.sql(_STATE)
    said = crm.cli(
        "contacts",
        "bulk-update",
        "--where",
        "tag=conf",
        "--priority",
        "low",
        "--remove-tag",
        "conf",
        "--add-tag",
        "quiet",
        "--company",
        "Initech",
    ).stdout
    assert said.startswith("updated 7 contacts\n"), said
    bid = undo_id(said)
    changed = crm.sql(_STATE)
    assert changed != before
    assert {r[1] for r in changed if r[0] != "Ken Thompson"} == {"low"}
    dry = crm.cli("contacts", "bulk-undo", bid, "--dry-run").stdout
    assert f"dry run, nothing changed: would undo bulk update {bid}: put back 7 contacts" in dry, dry
    assert crm.sql(_STATE) == changed
    done = crm.cli("contacts", "bulk-undo", bid).stdout
    # the organization its company made goes with it, unused since
    assert done.startswith(
        f"undid bulk update {bid}: put back 7 contacts; took out the organization 'Initech' it made\n"
    ), done
    # priorities, tags in their places (conf back between mentor and tN, quiet gone), the company with its
    # organization, and the protected-field marks: all as before
    assert crm.sql(_STATE) == before


def test_an_undo_leaves_a_contact_edited_since_alone_and_names_it(crm: Crm) -> None:
    ids = _people(crm)
    before = {r[0]: r for r in crm.sql(_STATE)}
    body = crm.cli.json("contacts", "bulk-update", "--where", "tag=conf", "--priority", "low")
    bid = body["data"]["bulk_update_id"]
    assert body["meta"]["undo"] == f"pcrm contacts bulk-undo {bid[:8]}"
    crm.cli("contacts", "edit", ids["Grace Hopper"], "--priority", "medium")
    undone = crm.cli("contacts", "bulk-undo", bid[:8])
    assert (
        f"undid bulk update {bid[:8]}: put back 5 contacts; 1 contact edited since, left as it is"
        in undone.stdout
    )
    assert "left Grace Hopper alone: edited since the bulk update (its priority is now medium, not low)" in (
        undone.stderr
    )
    after = {r[0]: r for r in crm.sql(_STATE)}
    assert after["Grace Hopper"][1] == "medium"  # the later edit stands
    for name in ("Ada Lovelace", "Donald Knuth", "Alan Turing", "Barbara Liskov", "Frances Allen"):
        assert after[name][1] == before[name][1], name
    assert after["Edsger Dijkstra"][1] == "low"  # it was low already: the update never changed it


def test_an_undo_twice_is_a_clear_error_and_changes_nothing(crm: Crm) -> None:
    ids = _people(crm)
    bid = crm.cli.json("contacts", "bulk-update", ids["Ada Lovelace"], "--add-tag", "vip")["data"][
        "bulk_update_id"
    ]
    crm.cli("contacts", "bulk-undo", bid)
    assert crm.show(ids["Ada Lovelace"])["tags"] == ["mentor", "conf", "t0"]
    err = crm.rejects(
        "contacts", "bulk-undo", bid, code="conflict", says=f"bulk update {bid[:8]} was already undone"
    )
    assert "nothing left to take back" in err["hint"]
    crm.rejects("contacts", "bulk-undo", "zzzz9999", code="not_found", says="no bulk update zzzz9999")
    crm.rejects("contacts", "bulk-undo", "ab", code="validation_error", says="at least 4 characters")


def test_a_big_bulk_update_asks_at_a_terminal_and_a_script_is_not_asked(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.cli import _output

    ids = _people(crm)
    before = crm.dump()
    monkeypatch.setattr(_output, "at_terminal", lambda: True)
    declined = crm.cli(
        "contacts", "bulk-update", "--where", "tag=conf", "--priority", "low", input="n\n", ok=False
    )
    # 6 of the 7 change (Edsger is low already): the question counts those
    assert "Change 6 contacts? (pcrm contacts bulk-undo takes it back)" in declined.stderr, declined.stderr
    assert "nothing changed" in declined.stderr
    assert crm.dump() == before
    # a handful is not asked, nor a dry run, nor one given --yes
    crm.cli("contacts", "bulk-update", ids["Ada Lovelace"], ids["Alan Turing"], "--add-tag", "a", input="")
    crm.cli("contacts", "bulk-update", "--where", "tag=conf", "--add-tag", "b", "--dry-run", input="")
    yes = crm.cli("contacts", "bulk-update", "--where", "tag=conf", "--add-tag", "b", "--yes", input="")
    assert "Change" not in yes.stderr and "updated 7 contacts" in yes.stdout
    # an undo of more than a handful asks too
    bid = undo_id(yes.stdout)
    asked = crm.cli("contacts", "bulk-undo", bid, input="n\n", ok=False)
    assert f"Undo bulk update {bid} (7 contacts)?" in asked.stderr
    # a script (no terminal) is asked nothing, as before
    monkeypatch.setattr(_output, "at_terminal", lambda: False)
    said = crm.cli("contacts", "bulk-update", "--where", "tag=conf", "--priority", "low").stdout
    assert "updated 6 of 7 contacts selected" in said
    assert "undid bulk update" in crm.cli("contacts", "bulk-undo", undo_id(said)).stdout


def test_the_api_journals_a_bulk_update_and_takes_it_back_with_the_suggestions_archiving_dismissed(
    api: Any, demo: dict[str, Any]
) -> None:
    ok(api.post(f"{V}/suggestions/generate"))
    pending = ok(api.get(f"{V}/suggestions"))["data"]
    who = list(dict.fromkeys(s["contact"]["id"] for s in pending))[:2]
    assert len(who) == 2, pending
    before = {c: ok(api.get(f"{V}/contacts/{c}"))["data"] for c in who}
    r = ok(api.post(f"{V}/contacts/bulk-update", json={"contact_ids": who, "priority_level": "archived"}))
    bid = r["data"]["bulk_update_id"]
    assert r["meta"]["suggestions_dismissed"] >= 2 and r["meta"]["changed"] == 2
    left = {s["contact"]["id"] for s in ok(api.get(f"{V}/suggestions"))["data"]}
    assert not left & set(who)
    dry = ok(api.post(f"{V}/contacts/bulk-updates/{bid}/undo", params={"dry_run": "true"}))
    assert dry["data"]["restored"] == 2 and dry["meta"]["dry_run"] is True
    assert ok(api.get(f"{V}/contacts/{who[0]}"))["data"]["priority_level"] == "archived"
    done = ok(api.post(f"{V}/contacts/bulk-updates/{bid}/undo"))
    assert done["data"]["restored"] == 2 and done["data"]["kept"] == [] and done["data"]["gone"] == 0
    assert done["meta"]["suggestions_reopened"] == r["meta"]["suggestions_dismissed"]
    for c in who:
        now = ok(api.get(f"{V}/contacts/{c}"))["data"]
        assert (now["priority_level"], now["tags"]) == (before[c]["priority_level"], before[c]["tags"])
    back = {s["contact"]["id"] for s in ok(api.get(f"{V}/suggestions"))["data"]}
    assert set(who) <= back
    assert_error(api.post(f"{V}/contacts/bulk-updates/{bid}/undo"), "conflict", 409)
    assert_error(api.post(f"{V}/contacts/bulk-updates/ffffffff/undo"), "not_found", 404)
