"""Each organization endpoint: its happy path on the demo store and its documented errors (404, 409, 422
with details.fields, 400). Every response also passes the OpenAPI check of the `api` client."""

from __future__ import annotations

from typing import Any

from tests.support.api import UNKNOWN, V, assert_error, fields, ok


def test_organization_lifecycle(api: Any) -> None:
    c = ok(api.post(f"{V}/contacts", json={"full_name": "Ada", "emails": ["ada@lovelace-labs.io"]}), 201)[
        "data"
    ]
    body = ok(
        api.post(
            f"{V}/organizations",
            json={
                "name": "  Lovelace   Labs ",
                "domain": "https://www.Lovelace-Labs.io/about",
                "twitter_handle": "@AE",
                "industry": "Computing",
            },
        ),
        201,
    )
    org = body["data"]
    assert (
        org["name"] == "Lovelace Labs"
        and org["domain"] == "lovelace-labs.io"
        and org["twitter_handle"] == "ae"
    )
    assert body["meta"]["contacts_assigned"] == 1 and org["contact_count"] == 1
    added = body["meta"]["bulk_update_id"]  # [bulk-undo]: it linked Ada
    assert body["meta"]["undo"] == f"pcrm contacts bulk-undo {added[:8]}"
    assert ok(api.get(f"{V}/contacts/{c['id']}"))["data"]["organization_id"] == org["id"]

    detail = ok(api.get(f"{V}/organizations/{org['id']}"))["data"]
    assert [m["id"] for m in detail["contacts"]] == [c["id"]]
    listed = ok(api.get(f"{V}/organizations", params={"search": "LOVELACE"}))
    assert [o["id"] for o in listed["data"]] == [org["id"]]
    assert listed["meta"] == {"total": 1, "page": 1, "page_size": 50, "total_pages": 1}

    body = ok(
        api.patch(f"{V}/organizations/{org['id']}", json={"name": "Lovelace Labs Ltd", "industry": None})
    )
    assert (
        body["data"]["industry"] is None
        and body["meta"]
        == {
            "contacts_renamed": 1,
            "contacts_assigned": 0,
            "bulk_update_id": body["meta"]["bulk_update_id"],  # [bulk-undo]
            "undo": f"pcrm contacts bulk-undo {body['meta']['bulk_update_id'][:8]}",
        }
    )
    assert ok(api.get(f"{V}/contacts/{c['id']}"))["data"]["company"] == "Lovelace Labs Ltd"

    stats = ok(api.get(f"{V}/organizations/{org['id']}/stats"))["data"]
    assert stats["organization_id"] == org["id"] and stats["contact_count"] == 1

    body = ok(api.delete(f"{V}/organizations/{org['id']}"))
    bid = body["data"]["bulk_update_id"]  # [bulk-undo]
    assert body["data"] == {"id": org["id"], "deleted": True, "bulk_update_id": bid}
    assert body["meta"] == {"contacts_unlinked": 1, "undo": f"pcrm contacts bulk-undo {bid[:8]}"}
    after = ok(api.get(f"{V}/contacts/{c['id']}"))["data"]
    assert after["organization_id"] is None and after["company"] == "Lovelace Labs Ltd"
    for method in ("get", "patch", "delete"):
        kw = {"json": {"notes": "x"}} if method == "patch" else {}
        assert_error(getattr(api, method)(f"{V}/organizations/{org['id']}", **kw), "not_found", 404)
    assert_error(api.get(f"{V}/organizations/{org['id']}/stats"), "not_found", 404)


def test_organization_refusals(api: Any, demo: dict[str, Any]) -> None:
    r = api.post(f"{V}/organizations", json={"name": demo["org_name"].upper()})
    taken = assert_error(r, "conflict", 409)["error"]["details"]["conflicting_organization"]
    assert taken == {"id": demo["org"], "name": demo["org_name"]}
    assert fields(api.post(f"{V}/organizations", json={"domain": "example.com"})) == ["name"]
    assert fields(api.post(f"{V}/organizations", json={"name": "   "})) == ["name"]
    assert fields(api.post(f"{V}/organizations", json={"name": "Mail", "domain": "gmail.com"})) == ["domain"]
    assert fields(api.post(f"{V}/organizations", json={"name": "X", "domain": "not a domain"})) == ["domain"]
    assert fields(api.post(f"{V}/organizations", json={"name": "X", "size": 3})) == ["size"]
    assert fields(api.patch(f"{V}/organizations/{demo['org']}", json={})) == ["fields"]
    assert fields(api.patch(f"{V}/organizations/{demo['org']}", json={"name": None})) == ["name"]
    r = api.patch(f"{V}/organizations/{demo['org2']}", json={"name": demo["org_name"]})
    assert_error(r, "conflict", 409)
    assert fields(api.get(f"{V}/organizations", params={"page_size": 201})) == ["page_size"]
    assert fields(api.get(f"{V}/organizations", params={"include_empty": "perhaps"})) == ["include_empty"]


def test_organization_list_hides_empty_ones_unless_asked(api: Any) -> None:
    org = ok(api.post(f"{V}/organizations", json={"name": "Zzz Empty"}), 201)["data"]
    default = ok(api.get(f"{V}/organizations", params={"page_size": 200}))["data"]
    assert org["id"] not in [o["id"] for o in default]
    assert org["id"] not in [
        o["id"]
        for o in ok(api.get(f"{V}/organizations", params={"page_size": 200, "include_empty": "false"}))[
            "data"
        ]
    ]
    everything = ok(api.get(f"{V}/organizations", params={"page_size": 200, "include_empty": "true"}))
    assert org["id"] in [o["id"] for o in everything["data"]]
    names = [o["name"].casefold() for o in everything["data"]]
    assert names == sorted(names)


def test_organization_merge(api: Any, demo: dict[str, Any]) -> None:
    before = ok(api.get(f"{V}/organizations/{demo['org']}"))["data"]
    source = ok(api.get(f"{V}/organizations/{demo['org2']}"))["data"]
    moving = source["contact_count"]
    body = ok(
        api.post(
            f"{V}/organizations/merge",
            json={"source_ids": [demo["org2"], demo["org"], UNKNOWN], "target_id": demo["org"]},
        )
    )
    # the unknown source and the target itself are said, not dropped without a word
    assert body["meta"]["skipped"] == [
        {"id": demo["org"], "reason": "is_target", "message": "it is the target itself"},
        {"id": UNKNOWN, "reason": "not_found", "message": f"no organization with id {UNKNOWN}"},
    ]
    assert body["data"] == {
        "target_id": demo["org"],
        "target_name": before["name"],
        "contacts_updated": moving,
        "source_organizations_merged": 1,
        # [org-dedupe]: its differing domain is kept in the notes, not lost
        "values_kept": [{"organization": source["name"], "field": "domain", "value": source["domain"]}],
    }
    assert_error(api.get(f"{V}/organizations/{demo['org2']}"), "not_found", 404)
    after = ok(api.get(f"{V}/organizations/{demo['org']}"))["data"]
    assert f"domain: {source['domain']}" in after["notes"]
    assert after["contact_count"] == before["contact_count"] + moving
    assert all(
        ok(api.get(f"{V}/contacts/{m['id']}"))["data"]["company"] == before["name"]
        for m in after["contacts"][:5]
    )
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org"]], "target_id": demo["org"]})
    # the same mistake as an empty list: nothing to merge, 422 on source_ids
    assert fields(r) == ["source_ids"]
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org3"]], "target_id": UNKNOWN})
    assert_error(r, "not_found", 404)
    assert fields(
        api.post(f"{V}/organizations/merge", json={"source_ids": [], "target_id": demo["org"]})
    ) == ["source_ids"]
    assert fields(api.post(f"{V}/organizations/merge", json={"source_ids": [demo["org3"]]})) == ["target_id"]


def test_logo_routes_are_feature_disabled_while_logos_are_off(api: Any, demo: dict[str, Any]) -> None:
    for url in (
        f"{V}/organizations/backfill-logos",
        f"{V}/organizations/{demo['org']}/refresh-logo?force=true",
    ):
        body = assert_error(api.post(url), "feature_disabled", 409)
        assert body["error"]["details"] == {"setting": "logos.enabled"}
        assert "logos.enabled" in body["error"]["hint"]
    assert_error(api.post(f"{V}/organizations/{UNKNOWN}/refresh-logo"), "not_found", 404)
    assert fields(api.post(f"{V}/organizations/{demo['org']}/refresh-logo", params={"force": "later"})) == [
        "force"
    ]


def test_organization_search_ignores_accents(api: Any) -> None:
    org = ok(api.post(f"{V}/organizations", json={"name": "Société Générale"}), 201)["data"]
    listed = ok(api.get(f"{V}/organizations", params={"search": "societe", "include_empty": "true"}))
    assert [o["id"] for o in listed["data"]] == [org["id"]]


def test_a_merge_whose_sources_all_name_nothing_is_404_in_both_shells(
    api: Any, demo: dict[str, Any], crm: Any
) -> None:
    """`POST /organizations/merge` with unknown source ids answered 200 with nothing merged and no word of
    them, while `pcrm orgs merge` refused: one service says which were skipped, and 404 when none is left."""
    other = "00000000-0000-4000-8000-000000000001"
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [UNKNOWN], "target_id": demo["org"]})
    err = assert_error(r, "not_found", 404)["error"]
    assert err["message"] == f"no organization with id {UNKNOWN}"
    r = api.post(f"{V}/organizations/merge", json={"source_ids": [UNKNOWN, other], "target_id": demo["org"]})
    err = assert_error(r, "not_found", 404)["error"]
    assert UNKNOWN in err["message"] and other in err["message"]
    assert [s["id"] for s in err["details"]["skipped"]] == [UNKNOWN, other]
    # the CLI: the same rule, by reference
    crm.add("Ada", "--company", "Hooli")
    crm.add("Bea", "--company", "Globex")
    crm.rejects("orgs", "merge", UNKNOWN, "--into", "Globex", code="not_found", says=UNKNOWN)
    done = crm.cli.json("orgs", "merge", "Hooli", UNKNOWN, "--into", "Globex")
    assert done["data"]["source_organizations_merged"] == 1
    assert done["meta"]["skipped"] == [
        {"id": UNKNOWN, "reason": "not_found", "message": f"no organization matches {UNKNOWN!r}"}
    ]
    human = crm.cli("orgs", "merge", "Globex", "nothing-like-it", "--into", "Globex", ok=None)
    assert human.exit_code == 1 and "no organization matches 'nothing-like-it'" in human.stderr
