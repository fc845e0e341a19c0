"""A contact's company and its organization never disagree [company-orgs]: `PUT /api/v1/contacts/{id}
{"company": "Hooli", "organization_id": <Globex's id>}` stored the company Hooli linked to Globex, which the
organization's page listed and the contact's company denied."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import fields, ok

pytestmark = pytest.mark.anyio


async def _setup(client: Any, script: dict[str, str]) -> dict[str, Any]:
    async def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        return ok(await client.post(url, headers=script, json=body), 201)["data"]

    globex = await post("/api/v1/organizations", {"name": "Globex"})
    ada = await post("/api/v1/contacts", {"full_name": "Ada", "company": "Hooli"})
    return {"globex": globex, "ada": ada}


async def _rows(client: Any, script: dict[str, str]) -> Any:
    return ok(await client.get("/api/v1/contacts", headers=script, params={"include_archived": "true"}))[
        "data"
    ]


async def test_a_company_naming_another_organization_than_the_one_given_is_refused(
    client: Any, script: dict[str, str]
) -> None:
    made = await _setup(client, script)
    url = f"/api/v1/contacts/{made['ada']['id']}"
    before = await _rows(client, script)
    for body in (
        {"company": "Hooli", "organization_id": made["globex"]["id"]},
        {"company": None, "organization_id": made["globex"]["id"]},
    ):
        r = await client.put(url, headers=script, json=body)
        assert sorted(fields(r)) == ["company", "organization_id"]
        assert "Globex" in r.json()["error"]["hint"]
        assert await _rows(client, script) == before  # nothing changed
    create = {"full_name": "Bob", "company": "Hooli", "organization_id": made["globex"]["id"]}
    r = await client.post("/api/v1/contacts", headers=script, json=create)
    assert sorted(fields(r)) == ["company", "organization_id"]
    assert await _rows(client, script) == before


async def test_an_organization_given_alone_or_with_its_name_links_and_agrees(
    client: Any, script: dict[str, str]
) -> None:
    made = await _setup(client, script)
    url, gid = f"/api/v1/contacts/{made['ada']['id']}", made["globex"]["id"]
    same = ok(await client.put(url, headers=script, json={"company": "GLOBEX Inc.", "organization_id": gid}))
    assert same["data"]["company"] == "GLOBEX Inc." and same["data"]["organization_id"] == gid
    await client.put(url, headers=script, json={"company": "Hooli"})
    alone = ok(await client.put(url, headers=script, json={"organization_id": gid}))["data"]
    assert alone["company"] == "Globex" and alone["organization_id"] == gid
    bob = ok(
        await client.post(
            "/api/v1/contacts", headers=script, json={"full_name": "Bob", "organization_id": gid}
        ),
        201,
    )["data"]
    assert bob["company"] == "Globex" and bob["organization_id"] == gid
