"""A contact holds at most 50 tags, as many as one bulk update adds, and every tag, a bulk update's too, is
text of at most 1,000 characters without control characters [contact-tags]: the API's create and edit, the
CLI's add, edit (--tag) and tag commands alike, nothing changed on a refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.api import V


def _tags(n: int, prefix: str = "t") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


@pytest.mark.parametrize("count", [51, 5000])
def test_the_api_refuses_more_than_50_tags_on_a_contact(empty_api: Any, count: int) -> None:
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Many Tags", "tags": _tags(count)})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["details"]["fields"][0]["field"] == "tags"
    assert err["message"] == f"tags: at most 50 on a contact; this change would make {count:,}"
    assert empty_api.get(f"{V}/contacts").json()["data"] == []
    assert empty_api.get(f"{V}/contacts/tags").json()["data"] == []
    made = empty_api.post(f"{V}/contacts", json={"full_name": "Fifty", "tags": _tags(50)})
    assert made.status_code == 201
    cid = made.json()["data"]["id"]
    # the same tags written twice, or in another case, are one tag each
    assert empty_api.put(f"{V}/contacts/{cid}", json={"tags": [*_tags(50), "T0", " t1 "]}).status_code == 200
    r = empty_api.put(f"{V}/contacts/{cid}", json={"tags": [*_tags(50), "one more"]})
    assert r.status_code == 422 and "this change would make 51" in r.json()["error"]["message"]
    assert empty_api.get(f"{V}/contacts/{cid}").json()["data"]["tags"] == _tags(50)


def test_the_cli_refuses_them_on_add_edit_and_tag(crm: Any, cli: Any) -> None:
    opts = [x for t in _tags(51) for x in ("--tag", t)]
    res = cli("contacts", "add", "--name", "Many Tags", *opts, ok=False)
    assert res.exit_code != 0 and "--tag: at most 50 on a contact; this change would make 51" in res.output
    crm.add("Ada", "--tag", "investor")
    res = cli("contacts", "tag", "Ada", *_tags(50, "x"), ok=False)
    assert res.exit_code != 0 and "this change would make 51" in res.output
    res = cli("contacts", "edit", "Ada", *[x for t in _tags(51, "y") for x in ("--tag", t)], ok=False)
    assert res.exit_code != 0 and "this change would make 51" in res.output
    assert crm.sql("SELECT tag FROM contact_tags") == [("investor",)]
    cli("contacts", "tag", "Ada", *_tags(49, "z"))  # 50 in all
    assert crm.sql("SELECT count(*) FROM contact_tags") == [(50,)]


def test_a_contact_an_import_gave_more_keeps_or_cuts_them(imp: Any, cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("full_name,tags\nOld Many," + ";".join(_tags(60)) + "\n", encoding="utf-8")
    imp(sheet)
    cli("contacts", "edit", "Old Many", "--name", "Old Many Renamed")
    cli("contacts", "untag", "Old Many Renamed", "t0")
    res = cli("contacts", "tag", "Old Many Renamed", "new", ok=False)
    assert res.exit_code != 0 and "this change would make 60" in res.output
    cid = cli.json("contacts", "list")["data"][0]["id"]
    assert len(cli.json("contacts", "show", cid)["data"]["tags"]) == 59


@pytest.mark.parametrize(
    ("tag", "said"),
    [("y" * 1001, "1,001 characters long; the most it takes is 1,000"), ("bad\x01tag", "control characters")],
)
def test_a_bulk_update_holds_its_tags_to_the_same_rules(empty_api: Any, tag: str, said: str) -> None:
    cid = empty_api.post(f"{V}/contacts", json={"full_name": "B", "tags": ["a"]}).json()["data"]["id"]
    for field in ("add_tags", "remove_tags"):
        r = empty_api.post(f"{V}/contacts/bulk-update", json={"contact_ids": [cid], field: [tag]})
        assert r.status_code == 422, r.text
        assert said in r.json()["error"]["message"]
        assert r.json()["error"]["details"]["fields"][0]["field"] == field
    assert empty_api.get(f"{V}/contacts/{cid}").json()["data"]["tags"] == ["a"]
