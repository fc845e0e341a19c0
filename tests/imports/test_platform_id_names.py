"""A contact known only by a platform's user id (an X archive's direct-messages.js whose sender you do not
follow: no name, no handle) was listed as "(no name)", `pcrm contacts show "(no name)"` found nothing and
`contacts show` hid its X id. It is shown by that id now ("X user 99999", "Telegram user 123")
[display-name], found again by it, and `contacts show` prints the platform ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pcrm.domain.models import display_name
from tests.support.api import V


def _archive(tmp_path: Path, corpus: Path) -> Path:
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")

    def dm(mid: str, sender: str, recipient: str, text: str, at: str) -> dict[str, Any]:
        msg = {"id": mid, "senderId": sender, "recipientId": recipient, "text": text, "createdAt": at}
        return {"messageCreate": {**msg, "urls": [], "mediaUrls": [], "reactions": []}}

    conv = {
        "dmConversation": {
            "conversationId": "12497-99999",
            "messages": [
                dm("100", "99999", "12497", "hi, loved your talk", "2021-06-01T12:00:00.000Z"),
                dm("101", "12497", "99999", "thanks!", "2021-06-01T12:05:00.000Z"),
            ],
        }
    }
    (data / "direct-messages.js").write_text(
        "window.YTD.direct_messages.part0 = " + json.dumps([conv]), encoding="utf-8"
    )
    return tmp_path / "archive"


def test_an_x_sender_known_by_id_alone_is_shown_and_found_by_it(
    imp: Any, cli: Any, corpus: Path, tmp_path: Path, empty_api: Any
) -> None:
    assert imp(_archive(tmp_path, corpus))["data"]["contacts_created"] == 1
    listed = cli("contacts", "list", "--format", "csv").stdout
    assert "X user 99999" in listed and "(no name)" not in listed, listed
    shown = cli("contacts", "show", "X user 99999").stdout
    assert "shown as" in shown and "X user 99999" in shown, shown
    assert any(line.split()[-1:] == ["99999"] and "twitter user id" in line for line in shown.splitlines()), (
        shown
    )
    assert cli.json("contacts", "show", "x user 99999")["data"]["twitter_user_id"] == "99999"
    # the API names the holder of that id as lists show it, where it said null
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Imposter", "twitter_user_id": "99999"})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["details"]["conflicting_contact"]["full_name"] == "X user 99999", r.text
    assert r.json()["error"]["message"].startswith("another contact already has"), r.text


def test_a_telegram_id_alone_names_a_contact_after_any_handle() -> None:
    assert display_name({"telegram_user_id": "123"}) == "Telegram user 123"
    assert display_name({"telegram_user_id": "123", "twitter_handle": "ada"}) == "@ada"
    assert display_name({"twitter_user_id": "9", "emails": ["a@b.example"]}) == "a@b.example"
    assert display_name({}) == "(no name)"
