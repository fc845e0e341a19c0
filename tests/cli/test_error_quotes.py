"""An error quoting what the user typed keeps it to a readable length [error-quotes]: `pcrm score explain`
with a 100,000-character argument printed it whole, twice (message and hint), on stderr and in the --json
envelope; the API answered it whole in `message` and `detail`. Every error passes one place
(pcrm.errors.bounded)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.crm import Crm

LONG = "a" * 100_000
CUT = "'" + "a" * 80 + "…' (100,000 characters)"


@pytest.mark.parametrize(
    "args",
    [
        ("score", "explain", LONG),
        ("note", "add", LONG, "hello"),
        ("contacts", "list", "--sort", LONG),
        ("suggestions", "dismiss", LONG),
        ("contacts", "unmerge", LONG),
        ("orgs", "show", LONG),
    ],
    ids=["score explain", "note add", "contacts list --sort", "suggestions dismiss", "unmerge", "orgs show"],
)
def test_an_error_quotes_a_long_input_cut_short(crm: Crm, args: tuple[str, ...]) -> None:
    human = crm.cli(*args, ok=None)
    assert human.exit_code == 1, human.stderr[:500]
    assert len(human.stderr) < 1_000, human.stderr[:500]
    assert "…" in human.stderr and "a" * 81 not in human.stderr
    machine = crm.cli(*args, "--json", ok=None)
    assert len(machine.stdout) < 2_000, machine.stdout[:500]
    env = json.loads(machine.stdout)
    assert "a" * 81 not in json.dumps(env)
    assert env["error"]["message"] in human.stderr


def test_the_quote_says_how_long_it_was_and_short_ones_stay_whole(crm: Crm) -> None:
    err = crm.rejects("score", "explain", LONG, code="not_found")
    assert err["message"] == f"no contact matches {CUT}"
    assert err["hint"].endswith("a" * 80 + "…`")  # the search it offers keeps its closing quote
    words = "ab " * 30_000  # many words: no one of them long, the whole still cut
    err = crm.cli.json("score", "explain", words, ok=None)["error"]
    assert len(err["message"]) < 400 and "(90,000 characters)" in err["message"], err["message"]
    short = crm.rejects("score", "explain", "Zed Nobody", code="not_found")
    assert short["message"] == "no contact matches 'Zed Nobody'"


def test_a_usage_error_and_an_empty_list_cut_it_too(crm: Crm) -> None:
    r = crm.cli("contacts", LONG, ok=None)
    assert r.exit_code == 2 and len(r.stderr) < 1_000 and "…" in r.stderr, r.stderr[:500]
    listed = crm.cli("contacts", "list", "--tag", LONG, "--format", "table")
    assert len(listed.stdout + listed.stderr) < 1_000 and CUT in listed.stdout + listed.stderr


@pytest.mark.anyio
async def test_the_api_cuts_it_in_message_and_detail(crm: Crm, client: Any, script: dict[str, str]) -> None:
    long = "a" * 20_000  # what a URL may hold
    cut = "'" + "a" * 80 + "…' (20,000 characters)"
    r = await client.get("/api/v1/contacts", headers=script, params={"sort": long})
    assert r.status_code == 422 and len(r.content) < 2_000, r.text[:500]
    body = r.json()
    assert body["error"]["message"] == f"unknown sort {cut}"
    assert body["detail"][0]["msg"] == f"unknown sort {cut}"
    assert body["error"]["details"]["fields"][0]["message"] == f"unknown sort {cut}"
    r = await client.get(f"/api/v1/contacts/{long}", headers=script)
    assert r.status_code == 404 and len(r.content) < 1_000, r.text[:500]


@pytest.mark.anyio
async def test_a_bodys_own_keys_are_cut_and_counted(crm: Crm, client: Any, script: dict[str, str]) -> None:
    """A body key is the client's input too: a 100,000-character unknown key came back whole in `fields`
    and in `detail`'s `loc` (200 KB), and 10,000 unknown keys were listed one by one."""
    r = await client.post("/api/v1/contacts", headers=script, json={"full_name": "X", LONG: 1})
    assert r.status_code == 422 and len(r.content) < 2_000, r.text[:500]
    body = r.json()
    (field,) = body["error"]["details"]["fields"]
    assert field["field"].startswith("a" * 80 + "…") and field["message"] == "unknown field"
    assert body["detail"][0]["loc"] == ["body", field["field"]]
    r = await client.get("/api/v1/contacts", headers=script, params={"q" * 20_000: "1"})  # a query's key too
    assert r.status_code == 422 and len(r.content) < 2_000, r.text[:300]
    assert r.json()["detail"][0]["loc"][1].startswith("q" * 80 + "…")
    many = {"full_name": "X", **{f"k{i}": 1 for i in range(10_000)}}
    r = await client.post("/api/v1/contacts", headers=script, json=many)
    assert r.status_code == 422 and len(r.json()["detail"]) == 50
    assert r.json()["error"]["details"]["fields_omitted"] == 9_950
    bad = {
        "full_name": "X",
        "emails": [f"nope{i}" for i in range(5_000)],
    }  # pcrm's own checks, not pydantic's
    r = await client.post("/api/v1/contacts", headers=script, json=bad)
    assert r.status_code == 422 and len(r.content) < 20_000, len(r.content)
    assert r.json()["error"]["details"]["fields_omitted"] == 4_950
    assert not crm.sql("SELECT 1 FROM contacts")


@pytest.mark.parametrize(
    "args",
    [("import", "a" * 300), ("export", "csv", "--output", "a" * 300 + ".csv")],
    ids=["import", "export --output"],
)
def test_a_file_name_too_long_is_an_error_not_a_traceback(crm: Crm, args: tuple[str, ...]) -> None:
    """A path no file system takes ended in an OSError traceback quoting it whole (found by review)."""
    err = crm.rejects(*args, code="bad_request", says="file name is too long")
    assert "(3" in err["message"] and len(err["message"]) < 200 and "shorter path" in err["hint"]
