"""An undone bulk update leaves no trace in the edit journal [bulk-undo] [hand-edits]: `pcrm contacts
bulk-undo ID` put the values back but the journal kept what the update typed as the user's, so a later
`pcrm import undo` of the batch that made those contacts kept them as "edited since" and kept the update's
values as typed by hand; and the organization it made for its company stayed. After an undo, imports and
their undos behave as on a store never bulk-updated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.crm import NOW

FIRST = (
    "name,email,company,title,tags,priority\n"
    "Ada Lovelace,ada@example.com,Analytical,Countess,math;poetry,medium\n"
    "Alan Turing,alan@example.com,Bletchley,Cryptanalyst,math,low\n"
    "Grace Hopper,grace@example.com,Navy,Admiral,cobol,high\n"
)
SECOND = (
    "name,email,company,title,tags,priority\n"
    "Ada Lovelace,ada@example.com,Babbage Co,Mathematician,engines,high\n"
    "Alan Turing,alan@example.com,Initech,Professor,vip,medium\n"
    "Grace Hopper,grace@example.com,Remington,Rear Admiral,compilers,low\n"
)
_HEX = re.compile(r"\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b[0-9a-f]{8}\b")


def _history(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, bulk: list[str] | None) -> Any:
    """A store of its own: the first file imported, then (`bulk`) a bulk update taken back at once, then the
    second file imported and both imports undone, newest first. What each step said and left."""
    home = tmp_path / ("bulk" if bulk else "plain")
    monkeypatch.setenv("PCRM_HOME", str(home))
    monkeypatch.setenv("PCRM_NOW", NOW)
    cli("init")
    for name, text in (("first.csv", FIRST), ("second.csv", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    said: list[str] = []
    cli("import", str(tmp_path / "first.csv"))
    if bulk:
        bid = cli.json("contacts", "bulk-update", "--where", "tag=math", *bulk)["data"]["bulk_update_id"]
        cli("contacts", "bulk-undo", bid)
    said.append(cli("import", str(tmp_path / "second.csv")).stdout)
    said.append(cli("contacts", "show", "Alan Turing").stdout)
    said.append(cli("orgs", "list", "--all").stdout)  # none left that the bulk update made
    for batch in cli.json("import", "history")["data"]:
        done = cli("import", "undo", batch["id"], "--yes")
        said.append(done.stdout + done.stderr)
    said.append(cli("contacts", "list").stdout)
    return [_HEX.sub("ID", s) for s in said]


@pytest.mark.parametrize(
    "bulk",
    [
        ["--add-tag", "vip", "--priority", "high", "--company", "Initech"],
        ["--remove-tag", "math", "--company", ""],
    ],
    ids=["typed", "removed"],
)
def test_an_undone_bulk_update_leaves_imports_and_their_undos_as_if_it_never_was(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: list[str]
) -> None:
    plain = _history(cli, tmp_path, monkeypatch, bulk=None)
    undone = _history(cli, tmp_path, monkeypatch, bulk=bulk)
    assert "removed 3 contacts" in plain[-2], plain
    assert undone == plain


def test_an_undo_keeps_what_was_typed_by_hand_after_the_bulk_update(crm: Any, tmp_path: Path) -> None:
    """The journal row the update wrote to also holds a later edit by hand: the undo takes the update's
    values out of it and leaves the edit's."""
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    crm.cli("import", str(tmp_path / "first.csv"))
    bid = crm.cli.json("contacts", "bulk-update", "--where", "tag=math", "--add-tag", "vip")["data"][
        "bulk_update_id"
    ]
    crm.cli("contacts", "edit", "Ada Lovelace", "--title", "Countess of Lovelace")
    crm.cli("contacts", "bulk-undo", bid)
    journal = dict(
        crm.sql("SELECT c.full_name, j.typed FROM edit_journal j JOIN contacts c ON c.uuid = j.contact_uuid")
    )
    assert journal == {"Ada Lovelace": '{"fields":["title"]}'}


# ------------------------------------------------------------------ listing [bulk-undo]


def test_bulk_updates_lists_each_change_newest_first_with_its_count_and_whether_it_was_undone(
    crm: Any,
) -> None:
    """`pcrm contacts bulk-updates`: past bulk updates could not be listed, so an id lost from the
    terminal could not be undone."""
    assert "no bulk updates yet" in crm.cli("contacts", "bulk-updates").stderr
    for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"):
        crm.add(name, "--tag", "conf")
    first = crm.cli.json("contacts", "bulk-update", "--where", "tag=conf", "--priority", "low")["data"]
    second = crm.cli.json("contacts", "bulk-update", "Ada Lovelace", "--add-tag", "vip", "--company", "")
    crm.cli("contacts", "bulk-undo", first["bulk_update_id"])
    body = crm.cli.json("contacts", "bulk-updates")
    assert [(b["id"], b["what"], b["contacts"], b["undone"]) for b in body["data"]] == [
        (second["data"]["bulk_update_id"], "add tag 'vip'; clear company", 1, False),
        (first["bulk_update_id"], "priority low", 3, True),
    ]
    assert body["data"][0]["undo"] == second["meta"]["undo"] and body["data"][1]["undo"] is None
    assert body["meta"] == {"total": 2, "limit": 20}
    assert [b["id"] for b in crm.cli.json("contacts", "bulk-updates", "--limit", "1")["data"]] == [
        second["data"]["bulk_update_id"]
    ]
    lines = crm.cli("contacts", "bulk-updates").stdout.splitlines()
    assert lines[0].split("\t")[2:] == ["add tag 'vip'; clear company", "1", "no"], lines
    assert lines[1].split("\t")[2:] == ["priority low", "3", "2026-06-15 12:00"], lines


def test_the_api_lists_bulk_updates_behind_the_token_without_taking_the_contact_route(
    api: Any, demo: dict[str, Any]
) -> None:
    from tests.support.api import V, assert_error, ok

    who = ok(api.get(f"{V}/contacts/ids"))["data"][:2]
    made = ok(api.post(f"{V}/contacts/bulk-update", json={"contact_ids": who, "add_tags": ["listed"]}))
    listed = ok(api.get(f"{V}/contacts/bulk-updates"))
    assert listed["data"][0]["id"] == made["data"]["bulk_update_id"]
    assert (listed["data"][0]["kind"], listed["data"][0]["contacts"]) == ("bulk-update", 2)
    assert listed["meta"]["total"] >= 1
    assert_error(api.get(f"{V}/contacts/bulk-updates", params={"limit": "0"}), "validation_error", 422)
    assert ok(api.get(f"{V}/contacts/{who[0]}"))["data"]["id"] == who[0]
    token = api.headers.pop("Authorization")
    try:
        assert api.get(f"{V}/contacts/bulk-updates").status_code == 401
    finally:
        api.headers["Authorization"] = token


def test_an_undo_takes_back_the_domain_the_bulk_update_gave_an_organization(crm: Any) -> None:
    """`--company Initech` linked Ada to the organization Initech and gave it her work email's domain: the
    undo left the domain, so later contacts at initech.example joined Initech as on no untouched store."""
    crm.add("Ada Lovelace", "--email", "ada@initech.example")
    crm.cli("orgs", "add", "Initech")
    before = crm.sql("SELECT uuid, name, domain, updated_at FROM organizations")
    bid = crm.cli.json("contacts", "bulk-update", "Ada Lovelace", "--company", "Initech")["data"][
        "bulk_update_id"
    ]
    assert crm.sql("SELECT domain FROM organizations") == [("initech.example",)]
    crm.cli("contacts", "bulk-undo", bid)
    assert crm.sql("SELECT uuid, name, domain, updated_at FROM organizations") == before


def test_an_update_undone_before_a_later_one_is_undone_again_once_that_one_is(
    crm: Any, tmp_path: Path
) -> None:
    """Two bulk updates on the same contacts, undone oldest first: the first undo leaves them alone (the
    second changed their tags since) and used to mark the first update undone all the same, so once the
    second was undone nothing could take the first one's tag and priority back ('already undone'). The
    first stays open for those left alone and undoes them then."""
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    crm.cli("import", str(tmp_path / "first.csv"))
    first = crm.cli.json(
        "contacts", "bulk-update", "--where", "tag=math", "--add-tag", "xa", "--priority", "high"
    )
    second = crm.cli.json("contacts", "bulk-update", "Ada Lovelace", "--add-tag", "yb")
    a, b = first["data"]["bulk_update_id"], second["data"]["bulk_update_id"]
    early = crm.cli("contacts", "bulk-undo", a)
    assert "put back 1 contact; 1 contact edited since, left as it is" in early.stdout
    assert f"undo them with: pcrm contacts bulk-undo {a[:8]}" in early.stderr
    assert crm.cli.json("contacts", "bulk-undo", b, "--dry-run")["data"]["restored"] == 1
    listed = {u["id"]: u for u in crm.cli.json("contacts", "bulk-updates")["data"]}
    assert (listed[a]["undone"], listed[a]["contacts"]) == (False, 2)  # how many it changed in all
    crm.cli("contacts", "bulk-undo", b)
    again = crm.cli.json("contacts", "bulk-undo", a)
    assert (again["data"]["restored"], again["data"]["kept"]) == (1, [])
    assert "undo" not in again["meta"]
    for name, tags, priority in (
        ("Ada Lovelace", ["math", "poetry"], "medium"),
        ("Alan Turing", ["math"], "low"),
    ):
        shown = crm.cli.json("contacts", "show", name)["data"]
        assert (shown["tags"], shown["priority_level"]) == (tags, priority)
    assert crm.cli("contacts", "bulk-undo", a, ok=False).stderr.count("already undone") == 1


def test_a_contact_merged_away_before_the_undo_is_undone_after_its_unmerge(crm: Any) -> None:
    """A bulk update's undo while one of its contacts was merged into another counted it 'no longer there'
    and marked the update undone: once `pcrm contacts unmerge` brought the contact back, it kept the
    update's tag and priority for good ('already undone'). The update stays open for it."""
    crm.add("Ada Lovelace", "--email", "ada@example.com", "--tag", "math")
    crm.add("Ada King", "--email", "ada.king@example.com", "--tag", "math")
    bid = crm.cli.json(
        "contacts", "bulk-update", "--where", "tag=math", "--add-tag", "vip", "--priority", "high"
    )["data"]["bulk_update_id"]
    merge = crm.cli.json("contacts", "merge", "ada@example.com", "ada.king@example.com")["data"]["merge_id"]
    first = crm.cli.json("contacts", "bulk-undo", bid)
    assert (first["data"]["restored"], first["data"]["gone"]) == (1, 1)
    assert first["meta"]["undo"] == f"pcrm contacts bulk-undo {bid[:8]}"
    crm.cli("contacts", "unmerge", merge)
    again = crm.cli.json("contacts", "bulk-undo", bid)
    assert (again["data"]["restored"], again["data"]["gone"], "undo" in again["meta"]) == (1, 0, False)
    for email in ("ada@example.com", "ada.king@example.com"):
        shown = crm.cli.json("contacts", "show", email)["data"]
        assert (shown["tags"], shown["priority_level"]) == (["math"], "medium"), email
