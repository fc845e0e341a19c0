"""AI tagging can be taken back [bulk-undo] [ai-taxonomy]: `pcrm tags apply` (and POST /contacts/tags/apply)
added the model's tags to hundreds of contacts with no way back. Each run is journalled as a bulk update:
its answer names it (data.bulk_update_id, meta.undo, the CLI's `undo with:` line; a background run's
`tagging` notification), `pcrm contacts bulk-updates` lists it, and `pcrm contacts bulk-undo ID` takes the
tags off again, a contact tagged by hand since left alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.services.ai import taxonomy
from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Scripted]:
    yield from scripted_fixture(monkeypatch, tmp_path)


def _reply(p: str) -> str:
    data = p.split("<contact-data-", 1)[1].lower()
    return json.dumps({"tags": [t for t in ("engineer", "london") if t in data]})


def _people(cli: Any) -> None:
    cli(
        "contacts",
        "add",
        "--name",
        "Ada Lovelace",
        "--title",
        "Engineer",
        "--tag",
        "friend",
        "--tag",
        "maths",
    )
    cli("contacts", "add", "--name", "Bob Baker", "--title", "Engineer", "--location", "London")
    cli("contacts", "add", "--name", "Cy Young", "--title", "Baker")
    cli("settings", "set", "ai.model", MODEL_ID)
    body = {"categories": {"Role": ["Engineer"], "Geography": ["London"]}, "status": "approved"}
    from pcrm.services.context import open_context

    with open_context() as ctx:
        taxonomy.put_taxonomy(ctx, body)


def _tags(cli: Any) -> dict[str, list[str]]:
    return {c["full_name"]: c["tags"] for c in cli.json("contacts", "list")["data"]}


def test_tags_apply_says_its_undo_and_the_undo_takes_the_tags_off(cli: Any, scripted: Scripted) -> None:
    _people(cli)
    scripted.reply = _reply
    before = _tags(cli)
    said = cli("tags", "apply").stdout
    assert said.startswith("tagged 2 contacts (0 already tagged, 0 failed)\n"), said
    undo = said.splitlines()[-1]
    assert undo.startswith("undo with: pcrm contacts bulk-undo "), said
    assert _tags(cli)["Ada Lovelace"] == ["friend", "maths", "engineer"]
    listed = cli.json("contacts", "bulk-updates")["data"]
    assert [(b["kind"], b["what"], b["contacts"], b["undone"]) for b in listed] == [
        ("tags-apply", "AI tagging (pcrm tags apply)", 2, False)
    ]
    done = cli("contacts", "bulk-undo", undo.rsplit(" ", 1)[1]).stdout
    assert done.startswith(f"undid bulk update {listed[0]['id'][:8]}: put back 2 contacts"), done
    assert _tags(cli) == before
    assert cli.json("contacts", "bulk-updates")["data"][0]["undone"] is True


def test_the_json_answer_names_the_run_and_a_contact_tagged_since_is_left_alone(
    cli: Any, scripted: Scripted
) -> None:
    _people(cli)
    scripted.reply = _reply
    body = cli.json("tags", "apply")
    bid = body["data"]["bulk_update_id"]
    assert body["meta"]["undo"] == f"pcrm contacts bulk-undo {bid[:8]}"
    cli("contacts", "tag", "Bob Baker", "manager")
    undone = cli.json("contacts", "bulk-undo", bid)["data"]
    assert [c["full_name"] for c in undone["contacts"]] == ["Ada Lovelace"]
    assert [k["full_name"] for k in undone["kept"]] == ["Bob Baker"]
    assert _tags(cli)["Bob Baker"] == ["engineer", "london", "manager"]
    assert _tags(cli)["Ada Lovelace"] == ["friend", "maths"]


def test_an_apply_that_tags_nobody_journals_nothing(cli: Any, scripted: Scripted) -> None:
    _people(cli)
    scripted.reply = lambda p: json.dumps({"tags": []})
    body = cli.json("tags", "apply")
    assert "bulk_update_id" not in body["data"] and "undo" not in body["meta"]
    assert "undo with" not in cli("tags", "apply").stdout
    assert cli.json("contacts", "bulk-updates")["data"] == []


def test_the_api_apply_inline_and_in_the_background_can_be_undone(
    cli: Any, empty_api: Any, scripted: Scripted
) -> None:
    _people(cli)
    scripted.reply = _reply
    r = empty_api.post("/api/v1/contacts/tags/apply", json={})
    assert r.status_code == 200, r.text
    bid = r.json()["data"]["bulk_update_id"]
    assert r.json()["meta"]["undo"] == f"pcrm contacts bulk-undo {bid[:8]}"
    assert empty_api.post(f"/api/v1/contacts/bulk-updates/{bid}/undo").json()["data"]["restored"] == 2
    # beyond 20 contacts the run goes to the background: its notification says the undo
    for i in range(taxonomy.INLINE_MAX + 1):
        empty_api.post("/api/v1/contacts", json={"full_name": f"Engineer {i}", "title": "Engineer"})
    task = empty_api.post("/api/v1/contacts/tags/apply", json={}).json()["data"]["task_id"]
    taxonomy.wait(task, 10)
    notes = [
        n for n in cli.json("notifications", "list", "--all")["data"] if n["notification_type"] == "tagging"
    ]
    newest = max(notes, key=lambda n: n["created_at"] + n["id"])["body"]
    listed = cli.json("contacts", "bulk-updates")["data"][0]
    assert (listed["kind"], listed["contacts"]) == ("tags-apply", 23)
    assert f"Undo with: pcrm contacts bulk-undo {listed['id'][:8]}" in " ".join(n["body"] for n in notes), (
        newest
    )
    cli("contacts", "bulk-undo", listed["id"], "--yes")
    assert all(
        not c["tags"] or c["full_name"] == "Ada Lovelace"
        for c in cli.json("contacts", "list", "--all")["data"]
    )


def test_a_run_undone_while_it_goes_on_journals_the_rest_apart(cli: Any, scripted: Scripted) -> None:
    """Each batch of 50 is written in its own transaction, so an undo can come between two: the batches
    after it must not go into the entry already undone (no undo would reach them), but into a new one."""
    from pcrm.services import bulk
    from pcrm.services.context import open_context

    for i in range(taxonomy.BATCH + 1):
        cli("contacts", "add", "--name", f"Engineer {i:02d}", "--title", "Engineer")
    cli("settings", "set", "ai.model", MODEL_ID)
    with open_context() as ctx:
        taxonomy.put_taxonomy(ctx, {"categories": {"Role": ["Engineer"]}, "status": "approved"})
    undone: list[str] = []

    def reply(p: str) -> str:
        if "Engineer 50" in p and not undone:  # the second batch is asked: the first one is written
            with open_context() as ctx:
                first = bulk.list_updates(ctx).data[0]["id"]
                bulk.undo(ctx, first)
            undone.append(first)
        return _reply(p)

    scripted.reply = reply
    body = cli.json("tags", "apply")
    listed = cli.json("contacts", "bulk-updates")["data"]
    assert [(b["id"], b["contacts"], b["undone"]) for b in listed] == [
        (body["data"]["bulk_update_id"], 1, False),
        (undone[0], taxonomy.BATCH, True),
    ]
    cli("contacts", "bulk-undo", body["data"]["bulk_update_id"])
    assert not any(c["tags"] for c in cli.json("contacts", "list", "--all")["data"])


def test_a_run_partly_undone_while_it_goes_on_keeps_counting_what_it_tags(
    cli: Any, scripted: Scripted
) -> None:
    """An undo between two batches that leaves a contact alone (tagged by hand since) keeps the run's entry
    open for it; the later batches go into that entry, which the list counts them in, and its next undo takes
    their tags off."""
    from pcrm.services import bulk
    from pcrm.services.context import open_context

    for i in range(taxonomy.BATCH + 1):
        cli("contacts", "add", "--name", f"Engineer {i:02d}", "--title", "Engineer")
    cli("settings", "set", "ai.model", MODEL_ID)
    with open_context() as ctx:
        taxonomy.put_taxonomy(ctx, {"categories": {"Role": ["Engineer"]}, "status": "approved"})
    undone: list[dict[str, Any]] = []

    def reply(p: str) -> str:
        if "Engineer 50" in p and not undone:  # the second batch is asked: the first one is written
            with open_context() as ctx:
                first = bulk.list_updates(ctx).data[0]["id"]
                bulk.bulk_update(ctx, {"add_tags": ["mine"]}, filters={"search": "Engineer 00"})
                undone.append(bulk.undo(ctx, first).data)
        return _reply(p)

    scripted.reply = reply
    body = cli.json("tags", "apply")
    first = undone[0]["bulk_update_id"]
    assert (undone[0]["restored"], len(undone[0]["kept"])) == (taxonomy.BATCH - 1, 1)
    assert body["data"]["bulk_update_id"] == first
    listed = {b["id"]: b for b in cli.json("contacts", "bulk-updates")["data"]}
    assert (listed[first]["contacts"], listed[first]["undone"]) == (taxonomy.BATCH + 1, False)
    again = cli.json("contacts", "bulk-undo", first)["data"]
    assert ([c["full_name"] for c in again["contacts"]], len(again["kept"])) == (["Engineer 50"], 1)
