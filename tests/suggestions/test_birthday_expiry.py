"""A birthday suggestion expires a week after the day [birthday-expiry]. `pcrm suggestions snooze maya
--days 30` two days before Maya's birthday, then `pcrm suggestions list` a month later, listed "Birthday 29
days ago ... Happy birthday, Maya!", and the open suggestion kept her out of every other trigger until
dismissed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.store import StoreReader, dump_store
from tests.support.world import NOW, due_history  # NOW: Monday 2026-06-01T08:00Z, the store's zone UTC

BDAY = "06-03"  # Wednesday: in the birthday trigger's window at NOW; its last day shown is 06-10
pytestmark = pytest.mark.anyio


def _rows(home: Any) -> list[tuple[Any, ...]]:
    return StoreReader(home).q("SELECT uuid, status, dismissed_by FROM follow_up_suggestions")


def _ids(cli: Any, *args: str) -> list[str]:
    return [s["id"] for s in cli.json("suggestions", "list", *args)["data"]]


def _birthday(cli: Any, world: Any, *, history: bool = False) -> dict[str, Any]:
    world.contact("Maya Berg", birthday=BDAY, history=due_history() if history else ())
    [made] = cli.json("suggestions", "generate")["data"]
    assert made["trigger_type"] == "birthday" and made["reason"] == "Birthday in 2 days"
    return made


def test_a_birthday_suggestion_goes_a_week_after_the_day(
    cli: Any, world: Any, monkeypatch: Any, pcrm_home: Any
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    made = _birthday(cli, world)
    listed = cli.json("suggestions", "list", "--now", "2026-06-10T20:00:00Z")["data"]
    assert [(s["id"], s["reason"]) for s in listed] == [(made["id"], "Birthday 7 days ago")]

    # a read as of a later day leaves it out, and writes nothing [what-if-reads]
    before = dump_store(pcrm_home / "pcrm.db")["follow_up_suggestions"]
    later = "2026-07-02T10:00:00Z"
    assert _ids(cli, "--now", later) == []
    assert cli.json("digest", "--now", later)["data"] == []
    assert "Maya" not in cli("digest", "--now", later).stdout
    assert dump_store(pcrm_home / "pcrm.db")["follow_up_suggestions"] == before

    # the day after its last day comes: the read dismisses it as the system's (no cooldown)
    monkeypatch.setenv("PCRM_NOW", "2026-06-11T00:30:00Z")
    assert _ids(cli) == []
    assert _rows(pcrm_home) == [(made["id"], "dismissed", "system")]


def test_an_expired_birthday_no_longer_keeps_the_contact_from_other_triggers(
    cli: Any, world: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    made = _birthday(cli, world, history=True)  # a birthday wins over her time-based trigger
    # still open on its last day: nothing new for her
    assert cli.json("suggestions", "generate", "--now", "2026-06-10T12:00:00Z")["data"] == []
    [after] = cli.json("suggestions", "generate", "--now", "2026-06-11T12:00:00Z")["data"]
    assert after["id"] != made["id"] and after["trigger_type"] == "time_based"
    assert after["contact"]["full_name"] == "Maya Berg"


def test_snoozing_a_birthday_suggestion_past_the_day_ends_on_the_birthday(
    cli: Any, world: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    made = _birthday(cli, world)
    r = cli("suggestions", "snooze", "maya", "--days", "30")
    assert "snoozed until 2026-06-03 09:00" in r.stdout
    assert "note: Maya Berg's birthday is on 2026-06-03: snoozed until that morning" in r.stderr, r.stderr
    # it comes back on the day, and is gone a week later
    assert _ids(cli, "--now", "2026-06-03T10:00:00Z") == [made["id"]]
    assert _ids(cli, "--now", "2026-06-11T10:00:00Z") == []
    # a snooze that ends before the day is kept as asked, without a note
    env = cli.json("suggestions", "snooze", "maya", "--until", "2026-06-02T12:00")
    assert env["data"]["scheduled_for"] == "2026-06-02T12:00:00.000Z" and "note" not in env["meta"]


def test_a_snooze_outliving_a_birthday_suggestion_says_it_will_not_come_back(
    cli: Any, world: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    _birthday(cli, world)
    monkeypatch.setenv("PCRM_NOW", "2026-06-03T10:00:00Z")  # the birthday itself
    env = cli.json("suggestions", "snooze", "maya", "--days", "30")
    assert env["data"]["scheduled_for"] == "2026-07-03T10:00:00.000Z"  # kept as asked
    assert env["meta"]["note"].startswith(
        "Maya Berg's birthday is today: this suggestion goes after 2026-06-10"
    )
    assert "will not come back" in env["meta"]["note"]
    # within the week it is kept without a word
    env = cli.json("suggestions", "snooze", "maya", "--days", "2")
    assert "note" not in env["meta"]


async def test_the_api_caps_a_birthday_snooze_and_says_so(
    world: Any, client: Any, script: dict[str, str], monkeypatch: Any, cli: Any
) -> None:
    monkeypatch.setenv("PCRM_NOW", NOW)
    made = _birthday(cli, world)
    r = await client.put(
        f"/api/v1/suggestions/{made['id']}",
        json={"status": "snoozed", "snooze_until": "2026-07-01T00:00:00Z"},
        headers=script,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["data"]["scheduled_for"] == "2026-06-03T09:00:00.000Z"
    assert "birthday is on 2026-06-03" in body["meta"]["note"]
    r = await client.get("/api/v1/suggestions", params={}, headers=script)
    assert r.json()["data"] == []  # snoozed
