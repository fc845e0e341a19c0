"""One chat partner in two apps [distinctive-names]: a display name an emoji or a symbol marks ("Grace 🧤"),
the same on Telegram and on WhatsApp and held by no other contact, is asked about (never merged), while a
plain one-word name ("Alex"), a marked name three contacts hold, or two such contacts whose phones differ
stay apart and unasked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.paths import require_testdata

NOW = ("--now", "2026-06-01T12:00:00Z")


def _telegram(cli: Any) -> None:
    """The old Telegram Desktop export of a personal chat with "Grace 🧤" (its names stored as mojibake)."""
    sample = require_testdata() / "telegram" / "langchain__telegram_old_format.json"
    cli("import", str(sample), "--me", "Henry", *NOW)


def _whatsapp(cli: Any, tmp_path: Path, name: str = "Grace 🧤") -> None:
    chat = tmp_path / f"WhatsApp Chat with {name}.txt"
    chat.write_text(
        f"[13/02/2024, 10:00:00] {name}: are we still on for Friday?\n[13/02/2024, 10:01:00] Me: yes!\n",
        encoding="utf-8",
    )
    cli("import", str(chat), "--format", "whatsapp", "--me", "Me", *NOW)


def _named(cli: Any, name: str) -> list[dict[str, Any]]:
    return [c for c in cli.json("contacts", "list", "--all", *NOW)["data"] if c["full_name"] == name]


def test_one_emoji_marked_name_on_telegram_and_whatsapp_is_asked_never_merged(
    cli: Any, tmp_path: Path
) -> None:
    _telegram(cli)
    _whatsapp(cli, tmp_path)
    graces = _named(cli, "Grace 🧤")
    assert sorted(c["source"] for c in graces) == ["telegram", "whatsapp"]
    # the WhatsApp import asks already; a scan merges nothing and asks nothing more
    scan = cli.json("identity", "scan", *NOW)["data"]
    assert scan["auto_merged"] == 0 and scan["pending_review"] == 0
    (pair,) = cli.json("identity", "matches", *NOW)["data"]
    assert {pair["contact_a_id"], pair["contact_b_id"]} == {c["id"] for c in graces}
    assert pair["match_score"] == 0.70
    assert "on Telegram and on WhatsApp" in pair["reason"] and "asked, never merged" in pair["reason"]
    assert len(_named(cli, "Grace 🧤")) == 2
    # the hint and its explanation agree with the queue
    text = cli("contacts", "duplicates", graces[0]["id"], "--explain", *NOW).stdout
    assert "0.70 Grace 🧤" in text and "guard distinctive_name" in text and "score 0.70 → review" in text
    assert "single_token_name" not in text


def test_a_plain_one_word_name_from_two_apps_is_not_asked(cli: Any, tmp_path: Path) -> None:
    """ "Alex" on Telegram and "Alex" on WhatsApp, among other Alexes: a first name alone names many."""
    chat = tmp_path / "result.json"
    chat.write_text(
        '{"name": "Alex", "type": "personal_chat", "id": 4711, "messages": [{"id": 1, "type": "message", '
        '"date": "2024-01-02T10:00:00", "from": "Alex", "from_id": 4711, "text": "hi"}]}',
        encoding="utf-8",
    )
    cli("import", str(chat), "--format", "telegram", *NOW)
    _whatsapp(cli, tmp_path, "Alex")
    assert len(_named(cli, "Alex")) == 2
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 0
    for _ in range(2):
        cli("contacts", "add", "--name", "Alex", *NOW)
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 0
    assert cli.json("identity", "matches", *NOW)["data"] == []


def test_the_same_marked_name_with_two_different_phones_is_not_asked(cli: Any, tmp_path: Path) -> None:
    _telegram(cli)
    (grace,) = _named(cli, "Grace 🧤")
    cli("contacts", "edit", grace["id"], "--phone", "+44 20 7946 0001", *NOW)
    card = tmp_path / "grace.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Grace 🧤\nTEL:+44 20 7946 0002\nEND:VCARD\n", encoding="utf-8"
    )
    cli("import", str(card), *NOW)
    assert len(_named(cli, "Grace 🧤")) == 2
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 0
    assert cli.json("identity", "matches", *NOW)["data"] == []


def test_a_marked_name_three_contacts_hold_is_not_asked(cli: Any, tmp_path: Path) -> None:
    for _ in range(2):
        cli("contacts", "add", "--name", "Grace 🧤", *NOW)
    _telegram(cli)
    _whatsapp(cli, tmp_path)
    assert len(_named(cli, "Grace 🧤")) == 4
    assert cli.json("identity", "scan", *NOW)["data"]["pending_review"] == 0
    assert cli.json("identity", "matches", *NOW)["data"] == []
