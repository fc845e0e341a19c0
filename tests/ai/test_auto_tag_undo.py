"""AI tagging of one contact can be taken back [bulk-undo]: `pcrm contacts auto-tag X` (and POST
/contacts/{id}/auto-tag) added the model's tags with no way back, while `pcrm tags apply` over many could be
undone. It is journalled as AI tagging is: its answer says its undo (the CLI's `undo with:` line,
data.bulk_update_id, meta.undo), `pcrm contacts bulk-updates` lists it, and `pcrm contacts bulk-undo ID`
takes the tags off, the contact's updated_at back as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm.services.ai import taxonomy
from pcrm.services.context import open_context
from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture
from tests.support.undo import undo_id


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Scripted]:
    yield from scripted_fixture(monkeypatch, tmp_path)


def _ada(cli: Any) -> dict[str, Any]:
    ada = cli.json("contacts", "add", "--name", "Ada Lovelace", "--title", "Engineer", "--tag", "friend")[
        "data"
    ]
    cli("settings", "set", "ai.model", MODEL_ID)
    with open_context() as ctx:
        taxonomy.put_taxonomy(
            ctx, {"categories": {"Role": ["Engineer"], "Geography": ["London"]}, "status": "approved"}
        )
    return dict(ada)


def test_auto_tag_says_its_undo_and_the_undo_takes_the_tags_off(
    cli: Any, scripted: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = _ada(cli)
    was = cli.json("contacts", "show", ada["id"])["data"]
    scripted.reply = lambda p: json.dumps({"tags": ["engineer", "london"]})
    monkeypatch.setenv("PCRM_NOW", "2030-01-02T09:00:00.000Z")
    said = cli("contacts", "auto-tag", "Ada Lovelace").stdout
    assert "added: engineer, london" in said, said
    bid = undo_id(said)
    listed = cli.json("contacts", "bulk-updates")["data"][0]
    assert listed["id"].startswith(bid) and listed["kind"] == "auto-tag" and listed["contacts"] == 1
    assert listed["what"] == "AI tagging of one contact (pcrm contacts auto-tag)"
    monkeypatch.setenv("PCRM_NOW", "2030-01-03T09:00:00.000Z")
    assert "put back 1 contact" in cli("contacts", "bulk-undo", bid).stdout
    now = cli.json("contacts", "show", ada["id"])["data"]
    assert (now["tags"], now["updated_at"]) == (["friend"], was["updated_at"])


def test_the_api_auto_tag_names_its_undo(cli: Any, empty_api: Any, scripted: Scripted) -> None:
    ada = _ada(cli)
    scripted.reply = lambda p: json.dumps({"tags": ["london"]})
    r = empty_api.post(f"/api/v1/contacts/{ada['id']}/auto-tag")
    assert r.status_code == 200, r.text
    bid = r.json()["data"]["bulk_update_id"]
    assert r.json()["meta"]["undo"] == f"pcrm contacts bulk-undo {bid[:8]}"
    done = empty_api.post(f"/api/v1/contacts/bulk-updates/{bid}/undo").json()
    assert done["data"]["restored"] == 1
    assert empty_api.get(f"/api/v1/contacts/{ada['id']}").json()["data"]["tags"] == ["friend"]
    # nothing new to add: nothing journalled, no undo said
    scripted.reply = lambda p: json.dumps({"tags": []})
    r = empty_api.post(f"/api/v1/contacts/{ada['id']}/auto-tag")
    assert r.json()["data"]["bulk_update_id"] is None and "undo" not in r.json()["meta"]
