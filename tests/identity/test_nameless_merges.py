"""A merge names its survivor as lists name it [display-name]: `pcrm contacts merge +14155550100
+14155550199` (two contacts known only by their numbers), `pcrm identity merge MATCH_ID` for a queued pair
of nameless contacts and `pcrm identity scan --dry-run` printed the survivor as `()` or nothing, where
`pcrm contacts list` shows its number or address. Their results (CLI --json and API alike) now carry the
survivor's `display_name` (`survivor_display_name` for a reviewed pair), the stored `full_name` staying
empty."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)


def _add(twin: Any, *args: str) -> str:
    return str(twin.cli.json("contacts", "add", *args, *N)["data"]["id"])


async def test_a_merge_of_two_numbers_names_the_survivor_by_its_number(empty_twin: Any) -> None:
    one = _add(empty_twin, "--phone", "+14155550100")
    _add(empty_twin, "--phone", "+14155550199")
    dry = empty_twin.cli("contacts", "merge", "+14155550100", "+14155550199", "--dry-run", *N).stdout
    assert f"into {one} (+14155550100);" in dry, dry

    base = f"/api/v1/contacts/{one}"
    other = empty_twin.cli.json("contacts", "show", "+14155550199", *N)["data"]["id"]
    r = await empty_twin.parity(
        ["contacts", "merge", one, other, "--dry-run", *N], "POST", f"{base}/merge/{other}?dry_run=true"
    )
    empty_twin.check_schema("POST", "/contacts/{contact_id}/merge/{other_id}", r)
    assert r.json()["data"]["full_name"] is None and r.json()["data"]["display_name"] == "+14155550100"
    r = await empty_twin.parity(["contacts", "merge", one, other, *N], "POST", f"{base}/merge/{other}")
    empty_twin.check_schema("POST", "/contacts/{contact_id}/merge/{other_id}", r)
    assert r.json()["data"]["display_name"] == "+14155550100"
    empty_twin.cli("contacts", "unmerge", r.json()["data"]["merge_id"], *N)

    said = empty_twin.cli("contacts", "merge", "+14155550100", "+14155550199", *N).stdout
    assert said.startswith(f"merged {other} into {one} (+14155550100); "), said
    assert empty_twin.cli.json("contacts", "show", one, *N)["data"]["full_name"] is None  # nothing stored


async def test_a_reviewed_merge_and_a_dry_scan_name_a_nameless_survivor_by_its_address(
    empty_twin: Any,
) -> None:
    # two pairs of namesakes sharing a line are asked about; their names then cleared, the questions stay
    rich = {}
    for short, full, line, mail in (
        ("J. Smith", "John Smith", "+44 20 7946 0002", "john@smith.example"),
        ("K. Jones", "Kim Jones", "+44 20 7946 0003", "kim@jones.example"),
    ):
        _add(empty_twin, "--name", short, "--phone", line)
        rich[mail] = _add(empty_twin, "--name", full, "--phone", line, "--email", mail)
    empty_twin.cli("identity", "scan", *N)
    pairs = {
        m["shared_key"]["value"]: m["id"] for m in empty_twin.cli.json("identity", "matches", *N)["data"]
    }
    for who in ("J. Smith", "John Smith", "K. Jones", "Kim Jones"):
        empty_twin.cli("contacts", "edit", who, "--clear", "name", *N)

    said = empty_twin.cli("identity", "merge", pairs["+442079460002"], *N).stdout
    assert said.startswith(f"merged into {rich['john@smith.example']} (john@smith.example); "), said
    mid = pairs["+442079460003"]
    r = await empty_twin.parity(
        ["identity", "merge", mid, *N], "POST", f"/api/v1/identity/matches/{mid}/merge"
    )
    empty_twin.check_schema("POST", "/identity/matches/{match_id}/merge", r)
    merged = r.json()["data"]
    assert merged["survivor_id"] == rich["kim@jones.example"]
    assert merged["survivor_display_name"] == "kim@jones.example"

    # a scan that would merge two nameless contacts on one number names the survivor the same way
    _add(empty_twin, "--phone", "+14155550123", "--company", "Acme")
    _add(empty_twin, "--phone", "+14155550123", "--email", "x@example.com")
    r = await empty_twin.parity(
        ["identity", "scan", "--dry-run", *N], "POST", "/api/v1/identity/scan?dry_run=true"
    )
    empty_twin.check_schema("POST", "/identity/scan", r)
    (would,) = r.json()["meta"]["would_merge"]
    assert would["full_name"] is None and would["display_name"] == "x@example.com"
    dry = empty_twin.cli("identity", "scan", "--dry-run", *N).stdout
    assert dry.splitlines()[1].endswith(f"→ {would['survivor_id'][:8]} x@example.com"), dry


async def test_a_delete_names_the_nameless_contacts_merged_into_it(empty_twin: Any) -> None:
    """DELETE /contacts/{id} (`pcrm contacts rm --json`) lists the contacts merged into the deleted one;
    each now carries its display_name, a nameless one by its number [display-name]."""
    one = _add(empty_twin, "--phone", "+14155550100", "--title", "Pilot")
    _add(empty_twin, "--phone", "+14155550199")
    empty_twin.cli("contacts", "merge", "+14155550100", "+14155550199", *N)
    r = await empty_twin.parity(["contacts", "rm", one, "--yes"], "DELETE", f"/api/v1/contacts/{one}")
    empty_twin.check_schema("DELETE", "/contacts/{contact_id}", r)
    (went,) = r.json()["data"]["merged_contacts"]
    assert went["full_name"] is None and went["display_name"] == "+14155550199"
