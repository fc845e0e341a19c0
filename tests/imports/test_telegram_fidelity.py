"""Telegram Desktop exports: values as the export holds them, end to end through `pcrm import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _chat(name: str | None, peer: int, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "type": "personal_chat", "id": peer, "messages": messages}


def _msg(i: int, unix: int, sender: str | None, sender_id: str, text: str) -> dict[str, Any]:
    return {
        "id": i,
        "type": "message",
        "date": "2021-06-01T12:00:00",
        "date_unixtime": str(unix),
        "from": sender,
        "from_id": sender_id,
        "text": text,
        "text_entities": [],
    }


def _timeline(store) -> list[tuple[Any, ...]]:
    return store.q(
        "SELECT c.full_name, i.direction, i.content_preview FROM interactions i "
        "JOIN contacts c ON c.id = i.contact_id ORDER BY i.occurred_at, i.id"
    )


def test_right_spanish_text_is_not_taken_for_mojibake(imp, cli, store, tmp_path: Path):
    """`pcrm import result.json` of a chat with 'José Ñúñez' stored 'Jos� ���ez': 'Ñú' looked like
    UTF-8 read as Windows-1252, and the repair of it replaced what decoded to nothing. Text whose
    repair is no UTF-8 is kept as written; the old format's real mojibake is still repaired."""
    doc = _chat(
        "José Ñúñez",
        222,
        [
            _msg(1, 1622541600, "José Ñúñez", "user222", "¿Qué tal? Ñúñez aquí 😀"),
            _msg(2, 1622541900, "Mia Self", "user111", "Ðóra, Ñá"),
        ],
    )
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    imp(f, "--me", "Mia Self")
    assert [c["full_name"] for c in cli.json("contacts", "list")["data"]] == ["José Ñúñez"]
    assert store.fields("José Ñúñez") == []
    assert _timeline(store) == [
        ("José Ñúñez", "inbound", "¿Qué tal? Ñúñez aquí 😀"),
        ("José Ñúñez", "outbound", "Ðóra, Ñá"),
    ]


def test_a_deleted_accounts_messages_are_imported_not_dropped(imp, store, contacts, tmp_path: Path):
    """Telegram Desktop writes a deleted account's chat with `"name": null` and its messages with
    `"from": null` beside their `from_id`. `pcrm import result.json` kept only your side of such a chat:
    their messages were counted as skipped with no reason given. The sender's id is theirs (the chat's
    id), so their messages are inbound on the chat's contact; a rerun adds nothing."""
    doc = _chat(
        None,
        333,
        [
            _msg(10, 1551427200, None, "user333", "hello from a deleted account"),
            _msg(11, 1551427260, "Mia Self", "user111", "hi"),
        ],
    )
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    rep = imp(f, "--me", "Mia Self")["data"]
    assert (rep["contacts_created"], rep["interactions_created"], rep["interactions_skipped"]) == (1, 2, 0)
    assert [(r[1], r[2]) for r in _timeline(store)] == [
        ("inbound", "hello from a deleted account"),
        ("outbound", "hi"),
    ]
    assert [c["telegram_user_id"] for c in contacts()] == ["333"]
    again = imp(f, "--me", "Mia Self")["data"]
    assert (again["interactions_created"], again["batch_id"]) == (0, None)


def test_the_sender_named_more_fully_than_the_chat_is_the_other_person(imp, cli, store, corpus, tmp_path):
    """`pcrm import langchain__result_personal_chat.json` (the chat 'Jimmeny'; its senders 'Jimmeny
    Marvelton' and 'Batman & Robin') was refused, and its hint offered `--me 'Jimmeny Marvelton'`: taken
    at its word, that made the contact 'Jimmeny' with the nickname 'Batman & Robin' and every direction
    the wrong way round. The one sender whose name holds every word of the chat's is the other person
    [telegram-names], as one named exactly like the chat is; a chat named like no sender is refused."""
    chat = corpus / "telegram/langchain__result_personal_chat.json"
    rep = imp(chat)["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (1, 4)
    assert [c["full_name"] for c in cli.json("contacts", "list")["data"]] == ["Jimmeny Marvelton"]
    assert [(r[1], r[2]) for r in _timeline(store)] == [
        ("inbound", "i refuse to converse with you"),
        ("outbound", "Hi nemesis"),
        ("inbound", "we meet again"),
        ("inbound", "you will not trick me this time"),
    ]
    assert imp(chat)["data"]["batch_id"] is None
    doc = json.loads(chat.read_text("utf-8"))
    doc["name"] = "Jimmy"  # named like neither sender: still pcrm's to ask
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    env = imp(f, ok=False)
    assert env["error"]["message"].startswith("result.json: chat Jimmy: pcrm cannot tell your messages")
    assert "--me" in env["error"]["hint"]


def test_a_text_links_address_is_kept_with_its_words(imp, store, tmp_path: Path):
    """A Telegram message whose words link somewhere (`{"type": "text_link", "text": "the docs",
    "href": "https://..."}`) was stored as 'read the docs': the address the export holds was dropped
    without a word. It is kept after the words: 'read the docs (https://...)'. A plain link, whose text
    is its address, is stored once."""
    msg = _msg(1, 1622541600, "José Ñúñez", "user222", "")
    msg["text"] = [
        "read ",
        {"type": "text_link", "text": "the docs", "href": "https://example.org/docs"},
        " or ",
        {"type": "link", "text": "https://example.org"},
    ]
    f = tmp_path / "result.json"
    f.write_text(json.dumps(_chat("José Ñúñez", 222, [msg])), encoding="utf-8")
    imp(f, "--me", "Mia Self")
    assert [r[2] for r in _timeline(store)] == [
        "read the docs (https://example.org/docs) or https://example.org"
    ]


def test_a_lone_sender_named_more_fully_than_the_chat_is_not_taken_for_them(imp, store, tmp_path: Path):
    """`pcrm import result.json` of the chat 'Ada' (a friend saved by her first name) where only you,
    'Ada Lovelace', ever wrote, and no `--me`: the sender named more fully than the chat was taken for the
    friend, so your own messages became hers, inbound, on a contact named after you. One sender alone
    tells nothing apart: the import asks for `--me`, and with it your messages are outbound."""
    doc = _chat(
        "Ada",
        4242,
        [
            _msg(1, 1622541600, "Ada Lovelace", "user99", "hello?"),
            _msg(2, 1622541900, "Ada Lovelace", "user99", "are you there?"),
        ],
    )
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    env = imp(f, ok=False)
    assert env["error"]["message"].startswith("result.json: chat Ada: pcrm cannot tell your messages")
    assert "--me" in env["error"]["hint"]
    assert _timeline(store) == []
    imp(f, "--me", "Ada Lovelace")
    assert _timeline(store) == [("Ada", "outbound", "hello?"), ("Ada", "outbound", "are you there?")]


def _misread(text: str) -> str:
    """UTF-8 read as Windows-1252, a byte it has no character for kept as that C1 control (old exports)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


def test_greek_cyrillic_and_cjk_names_misread_are_repaired_and_right_ones_kept(
    imp, cli, store, tmp_path: Path
):
    """An old export's names in Greek, Cyrillic or CJK, UTF-8 read as Windows-1252 ('Î“Î¹ÏŽÏ\\x81Î³Î¿Ï‚'),
    were imported as such: the repair knew Latin only. Now they are the names they were, while the same
    names written right (and Spanish, German, Vietnamese ones) are kept as written."""
    right = [
        "Nguyễn Thị Minh Khai",
        "Jürgen Müller",
        "Ñandú Peña",
        "Ελένη Δημητρίου",
        "Ольга Петрова",
        "김민수",
    ]
    misread = ["Γιώργος Παπαδόπουλος", "Алексей Смирнов", "山田太郎"]
    chats = [
        _chat(name, 400 + i, [_msg(1, 1622541600 + i, name, f"user{400 + i}", "hi")])
        for i, name in enumerate(right + [_misread(n) for n in misread])
    ]
    f = tmp_path / "result.json"
    f.write_text(json.dumps({"chats": {"list": chats}}, ensure_ascii=False), encoding="utf-8")
    imp(f, "--me", "Mia Self")
    names = sorted(c["full_name"] for c in cli.json("contacts", "list")["data"])
    assert names == sorted(right + misread)


def test_german_and_irish_text_before_a_dash_or_apostrophe_is_kept_as_written(
    imp, cli, store, tmp_path: Path
):
    """`pcrm import result.json` of a chat with "Weiß–Schwarz" stored "WeiߖSchwarz", and "Ó’Brien"
    "ӒBrien": ß and Ó before a dash or a curly apostrophe look like a UTF-8 lead and its continuation, and
    the repair wrote an NKo or Cyrillic letter into a Latin word. Correct text stays as written."""
    doc = _chat(
        "Ó’Brien",
        223,
        [
            _msg(1, 1622541600, "Ó’Brien", "user223", "Weiß–Schwarz, GROß—KLEIN"),
            _msg(2, 1622541900, "Mia Self", "user111", "Í’m at Fuß° kalt"),
        ],
    )
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    imp(f, "--me", "Mia Self")
    assert [c["full_name"] for c in cli.json("contacts", "list")["data"]] == ["Ó’Brien"]
    assert _timeline(store) == [
        ("Ó’Brien", "inbound", "Weiß–Schwarz, GROß—KLEIN"),
        ("Ó’Brien", "outbound", "Í’m at Fuß° kalt"),
    ]
