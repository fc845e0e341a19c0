"""X archive direct messages: a message's links as the addresses they stand for, its media by kind."""

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
            },
            {
                "messageCreate": {
                    "recipientId": "12497",
                    "reactions": [],
                    "urls": [],
                    "text": "",
                    "mediaUrls": ["https://ton.twitter.com/dm/101/9/photo.jpg"],
                    "senderId": "777",
                    "id": "101",
                    "createdAt": "2021-06-01T12:05:00.000Z",
                }
            },
        ],
    }
}


def test_a_dms_t_co_link_and_a_photo_alone_are_kept(imp, cli, corpus, tmp_path: Path):
    """`pcrm import twitter-archive/` stored 'Schau mal: https://t.co/abc' and dropped the address the
    archive gives beside it (`urls[].expanded`): a t.co link says nothing once read away from X. The
    text keeps the expanded address. A photo sent without words was a message with no text at all: it
    is `[photo]`. A rerun adds nothing."""
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")
    text = "window.YTD.direct_messages.part0 = " + json.dumps([DM], ensure_ascii=False)
    (data / "direct-messages.js").write_text(text, encoding="utf-8")
    rep = imp(tmp_path / "archive")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (1, 2)
    (person,) = cli.json("contacts", "list")["data"]
    photo, msg = cli.json("interactions", "list", person["id"])["data"]
    assert msg["content_preview"] == "Schau mal: https://example.org/long/path – Grüße 😀"
    assert msg["direction"] == "outbound" and msg["occurred_at"] == "2021-06-01T12:00:00.000Z"
    # a photo sent alone was an empty row of the timeline: its kind is its text, as chat exports keep it
    assert (photo["content_preview"], photo["extra_data"], photo["direction"]) == (
        "[photo]",
        {"media": "photo"},
        "inbound",
    )
    assert imp(tmp_path / "archive")["data"]["batch_id"] is None


def test_a_photo_sent_alone_as_its_own_t_co_link_is_a_photo(imp, cli, corpus, tmp_path: Path):
    """X writes a DM of a photo sent without words with the photo's own t.co link as its text, which
    `urls` does not expand. `pcrm import twitter-archive/` stored that bare 'https://t.co/PhOtO12345' as
    the message: it is `[photo]`, the link kept in `extra_data`. A photo sent with words keeps them."""
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")
    dm = json.loads(json.dumps(DM))
    first, second = (m["messageCreate"] for m in dm["dmConversation"]["messages"])
    second["text"] = "https://t.co/PhOtO12345"
    first["mediaUrls"] = ["https://ton.twitter.com/dm/100/8/view.png"]
    text = "window.YTD.direct_messages.part0 = " + json.dumps([dm], ensure_ascii=False)
    (data / "direct-messages.js").write_text(text, encoding="utf-8")
    imp(tmp_path / "archive")
    (person,) = cli.json("contacts", "list")["data"]
    photo, msg = cli.json("interactions", "list", person["id"])["data"]
    assert (photo["content_preview"], photo["extra_data"]) == (
        "[photo]",
        {"media": "photo", "link": "https://t.co/PhOtO12345"},
    )
    assert (msg["content_preview"], msg["extra_data"]) == (
        "Schau mal: https://example.org/long/path – Grüße 😀",
        {"media": "photo"},
    )
    assert imp(tmp_path / "archive")["data"]["batch_id"] is None
