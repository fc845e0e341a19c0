"""[shared-keys] in the write-time resolver and the tier-1 pass of `pcrm identity scan`, on contacts added
by hand: a key joins two contacts only when their names agree; with conflicting names the pair is queued
with the key as its reason; a phone on three or more contacts is a shared line. Numbers are in E.164 so
they normalise the same under any `phone_region`."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.domain.contact_input import parse_contact
from pcrm.domain.identity_names import parse_name
from pcrm.domain.shared_keys import Hit, decide, holds_all, kept_field
from pcrm.services import resolver
from tests.support.seed import bulk_add
from tests.support.store import count_contacts

LINE = "+46 8 555 010 20"
LINE_E164 = "+46855501020"
NOW = ("--now", "2026-06-01T12:00:00Z")


def _names(cli: Any) -> list[str]:
    return sorted(c["full_name"] for c in cli.json("contacts", "list", "--page-size", "100", *NOW)["data"])


def test_a_phone_another_contact_holds_is_accepted_when_typed_an_email_is_409(cli: Any) -> None:
    cli("contacts", "add", "--name", "Anna Berg", "--phone", LINE, "--email", "anna@berg.example", *NOW)
    # phones are not unique (a family landline): the write goes through, the scan judges the pair
    erik = cli.json("contacts", "add", "--name", "Erik Berg", "--phone", LINE, *NOW)["data"]
    assert erik["phones"] == [LINE]
    err = cli.json("contacts", "edit", erik["id"], "--email", "anna@berg.example", ok=False)["error"]
    assert err["code"] == "conflict" and err["details"]["conflicting_contact"]["full_name"] == "Anna Berg"


def test_scan_queues_an_office_line_under_two_names(cli: Any, ctx: Any) -> None:
    cli("contacts", "add", "--name", "Anna Berg", "--phone", LINE, "--company", "Berg AB", *NOW)
    cli("contacts", "add", "--name", "Erik Berg", "--phone", LINE, "--company", "Berg AB", *NOW)
    out = cli.json("identity", "scan", *NOW)
    # before: merged, Erik's name gone, nothing to undo
    assert out["data"] == {"auto_merged": 0, "pending_review": 1, "matches_found": 1}
    assert out["meta"]["backup"] is None  # no merge, no backup
    (m,) = cli.json("identity", "matches", *NOW)["data"]
    assert m["id"] in out["meta"]["pending_review_ids"]
    assert m["shared_key"] == {"key": "phone", "value": LINE_E164} and m["match_method"] == "deterministic"
    assert f"they share phone {LINE}" in cli("identity", "matches", *NOW).stdout
    assert count_contacts(ctx) == 2
    again = cli.json("identity", "scan", *NOW)["data"]
    assert again == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}


def test_a_shared_phone_under_compatible_names_merges_and_an_unmerge_sticks(cli: Any, ctx: Any) -> None:
    # a nickname of one name: "J. Smith" would be asked (an initial is not enough on a phone)
    cli("contacts", "add", "--name", "Robert Smith", "--phone", "+1 202 555 0143", *NOW)
    cli("contacts", "add", "--name", "Bob Smith", "--phone", "+12025550143", "--tag", "golf", *NOW)
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 1 and out["data"]["pending_review"] == 0
    assert count_contacts(ctx) == 1
    history = cli.json("identity", "history", *NOW)["data"]
    assert len(history) == 1 and history[0]["match_method"] == "deterministic"
    cli("contacts", "unmerge", history[0]["id"], *NOW)
    # [rejected-pairs]: the unmerged pair stays apart, in tier 1 and in the queue
    assert cli.json("identity", "scan", *NOW)["data"]["matches_found"] == 0
    assert _names(cli) == ["Bob Smith", "Robert Smith"]


def test_extensions_of_one_line_are_different_phones_and_the_bare_line_reaches_each(
    cli: Any, ctx: Any
) -> None:
    """[value-normalisation]: two desks of one switchboard (ext 9, ext 7) are two phones, so tier 1 links
    nobody on them even under one name; the bare line reaches a desk, so the same person typed with and
    without the extension is one contact."""
    cli("contacts", "add", "--name", "Desk Nine", "--phone", "+44 20 7946 0958 ext 9", *NOW)
    cli("contacts", "add", "--name", "Desk Nine", "--phone", "+44 20 7946 0958 ext 7", *NOW)
    assert cli.json("identity", "scan", *NOW)["meta"]["deterministic_merged"] == 0
    cli("contacts", "add", "--name", "Ada Lovelace", "--phone", "+44 161 496 0123 ext 12", *NOW)
    cli("contacts", "add", "--name", "Ada Lovelace", "--phone", "+44 161 496 0123", "--tag", "math", *NOW)
    assert cli.json("identity", "scan", *NOW)["meta"]["deterministic_merged"] == 1
    assert sorted(_names(cli)) == ["Ada Lovelace", "Desk Nine", "Desk Nine"]


def test_a_switchboard_added_by_hand_links_nobody(cli: Any, ctx: Any) -> None:
    for name in ("Astrid Lindqvist", "Hiro Nakamura", "Chidi Okafor", "Ivan Petrov", "Maeve Quinn"):
        cli("contacts", "add", "--name", name, "--phone", LINE, *NOW)
    cli("contacts", "add", "--name", "Astrid L.", "--phone", LINE, *NOW)  # compatible, but only the line
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 0
    assert not any(m["shared_key"] for m in cli.json("identity", "matches", *NOW)["data"])
    assert count_contacts(ctx) == 6


def test_a_shared_email_under_conflicting_names_is_asked_not_merged(cli: Any, ctx: Any) -> None:
    bulk_add(ctx, full_name="Anna Berg", emails=["family@berg.example"])
    bulk_add(ctx, full_name="Erik Berg", emails=["family@berg.example"])
    out = cli.json("identity", "scan", *NOW)
    assert out["data"]["auto_merged"] == 0 and out["data"]["pending_review"] == 1
    (m,) = cli.json("identity", "matches", *NOW)["data"]
    assert m["shared_key"] == {"key": "email", "value": "family@berg.example"}


def test_a_contact_without_a_name_cannot_chain_two_people(cli: Any, ctx: Any) -> None:
    # the nameless record shares Anna's email and Erik's line: it may join Anna, but then the group
    # {Anna, it} and Erik have conflicting names
    bulk_add(ctx, full_name="Anna Berg", emails=["anna@berg.example"])
    bulk_add(ctx, emails=["anna@berg.example"], phones=[LINE])
    bulk_add(ctx, full_name="Erik Berg", phones=[LINE])
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["deterministic_merged"] == 1 and out["data"]["pending_review"] == 1
    assert _names(cli) == ["Anna Berg", "Erik Berg"]
    (m,) = cli.json("identity", "matches", *NOW)["data"]
    assert {m["contact_a"]["full_name"], m["contact_b"]["full_name"]} == {"Anna Berg", "Erik Berg"}


def test_an_email_in_notes_under_another_name_is_asked(cli: Any, ctx: Any) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io", *NOW)
    cli("contacts", "add", "--name", "Charles Babbage", "--notes", "assistant: ada@analytical.io", *NOW)
    out = cli.json("identity", "scan", *NOW)
    assert out["data"]["auto_merged"] == 0 and out["data"]["pending_review"] == 1
    (m,) = cli.json("identity", "matches", *NOW)["data"]
    assert m["shared_key"] == {"key": "email_in_notes", "value": "ada@analytical.io"}


def test_name_only_contacts_by_hand_two_john_smiths_and_one_twice(cli: Any, ctx: Any) -> None:
    cli("contacts", "add", "--name", "John Smith", "--birthday", "1980-04-02", *NOW)
    cli("contacts", "add", "--name", "John Smith", "--birthday", "1975-11-30", *NOW)
    out = cli.json("identity", "scan", *NOW)
    assert out["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    cli("contacts", "add", "--name", "Jane Roe", "--company", "Acme", "--birthday", "1990-01-02", *NOW)
    cli("contacts", "add", "--name", "Jane Roe", "--company", "Acme", "--birthday", "1990-01-02", *NOW)
    out = cli.json("identity", "scan", *NOW)
    assert out["meta"]["probabilistic_merged"] == 1  # the scorer is sure: one Jane Roe
    assert count_contacts(ctx) == 3


def test_dry_run_predicts_the_pairs_tier_1_would_queue(cli: Any, ctx: Any) -> None:
    cli("contacts", "add", "--name", "Anna Berg", "--phone", LINE, *NOW)
    cli("contacts", "add", "--name", "Erik Berg", "--phone", LINE, *NOW)
    dry = cli.json("identity", "scan", "--dry-run", *NOW)["data"]
    assert cli.json("identity", "matches", *NOW)["data"] == []
    assert (
        dry
        == cli.json("identity", "scan", *NOW)["data"]
        == {
            "auto_merged": 0,
            "pending_review": 1,
            "matches_found": 1,
        }
    )


def test_the_resolver_attaches_records_only_under_compatible_names(ctx: Any) -> None:
    bulk_add(ctx, full_name="Anna Berg", emails=["anna@berg.example"], phones=[LINE])

    def resolve(**data: Any) -> tuple[bool, list[str]]:
        d = resolver.resolve(ctx.conn, parse_contact(data, phone_region=None))
        return d.match is not None, [h.key for h in d.conflicts]

    assert resolve(full_name="A. Berg", emails=["anna@berg.example"]) == (True, [])
    assert resolve(emails=["anna@berg.example"]) == (True, [])  # no name: nothing contradicts
    assert resolve(full_name="Erik Berg", emails=["anna@berg.example"]) == (False, ["email"])
    assert resolve(full_name="Erik Berg", phones=[LINE]) == (False, ["phone"])
    assert (
        resolver.find(ctx.conn, parse_contact({"full_name": "Erik Berg", "emails": ["anna@berg.example"]}))
        is None
    )


# ---------------------------------------------------------------- the pure rule


def _hit(key: str, holder: int, name: str, holders: int = 1) -> Hit[int]:
    return Hit(key, "v", holder, (parse_name(name),), holders)


@pytest.mark.parametrize(
    "hits,match,conflicts",
    [
        ([_hit("email", 1, "Anna Berg")], 1, []),
        ([_hit("email", 1, "Erik Berg")], None, [1]),
        ([_hit("email", 1, "Erik Berg"), _hit("phone", 2, "Anna Berg", 2)], 2, [1]),
        ([_hit("phone", 1, "Anna Berg", 3)], None, []),  # a shared line: neither joins nor conflicts
        ([_hit("phone", 1, "Erik Berg", 3)], None, []),
        ([_hit("email", 1, "Anna Berg"), _hit("phone", 1, "Anna Berg", 2)], 1, []),
    ],
)
def test_decide(hits: list[Hit[int]], match: int | None, conflicts: list[int]) -> None:
    d = decide(parse_name("Anna Berg"), hits)
    assert d.match == match and [h.holder for h in d.conflicts] == conflicts


def test_decide_prefers_the_identity_holder_of_a_rejected_pair() -> None:
    # (two names that may be one person's on an email: "Pat Lee Jr" would be his son, a conflict)
    hits = [
        _hit("email", 1, "Pat Lee"),
        _hit("email", 2, "P. Lee"),
        _hit("twitter_handle", 2, "P. Lee"),
    ]
    assert decide(parse_name("Pat Lee"), hits).match == 2  # 2 holds the email too
    hits = [_hit("email", 1, "Pat Lee"), _hit("twitter_handle", 2, "P. Lee")]
    assert decide(parse_name("Pat Lee"), hits).match == 1
    assert decide(parse_name("Pat Lee"), hits, rejected=lambda a, b: {a, b} == {1, 2}).match == 2


def test_kept_values_round_trip_shapes_and_reruns() -> None:
    assert kept_field("birthday", "05-01") == {"kind": "date", "label": "birthday", "value": "--05-01"}
    assert kept_field("location", "Paris, France")["value"] == ";;;Paris\\, France;;;"
    assert kept_field("notes", "a;b")["value"] == "X-PCRM-NOTE:a\\;b"
    cur = {"full_name": "John Smith", "title": "CEO", "tags": ["golf"]}
    assert holds_all(cur, {"full_name": "JOHN  smith", "tags": ["golf"]}, set())
    assert not holds_all(cur, {"full_name": "John Smith", "title": "CTO"}, set())
    assert holds_all(cur, {"full_name": "John Smith", "title": "CTO"}, {("prop", "TITLE:CTO")})
    assert not holds_all(cur, {"full_name": "John Smith", "birthday": "1980-01-01"}, set())  # it would fill


@pytest.mark.anyio
async def test_over_the_api_a_shared_phone_is_created_and_the_scan_asks(
    client: Any, script: dict[str, str]
) -> None:
    r = await client.post(
        "/api/v1/contacts", headers=script, json={"full_name": "Anna Berg", "phones": [LINE]}
    )
    assert r.status_code == 201, r.text
    # a phone is not unique: no 409 for Erik, unlike an email another contact holds
    r = await client.post(
        "/api/v1/contacts", headers=script, json={"full_name": "Erik Berg", "phones": [LINE]}
    )
    assert r.status_code == 201, r.text
    erik = r.json()["data"]["id"]
    r = await client.put(f"/api/v1/contacts/{erik}", headers=script, json={"phones": [LINE, "+12025550143"]})
    assert r.status_code == 200, r.text
    scan = (await client.post("/api/v1/identity/scan", headers=script)).json()
    assert scan["data"] == {"auto_merged": 0, "pending_review": 1, "matches_found": 1}
    (m,) = (await client.get("/api/v1/identity/matches", headers=script)).json()["data"]
    assert m["shared_key"] == {"key": "phone", "value": LINE_E164}
    assert m["id"] == scan["meta"]["pending_review_ids"][0]
