"""Adding a contact with the name of one the store has is said, never refused [namesakes]: the CLI notes the
namesakes and the merge to run, the API's `meta.namesakes` lists them; emails stay the refusing key."""

from __future__ import annotations

from typing import Any

import pytest


def test_the_cli_says_who_else_has_the_name(cli: Any) -> None:
    first = cli.json("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@one.test")
    assert first["meta"].get("namesakes") is None
    got = cli("contacts", "add", "--name", "ada  LOVELACE", "--email", "ada@two.test")
    assert got.stdout.startswith("added ")
    old = first["data"]["id"][:8]
    assert "1 other contact already named" in got.stderr and f"({old})" in got.stderr, got.stderr
    assert f"pcrm contacts merge {old} " in got.stderr
    body = cli.json("contacts", "add", "--name", "Ada Lovelace")
    ids = [n["id"] for n in body["meta"]["namesakes"]]
    assert len(ids) == 2 and ids[0] == first["data"]["id"]
    assert len(cli.json("contacts", "list", "--search", "lovelace")["data"]) == 3  # all three made
    # another name: nothing said
    other = cli("contacts", "add", "--name", "Grace Hopper")
    assert "already named" not in other.stderr


@pytest.mark.anyio
async def test_the_api_lists_them_in_meta(client: Any, script: dict[str, str]) -> None:
    first = await client.post("/api/v1/contacts", headers=script, json={"full_name": "Grace Hopper"})
    assert first.status_code == 201 and "namesakes" not in first.json()["meta"]
    r = await client.post("/api/v1/contacts", headers=script, json={"full_name": "Grace Hopper"})
    assert r.status_code == 201, r.text
    assert r.json()["meta"]["namesakes"] == [{"id": first.json()["data"]["id"], "full_name": "Grace Hopper"}]
    r = await client.post("/api/v1/contacts", headers=script, json={"full_name": "Alan Turing"})
    assert r.status_code == 201 and "namesakes" not in r.json()["meta"]
