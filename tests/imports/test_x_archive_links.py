"""X archive direct messages: a message's links as the addresses they stand for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

DM = {
    "dmConversation": {
        "conversationId": "12497-777",
        "messages": [
            {
                "messageCreate": {
                    "recipientId": "777",
                    "reactions": [],
                    "urls": [
                        {
                            "url": "https://t.co/abc",
                            "expanded": "https://example.org/long/path",
                            "display": "example.org/long/path",
                        }
                    ],
                    "text": "Schau mal: https://t.co/abc – Grüße 😀",
                    "mediaUrls": [],
                    "senderId": "12497",
                    "id": "100",
                    "createdAt": "2021-06-01T12:00:00.000Z",
                }
            }
        ],
    }
}


def test_a_dms_t_co_link_is_stored_as_the_address_it_stands_for(imp, cli, corpus, tmp_path: Path):
    """`pcrm import twitter-archive/` stored 'Schau mal: https://t.co/abc' and dropped the address the
    archive gives beside it (`urls[].expanded`): a t.co link says nothing once read away from X. The
    text keeps the expanded address; a rerun adds nothing."""
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")
    text = "window.YTD.direct_messages.part0 = " + json.dumps([DM], ensure_ascii=False)
    (data / "direct-messages.js").write_text(text, encoding="utf-8")
    rep = imp(tmp_path / "archive")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (1, 1)
    (person,) = cli.json("contacts", "list")["data"]
    (msg,) = cli.json("interactions", "list", person["id"])["data"]
    assert msg["content_preview"] == "Schau mal: https://example.org/long/path – Grüße 😀"
    assert msg["direction"] == "outbound" and msg["occurred_at"] == "2021-06-01T12:00:00.000Z"
    assert imp(tmp_path / "archive")["data"]["batch_id"] is None
