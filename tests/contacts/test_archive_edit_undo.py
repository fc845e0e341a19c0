"""Archiving one contact by its edit (`pcrm contacts edit X --priority archived`, `PUT /contacts/{id}
{"priority_level": "archived"}`) dismissed its pending suggestions without a word and for good, a draft the
user had written with them, while `pcrm contacts bulk-update X --priority archived` said "1 suggestion
dismissed" and its undo reopened them. The edit now says it as the bulk update does (meta
`suggestions_dismissed`, and in words), and is journalled so: its undo gives the priority back and reopens
them [bulk-undo]. The journal says which command or route made a contact's edit."""

from __future__ import annotations

from typing import Any

from pcrm.domain.wording import counted
from tests.support.api import V, ok


def _with_a_draft(api: Any) -> tuple[str, str, str]:
    """A contact with a pending suggestion whose message the user wrote: (contact id, suggestion id, its
    priority)."""
    ok(api.post(f"{V}/suggestions/generate"))
    first = ok(api.get(f"{V}/suggestions"))["data"][0]
    sid, cid = first["id"], first["contact"]["id"]
    ok(api.put(f"{V}/suggestions/{sid}", json={"suggested_message": "Coffee next week? I owe you one"}))
    return cid, sid, ok(api.get(f"{V}/contacts/{cid}"))["data"]["priority_level"]


def test_archiving_by_a_put_says_what_it_dismissed_and_its_undo_reopens_it(api: Any) -> None:
    cid, sid, level = _with_a_draft(api)
    open_ = [s for s in ok(api.get(f"{V}/suggestions"))["data"] if s["contact"]["id"] == cid]
    r = ok(api.put(f"{V}/contacts/{cid}", json={"priority_level": "archived", "title": "Retired"}))
    assert r["meta"]["suggestions_dismissed"] == len(open_) >= 1
    assert r["meta"]["undo"].startswith("pcrm contacts bulk-undo ")
    listed = ok(api.get(f"{V}/contacts/bulk-updates"))["data"][0]
    assert listed["id"] == r["meta"]["bulk_update_id"] and listed["kind"] == "contact-archive"
    assert listed["what"].endswith("(PUT /api/v1/contacts/{id})"), listed["what"]
    assert sid not in {s["id"] for s in ok(api.get(f"{V}/suggestions"))["data"]}
    done = ok(api.post(f"{V}/contacts/bulk-updates/{r['meta']['bulk_update_id']}/undo"))
    assert done["meta"]["suggestions_reopened"] == len(open_)
    back = ok(api.get(f"{V}/contacts/{cid}"))["data"]
    assert back["priority_level"] == level and back["title"] == "Retired"  # the rest of the edit stays
    draft = next(s for s in ok(api.get(f"{V}/suggestions"))["data"] if s["id"] == sid)
    assert draft["status"] == "pending" and draft["suggested_message"] == "Coffee next week? I owe you one"


def test_archiving_a_contact_with_nothing_open_says_none_and_journals_nothing(api: Any) -> None:
    cid = ok(api.post(f"{V}/contacts", json={"full_name": "Quiet One"}), 201)["data"]["id"]
    r = ok(api.put(f"{V}/contacts/{cid}", json={"priority_level": "archived"}))
    assert r["meta"] == {"suggestions_dismissed": 0}


def test_a_company_edit_is_journalled_under_the_route_that_made_it(api: Any) -> None:
    cid = ok(api.post(f"{V}/contacts", json={"full_name": "Org Hopper"}), 201)["data"]["id"]
    r = ok(api.put(f"{V}/contacts/{cid}", json={"company": "Second Hop Co"}))
    listed = ok(api.get(f"{V}/contacts/bulk-updates"))["data"][0]
    assert listed["id"] == r["meta"]["bulk_update_id"]
    assert listed["what"] == "company 'Second Hop Co' of Org Hopper (PUT /api/v1/contacts/{id})"


def test_archiving_by_the_cli_edit_says_it_and_its_undo_reopens_it(cli: Any, demo: Any) -> None:
    made = cli.json("suggestions", "generate")["data"]
    cid = made[0]["contact"]["id"]
    mine = sorted(s["id"] for s in made if s["contact"]["id"] == cid)
    r = cli("contacts", "edit", cid, "--priority", "archived")
    assert f"archived: {counted(len(mine), 'suggestion')} dismissed" in r.stderr, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("undo with: "))
    assert not {s["id"] for s in cli.json("suggestions", "list")["data"]} & set(mine)
    name = made[0]["contact"]["full_name"]
    assert f"archive {name} (pcrm contacts edit)" in cli("contacts", "bulk-updates").stdout
    cli(*line.removeprefix("undo with: pcrm ").split())
    assert set(mine) <= {s["id"] for s in cli.json("suggestions", "list")["data"]}
    assert cli.json("contacts", "show", cid)["data"]["priority_level"] != "archived"


def test_archiving_with_a_new_company_is_one_change_that_one_undo_takes_back(api: Any) -> None:
    cid, sid, level = _with_a_draft(api)
    was = ok(api.get(f"{V}/contacts/{cid}"))["data"]["company"]
    r = ok(api.put(f"{V}/contacts/{cid}", json={"priority_level": "archived", "company": "Brand New Co"}))
    assert r["meta"]["suggestions_dismissed"] >= 1
    listed = ok(api.get(f"{V}/contacts/bulk-updates"))["data"][0]
    assert listed["id"] == r["meta"]["bulk_update_id"] and "; archived" in listed["what"], listed
    done = ok(api.post(f"{V}/contacts/bulk-updates/{r['meta']['bulk_update_id']}/undo"))
    assert done["meta"]["suggestions_reopened"] == r["meta"]["suggestions_dismissed"]
    back = ok(api.get(f"{V}/contacts/{cid}"))["data"]
    assert (back["priority_level"], back["company"]) == (level, was)
    assert sid in {s["id"] for s in ok(api.get(f"{V}/suggestions"))["data"]}
