"""The wired contact and interaction operations: same service, same bytes as the CLI's --json, and
responses that match the published schemas."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error

pytestmark = pytest.mark.anyio


def _check(model: Any, data: Any) -> None:
    from pydantic import TypeAdapter

    TypeAdapter(model).validate_python(data)


async def test_contact_crud_over_the_api(client: Any, script: dict[str, str]) -> None:
    from pcrm.api import schemas as s

    r = await client.post(
        "/api/v1/contacts",
        headers=script,
        json={
            "full_name": "Ada Lovelace",
            "emails": ["ADA@Analytical.io"],
            "tags": ["Math", "math"],
            "company": "Analytical Engines",
            "priority_level": "high",
            "twitter_handle": "@ada",
        },
    )
    assert r.status_code == 201, r.text
    ada = r.json()["data"]
    _check(s.Contact, ada)
    assert (
        ada["emails"] == ["ada@analytical.io"] and ada["tags"] == ["math"] and ada["twitter_handle"] == "ada"
    )

    r = await client.put(
        f"/api/v1/contacts/{ada['id']}", headers=script, json={"title": "Countess", "company": None}
    )
    assert r.status_code == 200
    updated = r.json()["data"]
    _check(s.Contact, updated)
    assert updated["title"] == "Countess" and updated["company"] is None
    assert "title" in updated["user_edited_fields"]

    r = await client.get("/api/v1/contacts", headers=script, params={"search": "lovelace", "page_size": 5})
    assert r.status_code == 200
    _check(list[s.Contact], r.json()["data"])
    _check(s.PageMeta, r.json()["meta"])
    assert [c["id"] for c in r.json()["data"]] == [ada["id"]]
    assert r.json()["meta"] == {"page": 1, "page_size": 5, "total": 1, "total_pages": 1}

    r = await client.get("/api/v1/contacts/ids", headers=script, params={"tag": "math"})
    assert r.json() == {"data": [ada["id"]], "error": None, "meta": {"total": 1}}
    r = await client.get("/api/v1/contacts/tags", headers=script)
    assert r.json()["data"] == ["math"]
    _check(s.TagsMeta, r.json()["meta"])

    r = await client.delete(f"/api/v1/contacts/{ada['id']}", headers=script)
    assert r.json()["data"] == {"id": ada["id"], "deleted": True}
    assert_error(await client.get(f"/api/v1/contacts/{ada['id']}", headers=script), "not_found", 404)


async def test_interactions_over_the_api(client: Any, script: dict[str, str]) -> None:
    from pcrm.api import schemas as s

    ada = (await client.post("/api/v1/contacts", headers=script, json={"full_name": "Ada"})).json()["data"]
    base = f"/api/v1/contacts/{ada['id']}/interactions"
    r = await client.post(
        base, headers=script, json={"content_preview": "lunch", "occurred_at": "2026-01-05T12:00:00Z"}
    )
    assert r.status_code == 201, r.text
    note = r.json()["data"]
    _check(s.Interaction, note)
    assert note["platform"] == "manual" and note["direction"] == "note"
    email = (
        await client.post(
            base, headers=script, json={"platform": "email", "direction": "inbound", "content_preview": "hi"}
        )
    ).json()["data"]
    r = await client.get(base, headers=script, params={"limit": 1})
    _check(list[s.Interaction], r.json()["data"])
    assert r.json()["meta"] == {"total": 2, "limit": 1, "offset": 0}
    r = await client.patch(f"{base}/{note['id']}", headers=script, json={"content_preview": "long lunch"})
    assert r.json()["data"]["content_preview"] == "long lunch"
    assert_error(
        await client.patch(f"{base}/{email['id']}", headers=script, json={"content_preview": "x"}),
        "forbidden",
        403,
    )
    r = await client.delete(f"{base}/{note['id']}", headers=script)
    assert r.json()["data"] == {"id": note["id"], "deleted": True}
    assert_error(
        await client.get(f"/api/v1/contacts/{ada['id']}/interactions?limit=0", headers=script),
        "validation_error",
        422,
    )


async def test_api_bytes_equal_cli_json(client: Any, script: dict[str, str], cli: Any) -> None:
    """[canonical-json]: the same data gives the same bytes from `--json` and the API."""
    cli(
        "contacts",
        "add",
        "--name",
        "Grace Hopper",
        "--email",
        "grace@navy.mil",
        "--tag",
        "cobol",
        "--priority",
        "high",
    )
    cli("note", "add", "grace", "compilers", "--at", "2025-01-02")
    ident = cli.json("contacts", "show", "grace")["data"]["id"]
    pairs = [
        (["contacts", "show", ident, "--json"], f"/api/v1/contacts/{ident}"),
        (["contacts", "list", "--search", "grace", "--json"], "/api/v1/contacts?search=grace"),
        (["contacts", "ids", "--tag", "cobol", "--json"], "/api/v1/contacts/ids?tag=cobol"),
        (["contacts", "overdue", "--json"], "/api/v1/contacts/overdue"),
        (["tags", "list", "--json"], "/api/v1/contacts/tags"),
        (["interactions", "list", ident, "--json"], f"/api/v1/contacts/{ident}/interactions"),
        (["mcp-key", "status", "--json"], "/api/v1/settings/mcp-key"),
    ]
    for args, url in pairs:
        out = cli(*args).stdout_bytes.rstrip(b"\n")
        r = await client.get(url, headers=script)
        assert r.status_code == 200, (url, r.text)
        assert r.content == out, url


async def test_mcp_key_routes(client: Any, script: dict[str, str]) -> None:
    from pcrm.services import tokens
    from tests.support.api import ctx

    r = await client.get("/api/v1/settings/mcp-key", headers=script)
    assert r.json()["data"]["has_key"] is False
    key = (await client.post("/api/v1/settings/mcp-key", headers=script)).json()["data"]["key"]
    assert key.startswith("pcrm_mcp_") and len(key) == len("pcrm_mcp_") + 43
    with ctx() as c:
        assert tokens.verify_mcp_key(c, key)
        # stored hashed only
        assert (
            c.conn.execute("SELECT count(*) FROM api_tokens WHERE token_hash = ?", (key,)).fetchone()[0] == 0
        )
    second = (await client.post("/api/v1/settings/mcp-key", headers=script)).json()["data"]["key"]
    with ctx() as c:
        assert not tokens.verify_mcp_key(c, key) and tokens.verify_mcp_key(c, second)
    assert (await client.get("/api/v1/settings/mcp-key", headers=script)).json()["data"]["has_key"] is True
    r = await client.delete("/api/v1/settings/mcp-key", headers=script)
    assert r.json()["data"] == {"revoked": True}
    with ctx() as c:
        assert not tokens.verify_mcp_key(c, second)
    assert (await client.delete("/api/v1/settings/mcp-key", headers=script)).json()["data"] == {
        "revoked": False
    }
    # the MCP key is not an API token
    assert_error(
        await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {second}"}),
        "unauthorized",
        401,
    )
