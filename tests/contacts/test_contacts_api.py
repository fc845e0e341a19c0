"""The contact operations over the API: same service, same bytes as the CLI's --json, and responses that
match the published schemas."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error, check_model

pytestmark = pytest.mark.anyio


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
    check_model(s.Contact, ada)
    assert (
        ada["emails"] == ["ada@analytical.io"] and ada["tags"] == ["math"] and ada["twitter_handle"] == "ada"
    )

    r = await client.put(
        f"/api/v1/contacts/{ada['id']}", headers=script, json={"title": "Countess", "company": None}
    )
    assert r.status_code == 200
    updated = r.json()["data"]
    check_model(s.Contact, updated)
    assert updated["title"] == "Countess" and updated["company"] is None
    assert "title" in updated["user_edited_fields"]

    r = await client.get("/api/v1/contacts", headers=script, params={"search": "lovelace", "page_size": 5})
    assert r.status_code == 200
    check_model(list[s.Contact], r.json()["data"])
    check_model(s.ContactPageMeta, r.json()["meta"])
    assert [c["id"] for c in r.json()["data"]] == [ada["id"]]
    assert r.json()["meta"] == {
        "page": 1,
        "page_size": 5,
        "total": 1,
        "total_pages": 1,
        "total_is_estimate": False,
        "has_more": False,
    }

    r = await client.get("/api/v1/contacts/ids", headers=script, params={"tag": "math"})
    assert r.json() == {"data": [ada["id"]], "error": None, "meta": {"total": 1}}
    r = await client.get("/api/v1/contacts/tags", headers=script)
    assert r.json()["data"] == ["math"]
    check_model(s.TagsMeta, r.json()["meta"])

    r = await client.delete(f"/api/v1/contacts/{ada['id']}", headers=script)
    assert r.json()["data"] == {
        "id": ada["id"],
        "deleted": True,
        "merged_contacts": [],
        "organization_removed": None,
    }
    assert_error(await client.get(f"/api/v1/contacts/{ada['id']}", headers=script), "not_found", 404)


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


async def test_a_phone_search_finds_the_number_in_another_written_form(
    client: Any, script: dict[str, str]
) -> None:
    """[contact-search]: the API and `contacts ids` (select-all) find a number however the term writes it."""
    r = await client.post(
        "/api/v1/contacts", headers=script, json={"full_name": "Ada Lovelace", "phones": ["+44 20 7946 0958"]}
    )
    ada = r.json()["data"]["id"]
    for term in ("020-7946-0958", "0044 (20) 7946 0958"):
        r = await client.get("/api/v1/contacts", headers=script, params={"search": term})
        assert [c["id"] for c in r.json()["data"]] == [ada], term
        assert r.json()["meta"]["total"] == 1
        r = await client.get("/api/v1/contacts/ids", headers=script, params={"search": term})
        assert r.json()["data"] == [ada], term
