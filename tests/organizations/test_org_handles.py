"""An organization's X handle is refused as no handle as a contact's is [value-normalisation]: 'pcrm orgs
edit Globex --twitter "not a handle"' (or another site's address, or '@@', which left nothing and cleared
the handle without a word) was stored, while the same value on a contact is a 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import V, fields, ok


@pytest.mark.parametrize("typed", ["not a handle", "@@", "https://example.com/globex", "a+b", "globex@x.com"])
def test_what_is_no_handle_is_refused_by_add_edit_and_the_api(
    crm: Any, cli: Any, empty_api: Any, typed: str
) -> None:
    cli("orgs", "add", "Globex", "--twitter", "globex")
    err = crm.rejects("orgs", "edit", "Globex", "--twitter", typed, code="validation_error", hint="x.com")
    assert err["details"]["fields"][0]["field"] == "twitter_handle"
    crm.rejects("orgs", "add", "Initech", "--twitter", typed, code="validation_error")
    org = cli.json("orgs", "show", "Globex")["data"]
    assert fields(empty_api.patch(f"{V}/organizations/{org['id']}", json={"twitter_handle": typed})) == [
        "twitter_handle"
    ]
    assert fields(empty_api.post(f"{V}/organizations", json={"name": "Hooli", "twitter_handle": typed})) == [
        "twitter_handle"
    ]
    assert cli.json("orgs", "show", "Globex")["data"]["twitter_handle"] == "globex"


def test_a_handle_and_its_profile_address_are_taken_and_null_clears(cli: Any, empty_api: Any) -> None:
    org = cli.json("orgs", "add", "Globex", "--twitter", "https://x.com/@Globex_HQ")["data"]
    assert org["twitter_handle"] == "globex_hq"
    url = f"{V}/organizations/{org['id']}"
    assert (
        ok(empty_api.patch(url, json={"twitter_handle": "@@GlobexHQ"}))["data"]["twitter_handle"]
        == "globexhq"
    )
    assert ok(empty_api.patch(url, json={"twitter_handle": None}))["data"]["twitter_handle"] is None


def test_a_domain_another_organization_holds_is_said_when_given(crm: Any) -> None:
    """'pcrm orgs edit Globex --domain northwind.com' was taken without a word, and the next duplicates scan
    then merged Globex and Northwind: the add or edit names the other and the merge it leads to."""
    north = crm.cli.json("orgs", "add", "Northwind", "--domain", "northwind.com")["data"]
    globex = crm.cli.json("orgs", "add", "Globex")["data"]
    r = crm.cli("orgs", "edit", "Globex", "--domain", "northwind.com")
    assert (
        f"note: Northwind ({north['id'][:8]}) has the domain northwind.com too; `pcrm orgs duplicates scan` "
        f"will merge the two (`pcrm orgs merge {north['id'][:8]} --into {globex['id'][:8]}` does it now)"
    ) in " ".join(r.stderr.split())
    assert crm.cli.json("orgs", "edit", "Globex", "--industry", "Fintech")["meta"].get("same_domain") is None
    added = crm.cli.json("orgs", "add", "Northwind Traders", "--domain", "NorthWind.com")["meta"]
    assert [o["name"] for o in added["same_domain"]] == ["Northwind", "Globex"]
    assert "note:" not in crm.cli("orgs", "add", "Initech", "--domain", "initech.com").stderr
