"""A list that comes back empty only because the people it matches are archived says so [hidden-contacts]:
`pcrm contacts list --search "Greta Knuth"` of an archived Greta answered "no contacts match; `pcrm contacts
list` without filters lists every one", which does not list her either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.twin import NOW

N = ("--now", NOW)


def _people(twin: Any) -> dict[str, str]:
    add = twin.cli.json
    greta = add("contacts", "add", "--name", "Greta Knuth", "--tag", "climbing", "--priority", "archived", *N)
    ada = add("contacts", "add", "--name", "Ada Lovelace", "--tag", "climbing", *N)
    return {"greta": greta["data"]["id"], "ada": ada["data"]["id"]}


@pytest.mark.anyio
async def test_a_search_matching_only_archived_contacts_says_how_to_list_them(empty_twin: Any) -> None:
    _people(empty_twin)
    r = await empty_twin.parity(
        ["contacts", "list", "--search", "greta knuth", *N], "GET", "/api/v1/contacts?search=greta%20knuth"
    )
    empty_twin.check_schema("GET", "/contacts", r)
    body = r.json()
    assert body["data"] == [] and body["meta"]["archived_matches"] == 1, body
    said = empty_twin.cli("contacts", "list", "--search", "greta knuth", *N)
    assert "1 archived contact does; add --include-archived" in " ".join(said.stderr.split()), said.stderr
    r = await empty_twin.parity(
        ["contacts", "ids", "--search", "greta knuth", *N], "GET", "/api/v1/contacts/ids?search=greta%20knuth"
    )
    empty_twin.check_schema("GET", "/contacts/ids", r)
    assert r.json()["meta"] == {"total": 0, "archived_matches": 1}
    said = empty_twin.cli("contacts", "ids", "--search", "greta knuth", *N)
    assert said.stdout == "" and "--include-archived" in said.stderr
    # asked for, she is there
    listed = empty_twin.cli.json("contacts", "list", "--search", "greta knuth", "--include-archived", *N)
    assert [c["full_name"] for c in listed["data"]] == ["Greta Knuth"]


@pytest.mark.anyio
async def test_the_count_is_only_there_when_the_list_is_empty_and_archived_ones_would_match(
    empty_twin: Any,
) -> None:
    _people(empty_twin)
    # another filter that only the archived Greta passes: a tag and a search together
    meta = empty_twin.cli.json("contacts", "list", "--tag", "climbing", "--search", "greta", *N)["meta"]
    assert meta["archived_matches"] == 1
    # someone matches: no count, even though Greta would too
    meta = empty_twin.cli.json("contacts", "list", "--tag", "climbing", *N)["meta"]
    assert meta["total"] == 1 and "archived_matches" not in meta
    # nobody at all matches: the usual answer
    meta = empty_twin.cli.json("contacts", "list", "--search", "edsger", *N)["meta"]
    assert "archived_matches" not in meta
    said = empty_twin.cli("contacts", "list", "--search", "edsger", *N)
    assert "archived" not in said.stderr
    # archived contacts asked for: nothing to add
    for flag in ("--include-archived", "--archived-only"):
        meta = empty_twin.cli.json("contacts", "list", "--search", "edsger", flag, *N)["meta"]
        assert "archived_matches" not in meta


@pytest.mark.anyio
async def test_archived_as_a_priority_filter_names_the_archived_filter(
    empty_twin: Any, tmp_path: Path
) -> None:
    """[archived-filter]: `pcrm contacts list --priority archived` answered "use one of: high, medium, low",
    a dead end for the archived contacts the user was after."""
    _people(empty_twin)
    for args in (
        ("contacts", "list"),
        ("contacts", "ids"),
        ("export", "csv", "-o", str(tmp_path / "out.csv")),
    ):
        err = empty_twin.rejects(
            *args, "--priority", "Archived", *N, code="validation_error", says="archived"
        )
        assert "--archived-only" in err["hint"] and err["details"]["fields"][0]["field"] == "priority"
    r = await empty_twin.parity(
        ["contacts", "list", "--priority", "archived", *N], "GET", "/api/v1/contacts?priority=archived"
    )
    assert r.status_code == 422 and "archived_only=true" in r.json()["error"]["hint"]
    # the filter it names lists them
    listed = empty_twin.cli.json("contacts", "list", "--archived-only", *N)["data"]
    assert [c["full_name"] for c in listed] == ["Greta Knuth"]
