"""Dates that cannot be yet. A birthday after today (`--birthday 2030-01-01`) was taken: lists said "turns
-3", --json's age was null and the calendar export started in 2030. The contact services refuse it, for the
CLI and the API alike, and an import keeps it as an extra field instead [future-birthdays]. An interaction
dated far ahead (`pcrm log ... --at 2062-03-14`, a typo of the year) is still taken, as a booked meeting is
[future-interactions], but no longer silently: the answer says it counts for nothing until then."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.crm import Crm


def test_a_birthday_after_today_is_refused_with_a_hint(crm: Crm) -> None:
    err = crm.rejects(
        "contacts",
        "add",
        "--name",
        "Baby",
        "--email",
        "b@x.com",
        "--birthday",
        "2030-01-01",
        code="validation_error",
        says="birthday '2030-01-01' is in the future (today is 2026-06-15)",
    )
    assert "MM-DD" in err["hint"]
    crm.add("Baby", "--email", "b@x.com", "--birthday", "2026-06-15")  # born today
    crm.rejects(
        "contacts", "edit", "Baby", "--birthday", "2026-06-16", code="validation_error", says="future"
    )
    assert crm.show("Baby")["birthday"] == "2026-06-15"
    crm.cli("contacts", "edit", "Baby", "--birthday", "06-16")  # a day without a year is any year's
    assert crm.show("Baby")["birthday"] == "06-16"


@pytest.mark.anyio
async def test_the_api_refuses_it_too(empty_twin: Any) -> None:
    r = await empty_twin.request(
        "POST", "/api/v1/contacts", json={"full_name": "Baby", "birthday": "2030-01-01"}
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"]["code"] == "validation_error" and "in the future" in body["error"]["message"]


def test_an_import_keeps_a_future_birthday_as_an_extra_field(crm: Crm, tmp_path: Path) -> None:
    card = tmp_path / "baby.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Baby Future\nEMAIL:baby@x.com\nBDAY:2030-01-01\nEND:VCARD\n"
    )
    got = crm.cli("import", str(card))
    said = "Card 1 (Baby Future): birthday '2030-01-01' is in the future: kept as an extra field"
    assert said in got.stderr, got.stderr
    baby = crm.show("baby@x.com")
    assert baby["birthday"] is None
    shown = crm.cli("contacts", "show", "baby@x.com").stdout
    # kept in a `birthday` field [kept-birthdays]
    assert re.search(r"^birthday as written +2030-01-01 *$", shown, re.MULTILINE), shown


def test_an_interaction_ahead_is_taken_and_said_even_a_call_tomorrow(crm: Crm) -> None:
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    typo = crm.cli(
        "log", "ada", "--platform", "call", "--direction", "outbound", "--at", "2062-03-14", "typo"
    )
    assert typo.exit_code == 0
    assert (
        "note: 2062-03-14 00:00 is 35 years ahead: kept as planned, it counts for nothing until then"
        in typo.stderr
    )
    body = crm.cli.json("log", "ada", "--platform", "email", "--at", "2026-06-20")
    assert "2026-06-20 00:00 is 5 days ahead" in body["meta"]["note"]
    # a meeting or a call booked ahead is said too: the same words catch `--at tomorrow` for the call just
    # had, which was taken without a word [future-interactions]
    for platform, at, words in (
        ("meeting", "in 5 days", "2026-06-20 12:00 is 5 days ahead"),
        ("call", "next friday", "2026-06-19 12:00 is 4 days ahead"),
        ("call", "tomorrow", "2026-06-16 12:00 is tomorrow"),
        ("email", "tomorrow 14:00", "2026-06-16 14:00 is tomorrow"),
        ("call", "in 3h", "2026-06-15 15:00 is later today"),
    ):
        said = crm.cli("log", "ada", "--platform", platform, "--at", at)
        assert said.exit_code == 0, (platform, at)
        assert f"note: {words}: kept as planned" in " ".join(said.stderr.split()), (platform, at)
    for at in ("now", "today", "yesterday", "3h ago"):
        assert crm.cli("log", "ada", "--at", at).stderr == "", at
