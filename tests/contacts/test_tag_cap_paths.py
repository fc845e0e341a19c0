"""The tag cap on every path that adds tags to a contact [contact-tags]: a bulk update and AI tagging, which
the user drives, refuse what would take a contact past 50 tags, naming the contacts (a bulk update as a
whole, AI tagging per contact); a merge or an import keeps every tag and says who holds more than 50.
Through the CLI and the API (httpx over ASGITransport) on a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.llm_fake import MODEL_ID, Scripted, scripted_fixture
from tests.support.twin import NOW

N = ("--now", NOW)
BULK = "/api/v1/contacts/bulk-update"


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    yield from scripted_fixture(monkeypatch, tmp_path)


def _tags(n: int, prefix: str) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _add(twin: Any, name: str, *args: str) -> str:
    return str(twin.cli.json("contacts", "add", "--name", name, *args, *N)["data"]["id"])


def _tag_opts(tags: list[str], option: str = "--tag") -> list[str]:
    return [x for t in tags for x in (option, t)]


def _tags_of(twin: Any, cid: str) -> list[str]:
    return list(twin.cli.json("contacts", "show", cid)["data"]["tags"])


# ------------------------------------------------------------------ bulk updates


@pytest.mark.anyio
async def test_two_bulk_updates_under_the_cap_cannot_take_a_contact_past_it(empty_twin: Any) -> None:
    """Each request under 50, the sum over it: the second is refused as a whole, naming the contacts it would
    take past 50 and how many tags each would hold; nothing changes, not even on the contact with room."""
    ada = _add(empty_twin, "Ada Lovelace")
    bob = _add(empty_twin, "Bob Baker", "--tag", "friend")
    cleo = _add(empty_twin, "Cleo Clark")
    r = await empty_twin.request("POST", BULK, json={"contact_ids": [ada, bob], "add_tags": _tags(30, "a")})
    assert r.status_code == 200, r.text
    body = {"contact_ids": [ada, bob, cleo], "add_tags": _tags(25, "b")}
    r = await empty_twin.request("POST", BULK, json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["details"]["fields"][0]["field"] == "add_tags"
    assert err["message"] == (
        "add_tags: this update would leave 2 contacts with more than 50 tags, the most a contact holds: "
        "Ada Lovelace (30 now, 55 after), Bob Baker (31 now, 56 after); nothing changed"
    )
    assert "pcrm contacts untag 'Ada Lovelace' TAG" in err["hint"]
    listed = err["details"]["contacts"]
    assert [(c["id"], c["tags"], c["would_make"]) for c in listed] == [(ada, 30, 55), (bob, 31, 56)]
    assert len(_tags_of(empty_twin, ada)) == 30 and len(_tags_of(empty_twin, bob)) == 31
    assert _tags_of(empty_twin, cleo) == []
    # the tags it takes off make room: 30 - 5 + 25 = 50
    room = {"contact_ids": [ada], "remove_tags": _tags(5, "a"), "add_tags": _tags(25, "b")}
    r = await empty_twin.request("POST", BULK, json=room)
    assert r.status_code == 200, r.text
    assert len(_tags_of(empty_twin, ada)) == 50


def test_the_cli_bulk_update_refuses_it_too_by_name_and_by_where(empty_twin: Any) -> None:
    cli = empty_twin.cli
    _add(empty_twin, "Ada Lovelace", *_tag_opts(_tags(45, "a")), "--tag", "club")
    _add(empty_twin, "Bob Baker", "--tag", "club")
    more = _tag_opts(_tags(6, "b"), "--add-tag")
    for select in (["Ada Lovelace", "Bob Baker"], ["--where", "tag=club"]):
        for dry in ([], ["--dry-run"]):
            res = cli("contacts", "bulk-update", *select, *more, *dry, ok=False)
            assert res.exit_code == 1
            assert (
                "error: --add-tag: this update would leave 1 contact with more than 50 tags, the most a "
                "contact holds: Ada Lovelace (46 now, 52 after); nothing changed" in res.stderr
            )
            assert (
                "hint: take some tags off it first (e.g. pcrm contacts untag 'Ada Lovelace' TAG)"
                in res.stderr
            )
    env = cli.json("contacts", "bulk-update", "Ada Lovelace", "Bob Baker", *more, ok=False)
    assert (
        env["error"]["code"] == "validation_error"
        and env["error"]["details"]["fields"][0]["field"] == "add_tags"
    )
    counts = empty_twin.sql(
        "SELECT c.full_name, count(*) FROM contact_tags t JOIN contacts c ON c.id = t.contact_id GROUP BY 1"
    )
    assert sorted(counts) == [("Ada Lovelace", 46), ("Bob Baker", 1)]
    cli("contacts", "bulk-update", "Bob Baker", *more)  # Bob has room
    assert len(_tags_of(empty_twin, "Bob Baker")) == 7


def test_a_bulk_update_may_swap_a_tag_on_a_contact_an_import_left_past_the_cap(
    empty_twin: Any, tmp_path: Path
) -> None:
    """`pcrm contacts bulk-update "Old Many" --remove-tag t0 --add-tag vip` on a contact an import left with
    60 tags was refused as "Old Many (59 now, 60 after)": it holds 60, and 60 after is no more than it holds,
    which an edit of a contact past the cap may keep."""
    cli = empty_twin.cli
    people = tmp_path / "people.csv"
    people.write_text(f"full_name,email,tags\nOld Many,old@example.com,{';'.join(_tags(60, 't'))}\n", "utf-8")
    cli("import", str(people), *N)
    cli("contacts", "bulk-update", "Old Many", "--remove-tag", "t0", "--add-tag", "vip")
    tags = _tags_of(empty_twin, "old@example.com")
    assert len(tags) == 60 and "vip" in tags and "t0" not in tags
    # one more than it holds is refused, its count said as it is
    res = cli(
        "contacts",
        "bulk-update",
        "Old Many",
        "--remove-tag",
        "t1",
        *_tag_opts(["x", "y"], "--add-tag"),
        ok=False,
    )
    assert "Old Many (60 now, 61 after); nothing changed" in res.stderr


# ------------------------------------------------------------------ AI tagging


def _reply(prompt: str) -> str:
    """The model's answer: Engineer for an engineer, London for a Londoner."""
    import json

    data = prompt.split("<contact-data-", 1)[1].lower() if "<contact-data-" in prompt else ""
    return json.dumps({"tags": [t for t in ("Engineer", "London") if t.lower() in data]})


@pytest.mark.anyio
async def test_ai_tagging_leaves_a_contact_at_the_cap_untagged_and_names_it(
    empty_twin: Any, scripted: Scripted
) -> None:
    """`pcrm tags apply` / POST /contacts/tags/apply tag the others and name the contacts left untagged;
    `pcrm contacts auto-tag` / POST /contacts/{id}/auto-tag of such a contact is refused, naming it."""
    cli = empty_twin.cli
    full = _add(
        empty_twin, "Ada Lovelace", "--title", "Engineer", "--location", "London", *_tag_opts(_tags(49, "t"))
    )
    bob = _add(empty_twin, "Bob Baker", "--title", "Engineer")
    cli("settings", "set", "ai.model", MODEL_ID)
    r = await empty_twin.request(
        "PUT",
        "/api/v1/contacts/tags/taxonomy",
        json={"categories": {"Role": ["Engineer"], "Geography": ["London"]}, "status": "approved"},
    )
    assert r.status_code == 200, r.text
    scripted.reply = _reply

    res = cli("tags", "apply", "Ada Lovelace", "Bob Baker")
    assert "tagged 1 contact (0 already tagged, 0 failed)" in res.stdout
    assert "Not tagged: Ada Lovelace: its tags would pass 50, the most a contact holds" in res.stdout
    assert len(_tags_of(empty_twin, full)) == 49
    assert _tags_of(empty_twin, bob) == ["engineer"]
    notes = cli.json("notifications", "list", "--all")["data"]
    [note] = [n for n in notes if n["notification_type"] == "tagging"]
    assert note["body"].startswith("Tagged 1 of 2 contacts (0 already tagged). Not tagged: Ada Lovelace:")

    r = await empty_twin.request("POST", "/api/v1/contacts/tags/apply", json={"contact_ids": [full]})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["tagged_count"] == 0
    assert [(c["id"], c["tags"], c["would_make"]) for c in data["over_tag_cap"]] == [(full, 49, 51)]

    r = await empty_twin.request("POST", f"/api/v1/contacts/{full}/auto-tag")
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["message"] == (
        "tags: auto-tagging would leave 1 contact with more than 50 tags, the most a contact holds: "
        "Ada Lovelace (49 now, 51 after); nothing changed"
    )
    assert err["hint"].endswith("then auto-tag it again")
    res = cli("contacts", "auto-tag", "Ada Lovelace", ok=False)
    assert "auto-tagging would leave 1 contact with more than 50 tags" in res.stderr
    assert len(_tags_of(empty_twin, full)) == 49
    # with room made, it is tagged
    cli("contacts", "untag", "Ada Lovelace", "t0", "t1")
    assert cli.json("contacts", "auto-tag", "Ada Lovelace")["data"]["tags_added"] == ["engineer", "london"]


# ------------------------------------------------------------------ merges and imports keep every tag


@pytest.mark.anyio
async def test_a_merge_keeps_every_tag_past_the_cap_and_says_so(empty_twin: Any) -> None:
    cli = empty_twin.cli
    a = _add(empty_twin, "Ada Lovelace", "--email", "ada@example.com", *_tag_opts(_tags(30, "a")))
    b = _add(empty_twin, "Ada Lovelace", "--email", "ada@work.example", *_tag_opts(_tags(30, "b")))
    res = cli("contacts", "merge", a, b, "--dry-run")
    assert (
        "all 60 tags kept, past the 50 a contact takes: an edit may keep or cut them, not add more"
        in res.stdout
    )
    r = await empty_twin.request("POST", f"/api/v1/contacts/{a}/merge/{b}")
    assert r.status_code == 200, r.text
    done = r.json()["data"]
    assert done["tags_past_cap"] == 60
    survivor = done["id"]
    assert sorted(_tags_of(empty_twin, survivor)) == sorted(_tags(30, "a") + _tags(30, "b"))
    # past the cap, an edit keeps or cuts them, never adds
    res = cli("contacts", "tag", survivor, "one more", ok=False)
    assert "this change would make 61" in res.stderr
    cli("contacts", "untag", survivor, "a0")
    assert len(_tags_of(empty_twin, survivor)) == 59


def test_an_import_keeps_every_tag_past_the_cap_and_says_so(empty_twin: Any, tmp_path: Path) -> None:
    cli = empty_twin.cli
    first = tmp_path / "people.csv"
    first.write_text(
        "full_name,email,tags\n"
        f"Old Many,old@example.com,{';'.join(_tags(60, 't'))}\n"
        f"Ada Lovelace,ada@example.com,{';'.join(_tags(45, 'a'))}\n",
        encoding="utf-8",
    )
    res = cli("import", str(first), *N)
    assert "Old Many: all 60 tags kept, past the 50 a contact takes" in res.stdout
    assert "Ada Lovelace" not in res.stdout
    again = tmp_path / "more.csv"
    again.write_text(
        f"full_name,email,tags\nAda Lovelace,ada@example.com,{';'.join(_tags(10, 'b'))}\n", encoding="utf-8"
    )
    report = cli.json("import", str(again), *N)["data"]
    ada = cli.json("contacts", "show", "ada@example.com")["data"]
    assert report["tags_past_cap"] == [{"id": ada["id"], "display_name": "Ada Lovelace", "tags": 55}]
    assert len(ada["tags"]) == 55
    assert len(_tags_of(empty_twin, "old@example.com")) == 60


@pytest.mark.anyio
async def test_a_scan_merging_two_says_which_survivors_hold_more_than_50_tags(empty_twin: Any) -> None:
    phone = ("--phone", "+442079460000")
    survivor = _add(empty_twin, "Ada Lovelace", *phone, *_tag_opts(_tags(30, "a")))
    _add(empty_twin, "Ada Lovelace", *phone, *_tag_opts(_tags(30, "b")))
    res = empty_twin.cli("identity", "scan", "--dry-run", *N)
    assert f"{survivor[:8]} Ada Lovelace: all 60 tags kept, past the 50 a contact takes" in res.stdout
    r = await empty_twin.request("POST", "/api/v1/identity/scan")
    assert r.status_code == 200, r.text
    assert r.json()["meta"]["tags_past_cap"] == [{"id": survivor, "display_name": "Ada Lovelace", "tags": 60}]
    assert len(_tags_of(empty_twin, survivor)) == 60
