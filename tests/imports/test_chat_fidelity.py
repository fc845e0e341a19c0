"""What chat exports carry beside their messages' text, kept through `pcrm import` on a store in tmp_path:
WhatsApp's edited marker and deleted-message placeholders, LinkedIn's folder and conversation title (and
its UTC dates), X's DM reactions, Telegram's contacts-list dates [chat-takeouts]."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _messages(cli: Any, who: str) -> list[tuple[str | None, dict[str, Any] | None]]:
    """(text, extra_data) of a contact's interactions, oldest first."""
    items = cli.json("interactions", "list", who, "--all")["data"]
    return [(i["content_preview"], i["extra_data"]) for i in sorted(items, key=lambda i: i["occurred_at"])]


def test_whatsapps_edited_marker_is_no_text_of_the_message(imp, cli, tmp_path: Path):
    """`pcrm import 'WhatsApp Chat with Ann Lee.txt'` stored "hi there <This message was edited>" as the
    text: WhatsApp's marker read as the sender's words. The text is kept without it and the message says
    it was edited (Android, iOS after a direction mark, Italian); a rerun adds nothing."""
    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(
        "12/01/2024, 10:00 - Ann Lee: hello\n"
        "12/01/2024, 10:01 - Me Myself: hi there <This message was edited>\n"
        "12/01/2024, 10:02 - Ann Lee: Ciao\nsecond line <Questo messaggio è stato modificato>\n"
        "12/01/2024, 10:03 - Ann Lee: see you \u200e<This message was edited>\n"
        "12/01/2024, 10:04 - Ann Lee: I wrote <This message was edited> on purpose\n",
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert rep["interactions_created"] == 5
    assert _messages(cli, "Ann Lee") == [
        ("hello", None),
        ("hi there", {"edited": True}),
        ("Ciao\nsecond line", {"edited": True}),
        ("see you", {"edited": True}),
        ("I wrote <This message was edited> on purpose", None),
    ]
    again = imp(f, "--me", "Me Myself")["data"]
    assert (again["interactions_created"], again["batch_id"]) == (0, None)
