"""A contact merged into another, named by its old id (as `pcrm identity history` and the merge journal print
it), is not "no contact matches" with a search hint that cannot help [merged-references]: the error names the
contact it is part of now and the unmerge that brings it back; the API's 404 carries the survivor in
`details.merged_into`. The old id is never taken for the survivor: a write meant for it lands nowhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.crm import Crm


def _merge(crm: Crm, a: str, b: str) -> dict[str, Any]:
    data = crm.cli.json("contacts", "merge", a, b)["data"]
    return {"survivor": data["id"], "merged": data["merged_contact_id"], "merge_id": data["merge_id"]}


@pytest.fixture
def merged(crm: Crm) -> dict[str, Any]:
    crm.add("Wei Dubois", "--email", "wei.dubois@proton.me")
    crm.add("Wei Dubois", "--email", "weidubois.1@gmail.com", "--title", "Engineer", "--company", "Acme")
    return _merge(crm, "wei.dubois@proton.me", "weidubois.1@gmail.com")


def test_a_merged_contacts_id_says_where_it_went_and_how_to_undo(crm: Crm, merged: dict[str, Any]) -> None:
    old, survivor, mid = merged["merged"], merged["survivor"], merged["merge_id"]
    for ref in (old, old[:8], old.upper()):  # the full id, the prefix the history table shows
        for args in (
            ("contacts", "show", ref),
            ("note", "add", ref, "met at the conference"),
            ("contacts", "edit", ref, "--title", "CTO"),
            ("score", "explain", ref),
        ):
            err = crm.rejects(*args, code="not_found", says=f"was merged into Wei Dubois ({survivor})")
            assert "no contact matches" not in err["message"] and "search" not in err["hint"]
            assert f"`pcrm contacts unmerge {mid}`" in err["hint"], err
            assert err["details"]["merged_into"] == {
                "id": survivor,
                "full_name": "Wei Dubois",
                "merge_id": mid,
                "survivor_deleted": False,
            }
    # nothing landed on the survivor either
    assert crm.show(survivor)["title"] == "Engineer"
    # the undo it names works as written, and the old id is a contact again
    crm.cli("contacts", "unmerge", mid)
    assert crm.show(old)["emails"] == ["wei.dubois@proton.me"]


def test_a_chain_of_merges_names_the_last_survivor_and_every_undo(crm: Crm, merged: dict[str, Any]) -> None:
    crm.add(
        "Wei Dubois",
        "--email",
        "wei@acme.example",
        "--phone",
        "+33 6 12 34 56 78",
        "--title",
        "Lead",
        "--company",
        "Acme",
        "--location",
        "Paris",
    )
    second = _merge(crm, "wei@acme.example", merged["survivor"])
    assert second["merged"] == merged["survivor"], "the richer third contact should survive"
    err = crm.rejects(
        "contacts",
        "show",
        merged["merged"],
        code="not_found",
        says=f"merged into Wei Dubois ({second['survivor']})",
    )
    assert err["details"]["merged_into"]["id"] == second["survivor"]
    assert err["details"]["merged_into"]["merge_id"] == merged["merge_id"]
    undo = f"`pcrm contacts unmerge {second['merge_id']}`, then `pcrm contacts unmerge {merged['merge_id']}`"
    assert undo in err["hint"], err
    crm.cli("contacts", "unmerge", second["merge_id"])
    crm.cli("contacts", "unmerge", merged["merge_id"])
    assert crm.show(merged["merged"])["id"] == merged["merged"]


def test_a_merged_contact_whose_survivor_was_deleted_says_so(crm: Crm, merged: dict[str, Any]) -> None:
    crm.cli("contacts", "delete", merged["survivor"], "--yes")
    err = crm.rejects("contacts", "show", merged["merged"], code="not_found", says="deleted since")
    assert err["details"]["merged_into"]["survivor_deleted"] is True
    assert f"pcrm contacts unmerge {merged['merge_id']}" in err["hint"]
    assert "contacts show" not in err["hint"]


def test_an_unknown_id_keeps_the_plain_error(crm: Crm, merged: dict[str, Any]) -> None:
    err = crm.rejects("contacts", "show", "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e", code="not_found")
    assert "no contact matches" in err["message"] and "merged_into" not in err["details"]


@pytest.mark.anyio
async def test_the_api_answers_404_with_the_survivor(
    crm: Crm, merged: dict[str, Any], client: Any, script: dict[str, str]
) -> None:
    old, survivor = merged["merged"], merged["survivor"]

    def people() -> dict[str, Any]:
        return {k: v for k, v in crm.dump().items() if k != "api_tokens"}  # the token's last use is written

    before = people()
    for method, path, body in (
        ("GET", f"/api/v1/contacts/{old}", None),
        ("PUT", f"/api/v1/contacts/{old}", {"title": "CTO"}),
        ("POST", f"/api/v1/contacts/{old}/interactions", {"platform": "manual", "content_preview": "hi"}),
        ("GET", f"/api/v1/contacts/{old}/interactions", None),
    ):
        r = await client.request(method, path, headers=script, json=body)
        assert r.status_code == 404, (method, path, r.text)
        env = r.json()
        assert env["data"] is None and env["error"]["code"] == "not_found"
        assert env["detail"] == env["error"]["message"]
        assert f"was merged into Wei Dubois ({survivor})" in env["detail"]
        assert env["error"]["details"]["merged_into"]["id"] == survivor
        assert env["error"]["details"]["merged_into"]["merge_id"] == merged["merge_id"]
    assert people() == before
