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
