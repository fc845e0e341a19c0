"""The extension's pushes [extension-push]: LinkedIn and Meta payloads as the reference extension sends them,
through the ingest engine: matching, enrich_only, avatars, dedupe, per-item errors, 413, job changes,
webhook sync-history rows, backfill_needed."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from pcrm.services.imports import batches
from tests.support.api import assert_error, bearer, ctx, unsigned, web_token

pytestmark = pytest.mark.anyio
V = "/api/v1"
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 64).decode()


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")


@pytest.fixture
def ext(account: dict[str, Any]) -> dict[str, str]:
    return bearer(web_token(account["id"], kind="extension"))


def _profile(slug: str, **kw: Any) -> dict[str, Any]:
    return {
        "profile_id": slug,
        "profile_url": f"https://www.linkedin.com/in/{slug}/",
        "full_name": kw.pop("full_name", "Grace Hopper"),
        "headline": kw.pop("headline", "Rear Admiral at US Navy"),
        "company": kw.pop("company", "US Navy"),
        "location": "Arlington, VA",
        **kw,
    }


def _msg(i: int, slug: str | None = "grace-hopper", **kw: Any) -> dict[str, Any]:
    return {
        "profile_id": slug,
        "profile_name": "Grace Hopper",
        "direction": "inbound" if i % 2 else "outbound",
        "content_preview": f"message {i}",
        "timestamp": f"2025-02-{1 + i % 27:02d}T10:00:00.000Z",
        "conversation_id": "2-abc",
        "content_hash": f"h{i}",
        **kw,
    }


async def _contacts(client: Any, web: dict[str, str]) -> list[dict[str, Any]]:
    r = await client.get(f"{V}/contacts", params={"page_size": 100}, headers=web)
    return r.json()["data"]


async def test_linkedin_push_creates_fills_dedupes_and_reports(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    body = {
        "profiles": [
            _profile("grace-hopper", avatar_data=PNG),
            {"full_name": "No Id"},
            "garbage",
            {"profile_url": "https://example.com/in/grace", "full_name": "Elsewhere"},
        ],
        "messages": [
            _msg(1),
            _msg(2),
            _msg(3, slug=None, profile_name="Alan Turing"),
            _msg(4, conversation_id=""),
        ],
    }
    r = await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (2, 3)
    assert d["errors"] == [
        "profiles[1]: profile_id or profile_url is required",
        "profiles[2]: must be an object",
        "profiles[3]: 'https://example.com/in/grace' is not a LinkedIn profile address or slug",
        "messages[3]: conversation_id is required",
    ]
    people = {c["full_name"]: c for c in await _contacts(client, web)}
    g = people["Grace Hopper"]
    assert g["linkedin_profile_id"] == "grace-hopper" and g["title"] == "Rear Admiral"
    assert g["company"] == "US Navy" and g["linkedin_headline"] == "Rear Admiral at US Navy"
    assert unsigned(g["avatar_url"]) == f"/static/avatars/{g['id']}.png"
    assert people["Alan Turing"]["linkedin_profile_id"] is None  # a stub from a name-only message
    # Alan has no profile id: only Grace could be backfilled, and she is complete
    assert d["backfill_needed"] == []

    # the same push again adds nothing
    again = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert (again["contacts_created"], again["interactions_created"], again["interactions_skipped"]) == (
        0,
        0,
        3,
    )

    # a new job: headline and company replaced, a job_change event recorded
    moved = {"profiles": [_profile("grace-hopper", headline="Professor at Yale", company="Yale")]}
    r = await client.post(f"{V}/linkedin/push", json=moved, headers=ext)
    assert r.json()["data"]["contacts_updated"] == 1
    with ctx() as c:
        events = list(c.conn.execute("SELECT event_type, summary FROM detected_events"))
        hist = list(c.conn.execute("SELECT platform, sync_type, status FROM sync_runs ORDER BY id"))
    assert events == [("job_change", "Now Professor at Yale (was Rear Admiral at US Navy)")]
    # one webhook row per push that changed something (the repeat changed nothing)
    assert hist == [("linkedin", "webhook", "partial"), ("linkedin", "webhook", "success")]
    # the contact's activity feed lists it [job-changes]
    feed = (await client.get(f"{V}/contacts/{g['id']}/activity", headers=web)).json()["data"]
    assert [(e["event_type"], e["summary"], e["details"]["old_company"]) for e in feed["events"]] == [
        ("job_change", "Now Professor at Yale (was Rear Admiral at US Navy)", "US Navy")
    ]


async def test_a_pushed_new_job_moves_a_hand_typed_title_with_the_company(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """[job-changes]: the title the user typed was the old job's; the push's new job comes whole, and the
    typed title stays in the job_change event the contact's activity feed lists."""
    await client.post(f"{V}/linkedin/push", json={"profiles": [_profile("grace-hopper")]}, headers=ext)
    (g,) = await _contacts(client, web)
    r = await client.put(f"{V}/contacts/{g['id']}", json={"title": "Commodore"}, headers=web)
    assert r.status_code == 200 and r.json()["data"]["user_edited_fields"] == ["title"]
    moved = {"profiles": [_profile("grace-hopper", headline="Professor at Yale", company="Yale")]}
    assert (await client.post(f"{V}/linkedin/push", json=moved, headers=ext)).json()["data"][
        "contacts_updated"
    ] == 1
    (g,) = await _contacts(client, web)
    assert (g["company"], g["title"], g["user_edited_fields"]) == ("Yale", "Professor", [])
    feed = (await client.get(f"{V}/contacts/{g['id']}/activity", headers=web)).json()["data"]
    assert [(e["summary"], e["details"]["old_typed"]) for e in feed["events"]] == [
        ("Now Professor at Yale (was Commodore at US Navy)", ["title"])
    ]


async def test_enrich_only_never_creates_and_backfill_lists_the_incomplete(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    r = await client.post(
        f"{V}/linkedin/push", json={"profiles": [_profile("ada")], "enrich_only": True}, headers=ext
    )
    assert r.json()["data"]["contacts_created"] == 0 and await _contacts(client, web) == []
    await client.post(
        f"{V}/linkedin/push", json={"profiles": [_profile("ada", full_name="Ada L")]}, headers=ext
    )
    r = await client.post(
        f"{V}/linkedin/push",
        json={"profiles": [_profile("ada", full_name="Ada L", avatar_data="data:text/html;base64,AAAA")]},
        headers=ext,
    )
    d = r.json()["data"]
    assert d["errors"] == ["profiles[0]: avatar_data must be a data:image/(jpeg|png|gif|webp);base64 URL"]
    (only,) = d["backfill_needed"]
    assert only["linkedin_profile_id"] == "ada" and only["linkedin_url"] == "https://www.linkedin.com/in/ada"


async def test_oversized_pushes_are_refused_whole(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    r = await client.post(f"{V}/linkedin/push", json={"messages": [_msg(i) for i in range(501)]}, headers=ext)
    assert_error(r, "payload_too_large", 413)
    r = await client.post(
        f"{V}/meta/push", json={"platform": "facebook", "profiles": [{"platform_id": "1"}] * 51}, headers=ext
    )
    assert_error(r, "payload_too_large", 413)
    assert await _contacts(client, web) == []
    big = "data:image/png;base64," + "A" * (7 * 1024 * 1024)
    r = await client.post(
        f"{V}/linkedin/push", json={"profiles": [_profile("x", avatar_data=big)]}, headers=ext
    )
    d = r.json()["data"]
    assert d["contacts_created"] == 1 and d["errors"] == ["profiles[0]: avatar_data is larger than 5 MB"]


async def test_meta_push(client: Any, ext: dict[str, str], web: dict[str, str]) -> None:
    me = (await client.get(f"{V}/auth/me", headers=web)).json()["data"]
    assert me["meta_connected"] is False
    body = {
        "platform": "instagram",
        "profiles": [{"platform_id": "1789", "name": "Katherine Johnson", "username": "KJohnson"}],
        "messages": [
            {
                "message_id": "m1",
                "conversation_id": "c1",
                "platform_id": "1789",
                "sender_name": "Katherine Johnson",
                "direction": "inbound",
                "content_preview": "hello",
                "timestamp": "2025-02-20T09:00:00Z",
                "reactions": [{"reactor_id": "1789", "type": "love"}],
                "read_by": ["1789"],
            },
            {"conversation_id": "c1", "sender_name": "x"},
        ],
    }
    r = await client.post(f"{V}/meta/push", json=body, headers=ext)
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (1, 1)
    assert d["errors"] == ["messages[1]: message_id is required"]
    (k,) = await _contacts(client, web)
    assert k["instagram_id"] == "1789" and k["instagram_username"] == "kjohnson"
    assert d["backfill_needed"] == [{"contact_id": k["id"], "platform_id": "1789", "platform": "instagram"}]
    its = (await client.get(f"{V}/contacts/{k['id']}/interactions", headers=web)).json()["data"]
    assert its[0]["platform"] == "instagram" and its[0]["raw_reference_id"] == "instagram:m1"
    assert its[0]["extra_data"]["reactions"] == [{"reactor_id": "1789", "type": "love"}]
    again = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
    assert again["interactions_created"] == 0
    me = (await client.get(f"{V}/auth/me", headers=web)).json()["data"]
    assert me["meta_connected"] is True
    r = await client.post(f"{V}/meta/push", json={"platform": "myspace"}, headers=ext)
    assert_error(r, "validation_error", 422)


async def _pairs(client: Any, web: dict[str, str]) -> list[set[str]]:
    r = await client.get(f"{V}/identity/matches", headers=web)
    assert r.status_code == 200, r.text
    return [{m["contact_a_id"], m["contact_b_id"]} for m in r.json()["data"]]


async def _messages_of(client: Any, web: dict[str, str], cid: str) -> list[str]:
    r = await client.get(f"{V}/contacts/{cid}/interactions", headers=web)
    assert r.status_code == 200, r.text
    return sorted(i["content_preview"] for i in r.json()["data"])


async def test_later_pushes_of_a_chat_find_its_sender_by_the_conversation(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """A sender known by name alone is found again by the conversation the new messages belong to
    [import-matching]: three pushes of one chat make one contact, not a stub a push; another chat of a
    namesake is another contact, queued with the first (a name alone joins nobody)."""
    for batch in ((1, 2), (3,), (4, 5)):
        body = {"messages": [_msg(i, slug=None) for i in batch]}
        d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
        assert d["errors"] == [] and d["interactions_created"] == len(batch)
    (grace,) = await _contacts(client, web)
    assert await _messages_of(client, web, grace["id"]) == [f"message {i}" for i in range(1, 6)]
    assert await _pairs(client, web) == []
    other = {"messages": [_msg(6, slug=None, conversation_id="2-xyz")]}
    d = (await client.post(f"{V}/linkedin/push", json=other, headers=ext)).json()["data"]
    assert d["contacts_created"] == 1
    namesake = next(c for c in await _contacts(client, web) if c["id"] != grace["id"])
    assert await _messages_of(client, web, namesake["id"]) == ["message 6"]
    assert await _pairs(client, web) == [{grace["id"], namesake["id"]}]
    # the namesake's chat goes on finding the namesake, Grace's chat Grace
    body = {"messages": [_msg(7, slug=None, conversation_id="2-xyz"), _msg(8, slug=None)]}
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 2)
    assert await _messages_of(client, web, namesake["id"]) == ["message 6", "message 7"]
    assert len(await _messages_of(client, web, grace["id"])) == 6
    assert len(await _pairs(client, web)) == 1


async def test_meta_chats_of_namesakes_stay_apart_and_each_finds_its_sender(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """Messenger alike: in one push, two chats of a "Dorothy Vaughan" are two contacts and a pair, and a
    message pushed with the name alone joins the platform id's contact of its own chat; later pushes of new
    messages find each chat's contact."""

    def msg(mid: str, conv: str, **kw: Any) -> dict[str, Any]:
        return {
            "message_id": mid,
            "conversation_id": conv,
            "sender_name": "Dorothy Vaughan",
            "direction": "inbound",
            "content_preview": mid,
            "timestamp": "2025-02-20T09:00:00Z",
            **kw,
        }

    first = [msg("a1", "t1", platform_id="42"), msg("a2", "t1"), msg("b1", "t2")]
    body = {"platform": "facebook", "messages": first}
    d = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (2, 3)
    body = {"platform": "facebook", "messages": [msg("a3", "t1"), msg("b2", "t2")]}
    d = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 2)
    a, b = sorted(await _contacts(client, web), key=lambda c: c.get("facebook_id") != "42")
    assert await _messages_of(client, web, a["id"]) == ["a1", "a2", "a3"]
    assert await _messages_of(client, web, b["id"]) == ["b1", "b2"]
    assert await _pairs(client, web) == [{a["id"], b["id"]}]


async def _questions(client: Any, web: dict[str, str]) -> list[tuple[set[str], str]]:
    r = await client.get(f"{V}/identity/matches", headers=web)
    assert r.status_code == 200, r.text
    return [({m["contact_a_id"], m["contact_b_id"]}, m["reason"]) for m in r.json()["data"]]


async def _rename(client: Any, web: dict[str, str], cid: str, name: str) -> None:
    r = await client.put(f"{V}/contacts/{cid}", json={"full_name": name}, headers=web)
    assert r.status_code == 200, r.text


async def test_a_renamed_or_merged_sender_is_found_by_its_conversation(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """A sender known by name alone is found by the conversation after the user renamed its contact
    ("Grace Hopper" -> "Grandma Grace"), or merged it into a contact of another name: the chat's messages
    keep the name they were pushed with [import-matching]. A namesake in another chat stays another contact,
    and each chat goes on finding its own."""
    body = {"messages": [_msg(1, slug=None), _msg(2, slug=None)]}
    assert (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]["errors"] == []
    (grace,) = await _contacts(client, web)
    await _rename(client, web, grace["id"], "Grandma Grace")
    d = (await client.post(f"{V}/linkedin/push", json={"messages": [_msg(3, slug=None)]}, headers=ext)).json()
    assert (d["data"]["contacts_created"], d["data"]["interactions_created"]) == (0, 1), d
    (grace,) = await _contacts(client, web)
    assert grace["full_name"] == "Grandma Grace"  # the chat's name is not put back, nor kept aside
    assert await _messages_of(client, web, grace["id"]) == ["message 1", "message 2", "message 3"]
    assert await _pairs(client, web) == []

    other = {"messages": [_msg(4, slug=None, conversation_id="2-xyz")]}
    assert (await client.post(f"{V}/linkedin/push", json=other, headers=ext)).json()["data"][
        "contacts_created"
    ] == 1
    namesake = next(c for c in await _contacts(client, web) if c["id"] != grace["id"])
    both = {"messages": [_msg(5, slug=None), _msg(6, slug=None, conversation_id="2-xyz")]}
    d = (await client.post(f"{V}/linkedin/push", json=both, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 2)
    assert await _messages_of(client, web, grace["id"]) == [f"message {i}" for i in (1, 2, 3, 5)]
    assert await _messages_of(client, web, namesake["id"]) == ["message 4", "message 6"]

    # merged into a contact of another name: the survivor holds the chat, and its next push finds it
    r = await client.post(f"{V}/contacts", json={"full_name": "G. M. Hopper", "company": "Yale"}, headers=web)
    assert r.status_code in (200, 201), r.text
    kept = r.json()["data"]["id"]
    r = await client.post(f"{V}/contacts/{kept}/merge/{namesake['id']}", headers=web)
    assert r.status_code == 200, r.text
    survivor = r.json()["data"]["id"]
    d = (
        await client.post(
            f"{V}/linkedin/push",
            json={"messages": [_msg(7, slug=None, conversation_id="2-xyz")]},
            headers=ext,
        )
    ).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 1)
    assert await _messages_of(client, web, survivor) == ["message 4", "message 6", "message 7"]
    assert len(await _contacts(client, web)) == 2


async def test_a_group_chat_finds_each_renamed_member_and_never_joins_two_people(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """Messenger group chat: each renamed member is found by the name its messages came with; a new
    member is a contact of their own, neither joined to nor asked about with the others; a name two
    contacts of the chat are known by joins neither: a contact of its own, asked about with each, the
    conversation as the reason [import-matching]."""

    def msg(mid: str, sender: str, **kw: Any) -> dict[str, Any]:
        return {
            "message_id": mid,
            "conversation_id": "g1",
            "sender_name": sender,
            "direction": "inbound",
            "content_preview": mid,
            "timestamp": "2025-02-20T09:00:00Z",
            **kw,
        }

    async def push(*messages: dict[str, Any]) -> dict[str, Any]:
        body = {"platform": "facebook", "messages": list(messages)}
        d: dict[str, Any] = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
        assert d["errors"] == [], d
        return d

    d = await push(msg("a1", "Alice Smith"), msg("b1", "Bob Jones"), msg("p1", "Pat Kim", platform_id="77"))
    assert d["contacts_created"] == 3
    ids = {c["full_name"]: c["id"] for c in await _contacts(client, web)}
    await _rename(client, web, ids["Alice Smith"], "Auntie Alice")
    await _rename(client, web, ids["Bob Jones"], "Uncle Bob")
    d = await push(msg("a2", "Alice Smith"), msg("b2", "Bob Jones"), msg("c1", "Carol White"))
    assert (d["contacts_created"], d["interactions_created"]) == (1, 3)
    assert await _messages_of(client, web, ids["Alice Smith"]) == ["a1", "a2"]
    assert await _messages_of(client, web, ids["Bob Jones"]) == ["b1", "b2"]
    carol = next(c["id"] for c in await _contacts(client, web) if c["full_name"] == "Carol White")
    assert await _messages_of(client, web, carol) == ["c1"]
    assert await _pairs(client, web) == []

    # two contacts of the chat known by one name (one by the name alone, one by its platform id): both
    # renamed, the name joins neither
    await push(msg("d1", "Dan Brown"))
    dad = next(c["id"] for c in await _contacts(client, web) if c["full_name"] == "Dan Brown")
    await _rename(client, web, dad, "Dad")
    await push(msg("d2", "Dan Brown", platform_id="99"))
    work = next(c["id"] for c in await _contacts(client, web) if c.get("facebook_id") == "99")
    await _rename(client, web, work, "Daniel at work")
    d = await push(msg("d3", "Dan Brown"))
    assert (d["contacts_created"], d["interactions_created"]) == (1, 1)
    stub = next(c["id"] for c in await _contacts(client, web) if c["full_name"] == "Dan Brown")
    assert await _messages_of(client, web, stub) == ["d3"]
    asked = await _questions(client, web)
    assert sorted((sorted(p), why) for p, why in asked) == sorted(
        (sorted({stub, other}), "they share conversation facebook g1") for other in (dad, work)
    )
    # the chat's later messages of that name find the new contact, and ask nothing more
    d = await push(msg("d4", "Dan Brown"))
    assert (d["contacts_created"], d["interactions_created"]) == (0, 1)
    assert await _messages_of(client, web, stub) == ["d3", "d4"]
    assert len(await _questions(client, web)) == 2


async def test_a_chat_imported_from_the_export_and_renamed_is_asked_about_not_joined(
    client: Any, ext: dict[str, str], web: dict[str, str], corpus: Any
) -> None:
    """A conversation whose messages came without a pushed name (LinkedIn's export; pushes from before
    pcrm kept it) held by a contact the user renamed: the pushed sender may be that contact, or another
    member: it gets a contact of its own, asked about with the renamed one, the conversation as the reason;
    a contact not renamed (another name in the chat) is not asked about [import-matching]."""
    f = corpus / "linkedin" / "linkedin-network-intelligence__Messages.csv"
    files = {"file": (f.name, f.read_bytes(), "text/csv")}
    r = await client.post(
        f"{V}/contacts/import/linkedin-messages", files=files, data={"me": "Test User"}, headers=web
    )
    assert r.status_code == 200, r.text
    ids = {c["full_name"]: c["id"] for c in await _contacts(client, web)}
    alice, bob = ids["Alice Johnson"], ids["Bob Williams"]
    await _rename(client, web, alice, "Prof. Johnson")

    def pushed(i: int, name: str, conv: str) -> dict[str, Any]:
        return _msg(i, slug=None, profile_name=name, conversation_id=conv)

    body = {"messages": [pushed(1, "Alice Johnson", "conv001"), pushed(2, "Robert Williams", "conv002")]}
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (2, 2), d
    new = {c["full_name"]: c["id"] for c in await _contacts(client, web)}
    assert len(await _messages_of(client, web, alice)) == 4  # the export's, none added
    assert await _messages_of(client, web, new["Alice Johnson"]) == ["message 1"]
    assert await _questions(client, web) == [
        ({alice, new["Alice Johnson"]}, "they share conversation linkedin conv001")
    ]
    assert bob not in {x for p, _ in await _questions(client, web) for x in p}


async def test_messages_written_together_keep_repeats_out_across_chunks(
    client: Any, ext: dict[str, str], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine inserts a batch's interactions a chunk per statement: a message repeated within the
    push, within or across chunks, is stored once and counted as skipped; the re-push adds nothing."""
    from pcrm.store import interactions

    monkeypatch.setattr(interactions, "MANY_CHUNK", 7)
    msgs = [_msg(i) for i in range(30)] + [_msg(3), _msg(29), _msg(12)]
    body = {"profiles": [_profile("grace-hopper")], "messages": msgs}
    r = await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    d = r.json()["data"]
    assert (d["interactions_created"], d["interactions_skipped"]) == (30, 3), d
    r = await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    d = r.json()["data"]
    assert (d["interactions_created"], d["interactions_skipped"]) == (0, 33), d
    (grace,) = await _contacts(client, web)
    r = await client.get(f"{V}/contacts/{grace['id']}/interactions", params={"limit": 100}, headers=web)
    got = sorted(i["content_preview"] for i in r.json()["data"])
    assert got == sorted(f"message {i}" for i in range(30))
    assert grace["interaction_count"] == 30


async def test_a_malformed_message_adds_nobody(client: Any, ext: dict[str, str], web: dict[str, str]) -> None:
    """A message item refused for a bad field is reported and leaves no stub contact behind (its sender
    was staged before the bad field was read, so a contact with no message appeared) [extension-push]."""
    bad_text = {"content_preview": {"rich": "text"}}
    body = {"messages": [_msg(1, **bad_text), _msg(2, slug=None, profile_name="Alan Turing", **bad_text)]}
    r = await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    d = r.json()["data"]
    assert d["errors"] == [
        "messages[0]: content_preview must be text",
        "messages[1]: content_preview must be text",
    ]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 0)
    meta = {"message_id": "m1", "conversation_id": "c1", "timestamp": "2025-02-20T09:00:00Z"}
    body = {
        "platform": "facebook",
        "messages": [
            {**meta, "platform_id": "42", "sender_name": "Katherine Johnson", "reactions": "love"},
            {**meta, "message_id": "m2", "sender_name": "Dorothy Vaughan", "content_preview": 3.5},
        ],
    }
    d = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
    assert d["errors"] == [
        "messages[0]: reactions must be a list",
        "messages[1]: content_preview must be text",
    ]
    assert d["contacts_created"] == 0
    assert await _contacts(client, web) == []


async def test_a_message_longer_than_an_interaction_keeps_is_cut_and_says_so(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """A content_preview over the 10,000 characters a message keeps [text-limits] is stored cut, and the
    push's errors say so for that item (it was cut silently), on LinkedIn and Meta alike."""
    long = "word " * 2_400  # 11,999 characters once trimmed
    body = {"messages": [_msg(1, content_preview=long), _msg(2)]}
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert d["interactions_created"] == 2
    assert d["errors"] == [
        "messages[0]: content_preview is 11,999 characters long; the first 10,000 were kept"
    ]
    meta = {
        "platform": "facebook",
        "messages": [
            {
                "message_id": "m1",
                "conversation_id": "c1",
                "platform_id": "42",
                "sender_name": "Katherine Johnson",
                "direction": "inbound",
            }
            | {"content_preview": long, "timestamp": "2025-02-20T09:00:00Z"}
        ],
    }
    d = (await client.post(f"{V}/meta/push", json=meta, headers=ext)).json()["data"]
    assert d["interactions_created"] == 1
    assert d["errors"] == [
        "messages[0]: content_preview is 11,999 characters long; the first 10,000 were kept"
    ]
    for contact in await _contacts(client, web):
        r = await client.get(f"{V}/contacts/{contact['id']}/interactions", headers=web)
        kept = [i["content_preview"] for i in r.json()["data"] if len(i["content_preview"]) > 100]
        assert kept == [long.strip()[:10_000]]


async def test_control_characters_in_pushed_text_are_dropped_not_the_names(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """A scraped name with a NUL or a bell in it keeps its letters: the name was refused with a row error
    while its contact was still created, nameless, and a message from such a sender was skipped."""
    body = {
        "profiles": [_profile("grace-hopper", full_name="Grace\x00 Hopper\x07", company="US\x01 Navy")],
        "messages": [_msg(1, slug=None, profile_name="Alan\x00 Turing", content_preview="hi\x00 there")],
    }
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert d["errors"] == [] and (d["contacts_created"], d["interactions_created"]) == (2, 1)
    meta = {"platform": "facebook", "profiles": [{"platform_id": "42", "name": "Kath\x00erine Johnson\x1b"}]}
    d = (await client.post(f"{V}/meta/push", json=meta, headers=ext)).json()["data"]
    assert d["errors"] == [] and d["contacts_created"] == 1
    got = {c["full_name"]: c for c in await _contacts(client, web)}
    assert sorted(got) == ["Alan Turing", "Grace Hopper", "Katherine Johnson"]
    assert got["Grace Hopper"]["company"] == "US Navy"
    r = await client.get(f"{V}/contacts/{got['Alan Turing']['id']}/interactions", headers=web)
    assert [i["content_preview"] for i in r.json()["data"]] == ["hi there"]


async def test_a_contact_known_by_its_member_id_takes_the_profile_pushed_with_it(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # the extension saw Grace by LinkedIn's anonymised member id first, then her profile page: the profile
    # (slug + member id) enriches that contact instead of creating a second Grace [extension-push]
    anonymous = {"profiles": [{"profile_id": "ACoAAA1", "full_name": "Grace Hopper"}]}
    assert (await client.post(f"{V}/linkedin/push", json=anonymous, headers=ext)).status_code == 200
    # (a profile visit: the extension pushes it to enrich only, never to create)
    profile = {"profiles": [_profile("grace-hopper", member_id="ACoAAA1")], "enrich_only": True}
    d = (await client.post(f"{V}/linkedin/push", json=profile, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 1)
    (g,) = await _contacts(client, web)
    assert g["linkedin_profile_id"] == "grace-hopper"
    assert g["linkedin_url"] == "https://www.linkedin.com/in/grace-hopper" and g["company"] == "US Navy"
    # the member id still finds her: a push naming her by it adds nobody
    again = (await client.post(f"{V}/linkedin/push", json=anonymous, headers=ext)).json()["data"]
    assert again["contacts_created"] == 0
    assert [c["id"] for c in await _contacts(client, web)] == [g["id"]]

    # her public address changed since: the new one is hers, the old one kept beside it, not the new twice
    moved = {"profiles": [_profile("grace-m-hopper", member_id="ACoAAA1")]}
    d = (await client.post(f"{V}/linkedin/push", json=moved, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 1)
    (g,) = await _contacts(client, web)
    assert g["linkedin_url"] == "https://www.linkedin.com/in/grace-m-hopper"
    with ctx() as c:
        kept = [r[0] for r in c.conn.execute("SELECT value FROM contact_fields WHERE kind = 'social'")]
    assert kept == ["X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/grace-hopper"]


async def test_a_dm_partner_known_by_member_id_alone_is_the_profile_visited_later(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # LinkedIn's messages give a member whose public address they hide by the anonymised id: the reference
    # extension pushes it as profile_id. The sender is that id's contact, which the profile visit (slug and
    # member id, enrich_only) then completes; it was a contact of the name alone the visit never found
    dm = {"messages": [_msg(1, slug="ACoAAB2")]}
    d = (await client.post(f"{V}/linkedin/push", json=dm, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (1, 1)
    (stub,) = await _contacts(client, web)
    assert stub["linkedin_profile_id"] == "ACoAAB2"
    visit = {"profiles": [_profile("grace-hopper", member_id="ACoAAB2")], "enrich_only": True}
    d = (await client.post(f"{V}/linkedin/push", json=visit, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 1)
    (g,) = await _contacts(client, web)
    assert (g["id"], g["linkedin_profile_id"], g["company"]) == (stub["id"], "grace-hopper", "US Navy")
    # the next messages, by the member id again or by the slug, are hers
    more = {"messages": [_msg(2, slug="ACoAAB2"), _msg(3, slug="grace-hopper")]}
    d = (await client.post(f"{V}/linkedin/push", json=more, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 2)
    assert [c["id"] for c in await _contacts(client, web)] == [g["id"]]


async def test_a_chat_pushed_by_name_before_is_found_when_its_messages_come_with_the_member_id(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # an earlier push gave the sender's name alone (a contact found since by its chat); the next gives the
    # member id too: the chat's contact, which now holds the id, not a second Grace
    first = {"messages": [_msg(1, slug=None)]}
    assert (await client.post(f"{V}/linkedin/push", json=first, headers=ext)).json()["data"][
        "contacts_created"
    ] == 1
    (g,) = await _contacts(client, web)
    later = {"messages": [_msg(2, slug="ACoAAB3")]}
    d = (await client.post(f"{V}/linkedin/push", json=later, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 1)
    (again,) = await _contacts(client, web)
    assert (again["id"], again["linkedin_profile_id"]) == (g["id"], "ACoAAB3")


async def test_a_contact_created_from_a_profile_keeps_its_member_id_for_the_dms_that_give_only_it(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # the reference extension's backfill pushes a profile (slug + member id, not enrich_only): it creates
    # Grace, beside a namesake of another profile. Her DMs then come by the member id alone, in a chat never
    # pushed before: they are hers, not a third Grace's queued with the two [extension-push]
    made = {"profiles": [_profile("grace-hopper", member_id="ACoAAC1"), _profile("grace-hopper-nyc")]}
    d = (await client.post(f"{V}/linkedin/push", json=made, headers=ext)).json()["data"]
    assert d["contacts_created"] == 2
    (g,) = [c for c in await _contacts(client, web) if c["linkedin_profile_id"] == "grace-hopper"]
    dm = {"messages": [_msg(1, slug="ACoAAC1", conversation_id="2-new")]}
    d = (await client.post(f"{V}/linkedin/push", json=dm, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"], d["errors"]) == (0, 1, [])
    assert len(await _contacts(client, web)) == 2
    assert await _messages_of(client, web, g["id"]) == ["message 1"]
    assert await _pairs(client, web) == []
    # within one push too: the profile and a DM giving its member id alone are one person
    both = {
        "profiles": [_profile("alan-turing", full_name="Alan Turing", member_id="ACoAAC2")],
        "messages": [_msg(2, slug="ACoAAC2", profile_name="Alan Turing", conversation_id="2-alan")],
    }
    d = (await client.post(f"{V}/linkedin/push", json=both, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (1, 1)
    (a,) = [c for c in await _contacts(client, web) if c["full_name"] == "Alan Turing"]
    assert a["linkedin_profile_id"] == "alan-turing"
    assert await _messages_of(client, web, a["id"]) == ["message 2"]
    # a profile whose profile_id is the member id and whose address gives the slug keeps both too
    odd = {"profiles": [{**_profile("ada-l", full_name="Ada Lovelace"), "profile_id": "ACoAAC3"}]}
    assert (await client.post(f"{V}/linkedin/push", json=odd, headers=ext)).json()["data"][
        "contacts_created"
    ] == 1
    (ada,) = [c for c in await _contacts(client, web) if c["full_name"] == "Ada Lovelace"]
    assert ada["linkedin_profile_id"] == "ada-l" and "ACoAAC3" in [v for _c, v in _linkedin_ids()]


def _linkedin_ids() -> list[tuple[int, str]]:
    with ctx() as c:
        return [
            (r[0], r[1])
            for r in c.conn.execute(
                "SELECT contact_id, external_id FROM contact_identities WHERE platform = 'linkedin' "
                "ORDER BY contact_id, id"
            )
        ]


async def test_a_profile_visit_gives_a_contact_known_by_its_slug_the_member_id(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # Grace came with her slug alone (an older push, beside a namesake); her profile visit (enrich_only)
    # brings the member id, which her later DMs give alone
    old = {"profiles": [_profile("grace-hopper"), _profile("grace-hopper-nyc")]}
    d = (await client.post(f"{V}/linkedin/push", json=old, headers=ext)).json()["data"]
    assert d["contacts_created"] == 2
    visit = {"profiles": [_profile("grace-hopper", member_id="ACoAAD1")], "enrich_only": True}
    d = (await client.post(f"{V}/linkedin/push", json=visit, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 1)
    assert _linkedin_ids() == [(1, "grace-hopper"), (1, "ACoAAD1"), (2, "grace-hopper-nyc")]
    with ctx() as c:  # the push is undone as any batch: the member id goes with it
        (visit_batch,) = [b for b in batches.history(c).data if b["report"]["contacts_created"] == 0]
        batches.undo(c, visit_batch["id"])
    assert _linkedin_ids() == [(1, "grace-hopper"), (2, "grace-hopper-nyc")]
    d = (await client.post(f"{V}/linkedin/push", json=visit, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 1)
    dm = {"messages": [_msg(1, slug="ACoAAD1", conversation_id="2-new")]}
    d = (await client.post(f"{V}/linkedin/push", json=dm, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 1)
    (g,) = [c for c in await _contacts(client, web) if c["linkedin_profile_id"] == "grace-hopper"]
    assert await _messages_of(client, web, g["id"]) == ["message 1"]
    assert len(await _contacts(client, web)) == 2
    # the same visit again changes nothing
    d = (await client.post(f"{V}/linkedin/push", json=visit, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["contacts_updated"]) == (0, 0)


async def test_a_member_id_another_contact_holds_is_asked_about_not_taken(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    # Grace by her slug (an older push), and a DM partner by the member id alone (a contact of their own,
    # "G. Hopper"). The profile visit says the slug's member id is the DM partner's: the two contacts are
    # asked about; the member id stays with its holder, whose messages stay theirs
    old = {"profiles": [_profile("grace-hopper")]}
    assert (await client.post(f"{V}/linkedin/push", json=old, headers=ext)).status_code == 200
    dm = {"messages": [_msg(1, slug="ACoAAE1", profile_name="G. Hopper", conversation_id="2-dm")]}
    assert (await client.post(f"{V}/linkedin/push", json=dm, headers=ext)).json()["data"][
        "contacts_created"
    ] == 1
    by = {c["full_name"]: c for c in await _contacts(client, web)}
    g, stub = by["Grace Hopper"], by["G. Hopper"]
    visit = {"profiles": [_profile("grace-hopper", member_id="ACoAAE1")], "enrich_only": True}
    d = (await client.post(f"{V}/linkedin/push", json=visit, headers=ext)).json()["data"]
    assert d["contacts_created"] == 0
    said = "LinkedIn member id ACoAAE1 belongs to another contact; not added (pcrm identity matches asks"
    assert d["errors"] == [f"profiles: Row 1: {said} about the two)"]
    assert await _questions(client, web) == [
        # only the DM partner holds the member id: Grace's profile gave it [shared-key-reasons]
        (
            {g["id"], stub["id"]},
            "only G. Hopper holds LinkedIn member id ACoAAE1; it came in a record of Grace Hopper too",
        )
    ]
    later = {"messages": [_msg(2, slug="ACoAAE1", profile_name="G. Hopper", conversation_id="2-dm")]}
    d = (await client.post(f"{V}/linkedin/push", json=later, headers=ext)).json()["data"]
    assert (d["contacts_created"], d["interactions_created"]) == (0, 1)
    assert await _messages_of(client, web, stub["id"]) == ["message 1", "message 2"]
    assert await _messages_of(client, web, g["id"]) == []


async def test_a_pushed_headline_the_user_typed_over_is_kept_aside(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """[protected-fields]: LinkedIn owns the headline, but not one the user typed; the pushed headline was
    dropped without a word, now it is kept aside (once: the same push again adds nothing)."""
    await client.post(f"{V}/linkedin/push", json={"profiles": [_profile("grace-hopper")]}, headers=ext)
    (g,) = await _contacts(client, web)
    r = await client.put(f"{V}/contacts/{g['id']}", json={"linkedin_headline": "Admiral"}, headers=web)
    assert r.status_code == 200 and r.json()["data"]["user_edited_fields"] == ["linkedin_headline"]
    moved = {"profiles": [_profile("grace-hopper", headline="Rear Admiral, retired")]}
    assert (await client.post(f"{V}/linkedin/push", json=moved, headers=ext)).status_code == 200
    (g,) = await _contacts(client, web)
    assert g["linkedin_headline"] == "Admiral"
    with ctx() as c:
        kept = list(c.conn.execute("SELECT kind, value FROM contact_fields"))
    assert kept == [("x", "X-PCRM-HEADLINE:Rear Admiral\\, retired")]
    again = (await client.post(f"{V}/linkedin/push", json=moved, headers=ext)).json()["data"]
    assert again["contacts_updated"] == 0
    with ctx() as c:
        assert list(c.conn.execute("SELECT count(*) FROM contact_fields")) == [(1,)]


async def test_a_pushed_title_without_a_company_is_not_written_beside_the_old_one(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """[job-changes]: a profile pushed with the headline 'Professor at Yale' and no company made Grace
    'Professor at US Navy', and the job_change event said so: a position that never was. The title cut
    from the headline names no employer, so it is not paired with the company held: it is kept aside."""
    await client.post(f"{V}/linkedin/push", json={"profiles": [_profile("grace-hopper")]}, headers=ext)
    moved = {"profiles": [_profile("grace-hopper", headline="Professor at Yale", company=None)]}
    assert (await client.post(f"{V}/linkedin/push", json=moved, headers=ext)).status_code == 200
    (g,) = await _contacts(client, web)
    assert (g["company"], g["title"]) == ("US Navy", "Rear Admiral")
    with ctx() as c:
        kept = list(c.conn.execute("SELECT kind, value FROM contact_fields WHERE kind = 'prop'"))
    assert kept == [("prop", "TITLE:Professor")]
    feed = (await client.get(f"{V}/contacts/{g['id']}/activity", headers=web)).json()["data"]
    assert feed["events"] == []


async def test_a_pushed_value_replaced_as_the_reference_did_is_said_in_errors(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """`{"direction": "sideways", "timestamp": "not-a-date"}` was stored inbound at the push's time with
    `errors: []`, its reference built from the bad timestamp (`linkedin:2-abc:not-a-date`). The values are
    still replaced as the reference did, and each replacement is said; a message with neither a content_hash
    nor a valid timestamp has no reference to be stored by, and is refused."""
    body = {
        "messages": [
            _msg(1, direction="sideways", timestamp="not-a-date"),
            _msg(2, direction="OUTBOUND", content_hash=None, timestamp="also-not-a-date"),
            _msg(3, direction=None, content_hash=None, timestamp="2025-02-10T10:00:00Z"),
            _msg(4, content_hash=None, timestamp=None),
        ]
    }
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert d["errors"] == [
        "messages[0]: timestamp 'not-a-date' is no ISO 8601 time; the time of the push was used",
        "messages[0]: direction 'sideways' is neither inbound nor outbound; inbound was used",
        (
            "messages[1]: timestamp 'also-not-a-date' is no ISO 8601 time, and without a content_hash the "
            "message has no reference"
        ),
        "messages[2]: direction is missing; inbound was used",
        "messages[3]: timestamp is missing, and without a content_hash the message has no reference",
    ]
    assert d["interactions_created"] == 2
    [grace] = await _contacts(client, web)
    r = await client.get(f"{V}/contacts/{grace['id']}/interactions", headers=web)
    got = sorted((i["content_preview"], i["direction"], i["occurred_at"]) for i in r.json()["data"])
    assert got == [
        ("message 1", "inbound", "2025-03-01T12:00:00.000Z"),
        ("message 3", "inbound", "2025-02-10T10:00:00.000Z"),
    ]
    with ctx() as c:
        refs = sorted(r for (r,) in c.conn.execute("SELECT raw_reference_id FROM interactions"))
    assert refs == ["linkedin:2-abc:2025-02-10T10:00:00Z", "linkedin:2-abc:h1"]
    meta = {
        "platform": "instagram",
        "messages": [
            {
                "message_id": "m1",
                "conversation_id": "c1",
                "platform_id": "42",
                "sender_name": "Katherine Johnson",
                "direction": 1,
                "timestamp": 1740000000,
            }
        ],
    }
    d = (await client.post(f"{V}/meta/push", json=meta, headers=ext)).json()["data"]
    assert d["interactions_created"] == 1
    assert d["errors"] == [
        "messages[0]: direction 1 is neither inbound nor outbound; inbound was used",
        "messages[0]: timestamp 1740000000 is no ISO 8601 time; the time of the push was used",
    ]


async def test_a_push_after_the_user_renamed_the_organization_changes_nothing(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """[company-orgs]: the organization's name before the user renamed it is that employer still: the same
    profile pushed again neither sets the company back, nor records a job change, nor makes the old
    organization again."""
    body = {"profiles": [_profile("grace-hopper")]}
    await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    (g,) = await _contacts(client, web)
    orgs = (await client.get(f"{V}/organizations", headers=web)).json()["data"]
    r = await client.patch(
        f"{V}/organizations/{orgs[0]['id']}", json={"name": "United States Navy"}, headers=web
    )
    assert r.status_code == 200, r.text
    again = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    (g,) = await _contacts(client, web)
    assert g["company"] == "United States Navy"
    feed = (await client.get(f"{V}/contacts/{g['id']}/activity", headers=web)).json()["data"]
    assert feed["events"] == []
    names = [o["name"] for o in (await client.get(f"{V}/organizations", headers=web)).json()["data"]]
    assert names == ["United States Navy"]


async def test_a_push_after_the_user_cleared_the_profile_makes_no_second_person(
    client: Any, ext: dict[str, str], web: dict[str, str]
) -> None:
    """[protected-fields]: a profile the user took off a contact (`PUT` with linkedin_url null) is not
    pushed back onto it, and the same profile pushed again is that contact, not a second Grace Hopper."""
    body = {"profiles": [_profile("grace-hopper")]}
    await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    (g,) = await _contacts(client, web)
    r = await client.put(f"{V}/contacts/{g['id']}", json={"linkedin_url": None}, headers=web)
    assert r.status_code == 200, r.text
    again = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    (g,) = await _contacts(client, web)
    assert (g["linkedin_url"], g["linkedin_profile_id"]) == (None, None)
