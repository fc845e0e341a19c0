"""`pcrm identity merge` and `pcrm identity scan` say a merge the way `pcrm contacts merge` does: what was
filled or kept aside [merge-rules] and the command that undoes it [reversible-merges]. They said `merged into
ID (merge ID)` and `merged 1`, with no word of the undo a direct merge prints."""

from __future__ import annotations

from typing import Any

from tests.support.crm import Crm


def test_a_reviewed_merge_says_what_it_did_and_how_to_undo_it(crm: Crm) -> None:
    crm.add("Wei Dubois", "--email", "wei.dubois@proton.me", "--title", "Engineer")
    crm.add("Wei Dubois", "--email", "weidubois.1@gmail.com", "--location", "Paris")
    (mid,) = crm.cli.json("identity", "scan")["meta"]["pending_review_ids"]
    r = crm.cli("identity", "merge", mid)
    first, second = r.stdout.splitlines()
    survivor = crm.show("wei.dubois@proton.me")["id"]
    filled = "1 empty field filled, 0 differing values kept as extra fields"
    assert first == f"merged into {survivor} (Wei Dubois); {filled}"
    assert second.startswith("merge id ") and second.endswith(")"), second
    merge_id = second.split()[2]
    assert second == f"merge id {merge_id} (undo: pcrm contacts unmerge {merge_id})"
    # the undo it names works as written
    crm.cli("contacts", "unmerge", merge_id)
    assert crm.names("--search", "dubois") == ["Wei Dubois", "Wei Dubois"]


def test_a_scan_that_merges_says_how_to_undo(crm: Crm) -> None:
    crm.add("Grace Hopper", "--phone", "+1 202 555 0100", "--company", "US Navy")
    crm.add("Grace Hopper", "--phone", "+1 202 555 0100", "--email", "grace@navy.example")
    r = crm.cli("identity", "scan")
    assert r.stdout.startswith("merged 1 (1 by email/phone"), r.stdout
    assert "`pcrm contacts unmerge MERGE_ID` undoes one" in r.stderr, r.stderr
    assert "`pcrm identity history` lists them" in r.stderr
    dry = crm.cli("identity", "scan", "--dry-run")  # nothing merged: nothing to undo
    assert "unmerge" not in dry.stderr, dry.stderr


def test_one_contact_named_two_ways_is_said_to_be_one(crm: Crm) -> None:
    """'pcrm contacts merge wei.dubois@proton.me weidubois.1@gmail.com' after the two were merged (or a name
    and an email of one person) said 'a contact cannot be merged with itself', naming nobody."""
    crm.add("Wei Dubois", "--email", "wei.dubois@proton.me")
    crm.add("Wei Dubois", "--email", "weidubois.1@gmail.com")
    crm.cli("contacts", "merge", "wei.dubois@proton.me", "weidubois.1@gmail.com")
    wei = crm.show("wei.dubois@proton.me")["id"]
    says = f"both name one contact, Wei Dubois ({wei}): a contact cannot be merged with itself"
    crm.rejects(
        "contacts",
        "merge",
        "wei.dubois@proton.me",
        "weidubois.1@gmail.com",
        code="validation_error",
        says=says,
    )
    crm.rejects(
        "contacts",
        "dismiss-duplicate",
        "wei.dubois@proton.me",
        "weidubois.1@gmail.com",
        code="validation_error",
        says="a contact cannot be a duplicate of itself",
    )


def test_an_import_says_one_value_kept_aside_in_the_singular(crm: Crm, tmp_path) -> None:
    crm.add("Ada Lovelace", "--email", "ada@analytical.io", "--title", "Countess")
    f = tmp_path / "people.csv"
    f.write_text("name,email,title\nAda Lovelace,ada@analytical.io,Mathematician\n", encoding="utf-8")
    r = crm.cli("import", str(f))
    assert "1 differing value kept as an extra field" in r.stdout, r.stdout


def test_the_api_answers_one_contact_given_twice_as_every_other_same_thing_twice(empty_api: Any) -> None:
    """`POST /contacts/{id}/merge/{same id}` (and a duplicate hint dismissed against itself) answered 400
    bad_request, while an organization merged into itself answers 422 validation_error with a field: the
    same mistake now gets the same answer, naming `other_id` and saying what to do."""
    from tests.support.api import V

    cid = empty_api.post(f"{V}/contacts", json={"full_name": "Zed Quill"}).json()["data"]["id"]
    oid = empty_api.post(f"{V}/organizations", json={"name": "Quill Co"}).json()["data"]["id"]
    org = empty_api.post(f"{V}/organizations/merge", json={"target_id": oid, "source_ids": [oid]})
    assert org.status_code == 422 and org.json()["error"]["code"] == "validation_error", org.text
    for path, what in (("merge", "merged with"), ("dismiss-duplicate", "a duplicate of")):
        for query in ("", "?dry_run=true") if path == "merge" else ("",):
            r = empty_api.post(f"{V}/contacts/{cid}/{path}/{cid}{query}")
            assert r.status_code == 422, r.text
            err = r.json()["error"]
            assert err["code"] == "validation_error", err
            assert err["details"]["fields"] == [
                {
                    "field": "other_id",
                    "message": f"both name one contact, Zed Quill ({cid}): a contact cannot be {what} itself",
                }
            ], err
            assert err["hint"].startswith("give two different contacts"), err
            assert r.json()["detail"][0]["loc"] == ["path", "other_id"], r.text
