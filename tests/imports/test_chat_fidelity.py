"""What chat exports carry beside their messages' text, kept through `pcrm import` on a store in tmp_path:
WhatsApp's edited marker and deleted-message placeholders, LinkedIn's folder and conversation title (and
its UTC dates), X's DM reactions, Telegram's contacts-list dates [chat-takeouts]."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.support.imports import NADIA, telegram_account
from tests.support.store import write as _write


def _messages(cli: Any, who: str) -> list[tuple[str | None, dict[str, Any] | None]]:
    """(text, extra_data) of a contact's interactions, oldest first."""
    items = cli.json("interactions", "list", who, "--all")["data"]
    return [(i["content_preview"], i["extra_data"]) for i in sorted(items, key=lambda i: i["occurred_at"])]


def test_whatsapps_edited_marker_is_no_text_of_the_message(imp, cli, tmp_path: Path):
    """`pcrm import 'WhatsApp Chat with Ann Lee.txt'` stored "hi there <This message was edited>" as the
    text: WhatsApp's marker read as the sender's words. The text is kept without it and the message says
    it was edited (Android, iOS after a direction mark, Italian, Spanish, German); a rerun adds nothing."""
    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(
        "12/01/2024, 10:00 - Ann Lee: hello\n"
        "12/01/2024, 10:01 - Me Myself: hi there <This message was edited>\n"
        "12/01/2024, 10:02 - Ann Lee: Ciao\nsecond line <Questo messaggio è stato modificato>\n"
        "12/01/2024, 10:03 - Ann Lee: see you \u200e<This message was edited>\n"
        "12/01/2024, 10:04 - Ann Lee: I wrote <This message was edited> on purpose\n"
        "12/01/2024, 10:05 - Ann Lee: Hola <Se editó este mensaje.>\n"
        "12/01/2024, 10:06 - Ann Lee: Bis bald <Diese Nachricht wurde bearbeitet>\n",
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert rep["interactions_created"] == 7
    assert _messages(cli, "Ann Lee") == [
        ("hello", None),
        ("hi there", {"edited": True}),
        ("Ciao\nsecond line", {"edited": True}),
        ("see you", {"edited": True}),
        ("I wrote <This message was edited> on purpose", None),
        ("Hola", {"edited": True}),
        ("Bis bald", {"edited": True}),
    ]
    again = imp(f, "--me", "Me Myself")["data"]
    assert (again["interactions_created"], again["batch_id"]) == (0, None)


def test_linkedins_folder_and_conversation_title_are_kept(imp, cli, corpus: Path):
    """`pcrm import messages.csv` dropped FOLDER (INBOX, SENT, ARCHIVE...) and CONVERSATION TITLE without a
    word. The folder is kept as `extra_data.folder`; the title as `conversation_title`, and as the subject
    where the row has none."""
    rep = imp(corpus / "linkedin/linkedin-network-intelligence__Messages.csv", "--me", "Test User")["data"]
    assert rep["interactions_created"] == 11
    first = _messages(cli, "Alice Johnson")[0]
    assert first[1] == {"conversation_title": "Chat with Alice", "subject": "Chat with Alice"}
    imp(corpus / "linkedin/kawsay__messages.csv", "--me", "Ana Lopez")
    assert [x[1] for x in _messages(cli, "Pedro Fuentes")] == [
        {"subject": "Coffee?", "folder": "INBOX"},
        {"subject": "Re: Coffee?", "folder": "INBOX"},
    ]


def test_linkedins_dates_are_utc_whatever_the_zone(imp, cli, corpus: Path, store):
    """LinkedIn writes UTC without saying so ("2024-05-15 10:30:00"): `pcrm import Messages.csv --tz
    America/New_York` put Alice's first message at 14:30 UTC [local-days]; one saying "UTC" is read the
    same."""
    f = corpus / "linkedin/linkedin-network-intelligence__Messages.csv"
    imp(f, "--me", "Test User", "--tz", "America/New_York")
    imp(corpus / "linkedin/kawsay__messages.csv", "--me", "Ana Lopez", "--tz", "Asia/Tokyo")
    got = store.q("SELECT occurred_at FROM interactions WHERE content_preview LIKE 'Great connecting%'")
    assert got == [("2024-05-15T10:30:00.000Z",)]
    got = store.q("SELECT occurred_at FROM interactions WHERE content_preview LIKE 'Hey Pedro%'")
    assert got == [("2024-03-15T09:30:00.000Z",)]


def test_linkedins_spam_folder_is_counted_not_imported(imp, cli, tmp_path: Path, store):
    """A message LinkedIn filed as spam is not imported, nor its stranger made a contact: the report counts
    it (`spam`) and says how to import one that is not spam."""
    f = tmp_path / "messages.csv"
    f.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT,FOLDER\n"
        "c1,,Ann Lee,https://www.linkedin.com/in/annlee,Me Myself,,2024-03-15 09:30:00 UTC,,Hello,INBOX\n"
        "c2,,Crypto Guru,https://www.linkedin.com/in/guru,Me Myself,,2024-03-16 09:30:00 UTC,,Buy now,SPAM\n"
        "c3,,Me Myself,,Bo Chen,https://www.linkedin.com/in/bochen,2024-03-17 09:30:00 UTC,,Hi Bo,ARCHIVE\n",
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (2, 2)
    assert [(x["reason"], x["count"]) for x in rep["interactions_not_imported"]] == [("spam", 1)]
    assert "spam folder" in rep["interactions_not_imported"][0]["hint"]
    assert store.q("SELECT full_name FROM contacts ORDER BY full_name") == [("Ann Lee",), ("Bo Chen",)]
    assert _messages(cli, "Bo Chen") == [("Hi Bo", {"folder": "ARCHIVE"})]


def _dm(mid: str, sender: str, recipient: str, text: str, at: str, reactions: list[Any]) -> dict[str, Any]:
    return {
        "messageCreate": {
            "recipientId": recipient,
            "reactions": reactions,
            "urls": [],
            "text": text,
            "mediaUrls": [],
            "senderId": sender,
            "id": mid,
            "createdAt": at,
        }
    }


def test_an_x_dms_reactions_are_kept_on_the_message_they_react_to(imp, cli, corpus: Path, tmp_path: Path):
    """`pcrm import twitter-archive/` dropped the `reactions` of direct-messages.js: a like the other side
    gave your message was gone. Each is kept on the message it reacts to (`extra_data.reactions`: who,
    how, when), shown beside its text in `pcrm interactions list`, and is no message of its own."""
    import json
    import shutil

    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")
    like = {"senderId": "777", "reactionKey": "like", "eventId": "5", "createdAt": "2021-06-01T12:03:00.000Z"}
    funny = {"senderId": "12497", "reactionKey": "funny", "eventId": "6", "createdAt": "2021-06-01T12:09:00Z"}
    conv = {
        "dmConversation": {
            "conversationId": "12497-777",
            "messages": [
                _dm("100", "12497", "777", "Lunch on Friday?", "2021-06-01T12:00:00.000Z", [like]),
                _dm("101", "777", "12497", "Only if you pay", "2021-06-01T12:05:00.000Z", [funny]),
                _dm("102", "777", "12497", "See you", "2021-06-01T12:10:00.000Z", []),
            ],
        }
    }
    text = "window.YTD.direct_messages.part0 = " + json.dumps([conv])
    (data / "direct-messages.js").write_text(text, encoding="utf-8")
    rep = imp(tmp_path / "archive")["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (1, 3)
    (person,) = cli.json("contacts", "list")["data"]
    got = _messages(cli, person["id"])
    at_funny = "2021-06-01T12:09:00.000Z"
    assert got == [
        (
            "Lunch on Friday?",
            {"reactions": [{"reactor_id": "777", "by": "them", "type": "like", "at": like["createdAt"]}]},
        ),
        (
            "Only if you pay",
            {"reactions": [{"reactor_id": "12497", "by": "you", "type": "funny", "at": at_funny}]},
        ),
        ("See you", None),
    ]
    shown = cli("interactions", "list", person["id"], "--format", "csv").stdout
    assert "Lunch on Friday? [like by them]" in shown and "Only if you pay [funny by you]" in shown
    # `pcrm contacts activity` lists them, newest first, and counts no message for them
    act = cli.json("contacts", "activity", person["id"])["data"]
    assert [(r["type"], r["by"], r["message"]) for r in act["reactions"]] == [
        ("funny", "you", "Only if you pay"),
        ("like", "them", "Lunch on Friday?"),
    ]
    assert act["stats"]["interaction_count"] == 3
    shown = cli("contacts", "activity", person["id"]).stdout
    assert "like by them: Lunch on Friday?" in shown and "funny by you: Only if you pay" in shown


def test_a_telegram_contacts_list_date_is_kept_without_an_interaction(imp, cli, tmp_path: Path, store):
    """`pcrm import result.json` of a whole Telegram account dropped each contacts-list entry's `date` (when
    the user added the contact). It is kept as a dated field of the contact ("added on telegram"); no
    interaction is made of it, and a rerun adds nothing."""
    import json

    doc = telegram_account(
        [
            dict(NADIA),
            {"first_name": "Olek", "phone_number": "+44 7700 900456", "date_unixtime": "1600000000"},
            {"first_name": "Pia", "phone_number": "+44 7700 900789", "date": "1970-01-01T00:00:00"},
        ]
    )
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    rep = imp(f)["data"]
    assert (rep["contacts_created"], rep["interactions_created"]) == (3, 0)

    def fields(name: str) -> list[tuple[str, str]]:
        return store.q(
            "SELECT f.kind, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
            "WHERE c.full_name = ?",
            (name,),
        )

    assert fields("Nadia Petrova") == [("x", "X-ADDED-ON-TELEGRAM:2019-11-17T17:35:44.000Z")]
    assert fields("Olek") == [("x", "X-ADDED-ON-TELEGRAM:2020-09-13T12:26:40.000Z")]
    assert fields("Pia") == []
    shown = cli("contacts", "show", "Nadia Petrova").stdout
    assert "added on telegram" in shown and "2019-11-17T17:35:44" in shown
    assert cli.json("interactions", "list", "Nadia Petrova")["data"] == []
    assert imp(f)["data"]["batch_id"] is None


_CHAT = (
    "13/01/2024, 10:00 - Ann Lee: hello\n"
    "13/01/2024, 10:01 - Ann Lee: This message was deleted\n"
    "13/01/2024, 10:02 - Me Myself: You deleted this message\n"
    "13/01/2024, 10:03 - Ann Lee: Diese Nachricht wurde gelöscht.\n"
    "13/01/2024, 10:04 - Me Myself: see you\n"
)


def test_a_reimport_takes_out_deleted_message_placeholders_an_earlier_reader_kept(
    imp, cli, tmp_path: Path, store, monkeypatch
):
    """A store that imported a chat before the reader knew WhatsApp's placeholders of deleted messages kept
    "This message was deleted" (and "You deleted this message", its German...) as messages; `pcrm import`
    of the same chat again left them there. The re-import takes them out, as a fresh import would have
    the store, and says so; `pcrm import undo` of it puts them back as they were."""
    import re

    from pcrm.formats import whatsapp

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(_CHAT, encoding="utf-8")
    with monkeypatch.context() as m:  # the reader as it was: no placeholder known
        m.setattr(whatsapp, "_DELETED", re.compile("(?!)"))
        m.setattr(whatsapp, "_YOU_DELETED", re.compile("(?!)"))
        assert imp(f, "--me", "Me Myself")["data"]["interactions_created"] == 5
    before = store.q(
        "SELECT uuid, content_preview, raw_reference_id, occurred_at FROM interactions ORDER BY id"
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["interactions_created"], rep["interactions_withdrawn"]) == (0, 3)
    assert [(x["reason"], x["count"]) for x in rep["interactions_not_imported"]] == [("deleted", 3)]
    assert [t for t, _ in _messages(cli, "Ann Lee")] == ["hello", "see you"]
    assert cli.json("contacts", "show", "Ann Lee")["data"]["interaction_count"] == 2
    shown = cli("import", str(f), "--me", "Me Myself", "--dry-run").stdout
    assert "took out" not in shown  # nothing left to take out: a rerun is a no-op
    assert imp(f, "--me", "Me Myself")["data"]["batch_id"] is None
    left = store.q(
        "SELECT content_preview, raw_reference_id, occurred_at, direction FROM interactions ORDER BY id"
    )
    with monkeypatch.context() as m:  # a fresh store holds the same messages
        m.setenv("PCRM_HOME", str(tmp_path / "fresh"))
        cli("init")
        imp(f, "--me", "Me Myself")
        fresh = cli.json("interactions", "list", "Ann Lee", "--all")["data"]
    got = [(i["content_preview"], i["raw_reference_id"], i["occurred_at"], i["direction"]) for i in fresh]
    assert sorted(got) == sorted(left)
    # undo of the re-import puts the three rows back as they were
    undone = cli.json("import", "undo", rep["batch_id"], "--yes")["data"]
    assert undone["interactions_restored"] == 3
    after = store.q(
        "SELECT uuid, content_preview, raw_reference_id, occurred_at FROM interactions ORDER BY id"
    )
    assert sorted(after) == sorted(before)
    assert cli.json("contacts", "show", "Ann Lee")["data"]["interaction_count"] == 5


def test_the_report_says_how_many_deleted_messages_a_reimport_took_out(imp, cli, tmp_path: Path, monkeypatch):
    """The line `pcrm import` prints counts the placeholders it took out, in words."""
    import re

    from pcrm.formats import whatsapp

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(_CHAT, encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(whatsapp, "_DELETED", re.compile("^This message was deleted$"))
        m.setattr(whatsapp, "_YOU_DELETED", re.compile("^You deleted this message$"))
        imp(f, "--me", "Me Myself")  # a reader that knew the English words only: the German one is kept
    shown = cli("import", str(f), "--me", "Me Myself").stdout
    assert "took out 1 deleted message an earlier import kept" in shown


def test_a_reimport_reads_anew_what_an_earlier_reader_kept_as_a_whatsapp_messages_text(
    imp, cli, tmp_path: Path, store, monkeypatch
):
    """A chat imported before the reader knew media placeholders and edited markers kept "\u200eimage
    omitted" and "hi <This message was edited>" as texts; `pcrm import` of it again skipped them as stored.
    The re-import brings each row to what a fresh import reads (counted as read anew); undo puts the
    earlier reading back."""
    from pcrm.formats import whatsapp_notices

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(
        "13/01/2024, 10:00 - Ann Lee: hello\n"
        "13/01/2024, 10:01 - Me Myself: hi there <This message was edited>\n"
        "13/01/2024, 10:02 - Ann Lee: <Media omitted>\n"
        "13/01/2024, 10:03 - Ann Lee: IMG-20240113-WA0001.jpg (file attached)\n"
        "the view <This message was edited>\n",
        encoding="utf-8",
    )
    with monkeypatch.context() as m:  # the reader before placeholders and markers were read
        m.setattr(whatsapp_notices, "media", lambda text, marked: None)
        m.setattr(whatsapp_notices, "edited", lambda text: (text, False))
        assert imp(f, "--me", "Me Myself")["data"]["interactions_created"] == 4
    before = sorted(store.q("SELECT uuid, content_preview, extra_data FROM interactions"))
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 3)
    assert _messages(cli, "Ann Lee") == [
        ("hello", None),
        ("hi there", {"edited": True}),
        ("[media]", {"media": "media"}),
        ("the view", {"media": "photo", "file": "IMG-20240113-WA0001.jpg", "edited": True}),
    ]
    assert imp(f, "--me", "Me Myself")["data"]["batch_id"] is None  # read anew once: a rerun changes nothing
    preview = cli("import", "undo", rep["batch_id"], "--dry-run").stdout
    assert "put 3 messages back as an earlier import read them" in preview
    undone = cli.json("import", "undo", rep["batch_id"], "--yes")["data"]
    assert undone["interactions_read_back"] == 3
    assert sorted(store.q("SELECT uuid, content_preview, extra_data FROM interactions")) == before


def test_a_reimport_adds_an_x_dms_reactions_to_the_stored_message(imp, cli, corpus: Path, tmp_path: Path):
    """An X archive imported before reactions were read kept its DMs without them; a re-import of the
    archive gives the stored messages their reactions, as a fresh import would."""
    import json
    import shutil

    from pcrm.formats import x_archive

    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus / "x_archive/twitter-to-sqlite__account.js", data / "account.js")
    like = {"senderId": "777", "reactionKey": "like", "eventId": "5", "createdAt": "2021-06-01T12:03:00.000Z"}
    conv = {
        "dmConversation": {
            "conversationId": "12497-777",
            "messages": [
                _dm("100", "12497", "777", "Lunch on Friday?", "2021-06-01T12:00:00.000Z", [like]),
                _dm("101", "777", "12497", "Sure", "2021-06-01T12:05:00.000Z", []),
            ],
        }
    }
    (data / "direct-messages.js").write_text(
        "window.YTD.direct_messages.part0 = " + json.dumps([conv]), encoding="utf-8"
    )
    saved = x_archive._reactions
    x_archive._reactions = lambda items, me_id: []  # the reader before reactions were read
    try:
        assert imp(tmp_path / "archive")["data"]["interactions_created"] == 2
    finally:
        x_archive._reactions = saved
    rep = imp(tmp_path / "archive")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 1)
    (person,) = cli.json("contacts", "list")["data"]
    assert [x for _, x in _messages(cli, person["id"])] == [
        {"reactions": [{"reactor_id": "777", "by": "them", "type": "like", "at": like["createdAt"]}]},
        None,
    ]
    assert imp(tmp_path / "archive")["data"]["batch_id"] is None
    # a later archive: the like taken back, a reaction to the other message given since
    funny = {"senderId": "12497", "reactionKey": "funny", "eventId": "6", "createdAt": "2021-06-02T08:00:00Z"}
    conv["dmConversation"]["messages"][0]["messageCreate"]["reactions"] = []
    conv["dmConversation"]["messages"][1]["messageCreate"]["reactions"] = [funny]
    (data / "direct-messages.js").write_text(
        "window.YTD.direct_messages.part0 = " + json.dumps([conv]), encoding="utf-8"
    )
    assert imp(tmp_path / "archive")["data"]["interactions_reread"] == 2
    assert [x for _, x in _messages(cli, person["id"])] == [
        None,
        {
            "reactions": [
                {"reactor_id": "12497", "by": "you", "type": "funny", "at": "2021-06-02T08:00:00.000Z"}
            ]
        },
    ]


def test_a_reimport_moves_linkedin_messages_read_as_local_times_to_utc(imp, cli, corpus: Path, store):
    """messages.csv imported when LinkedIn's zone-less dates were read in --tz (and its folder and title
    were dropped) kept those times; a re-import under the same zone brings each message to UTC with its
    folder and title, as a fresh import would, and undo puts them back."""
    f = corpus / "linkedin/linkedin-network-intelligence__Messages.csv"
    imp(f, "--me", "Test User", "--tz", "Europe/Berlin")
    fresh = sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions"))
    # as the earlier reader left the store: 10:30 read in Berlin (08:30 UTC in summer, 09:30 in March), no
    # title
    berlin = ZoneInfo("Europe/Berlin")
    for ref, at, _ in fresh:
        wall = datetime.fromisoformat(at).replace(tzinfo=berlin)
        then = wall.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        _write(
            store,
            "UPDATE interactions SET extra_data = NULL, occurred_at = ? WHERE raw_reference_id = ?",
            (then, ref),
        )
    old = sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions"))
    assert old[0][1] != fresh[0][1]
    rep = imp(f, "--me", "Test User", "--tz", "Europe/Berlin")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 11)
    assert sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions")) == fresh
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions")) == old


def test_linkedins_attachments_drafts_and_unread_columns(imp, cli, tmp_path: Path):
    """messages.csv as LinkedIn writes it today (ATTACHMENTS, IS MESSAGE DRAFT, IS CONVERSATION DRAFT):
    `pcrm import` dropped a file sent without words (no CONTENT) and imported a draft never sent as a
    message. The file is a message `[attachment]` with its address kept; a draft is counted, not imported;
    a column pcrm does not read is kept with the message by its name."""
    f = tmp_path / "messages.csv"
    head = (
        '"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO","RECIPIENT PROFILE URLS",'
        '"DATE","SUBJECT","CONTENT","FOLDER","ATTACHMENTS","IS MESSAGE DRAFT","IS CONVERSATION DRAFT",'
        '"IS PINNED"\n'
    )
    ann = "Ann Lee,https://www.linkedin.com/in/annlee,Me Myself,"
    me = "Me Myself,,Ann Lee,https://www.linkedin.com/in/annlee"
    f.write_text(
        head
        + f"c1,,{ann},2024-03-15 09:30:00 UTC,,Hello,INBOX,,No,No,Yes\n"
        + f"c1,,{ann},2024-03-15 09:31:00 UTC,,,INBOX,https://www.linkedin.com/dms/file/cv.pdf,No,No,\n"
        + f"c1,,{me},2024-03-15 09:32:00 UTC,,Not sent yet,DRAFT,,Yes,No,\n",
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert rep["interactions_created"] == 2
    assert [(x["reason"], x["count"]) for x in rep["interactions_not_imported"]] == [("draft", 1)]
    assert _messages(cli, "Ann Lee") == [
        ("Hello", {"folder": "INBOX", "is_pinned": "Yes"}),
        ("[attachment]", {"folder": "INBOX", "attachments": "https://www.linkedin.com/dms/file/cv.pdf"}),
    ]


def test_a_telegram_messages_reactions_and_edit_are_kept_on_it(imp, cli, corpus: Path, tmp_path: Path):
    """`pcrm import result.json` dropped a Telegram message's `reactions` and `edited`, as the X archive's
    were. They are kept on the message (who reacted: you or them), and a re-import of an export read
    before gives the stored message those it has now."""
    import json

    from pcrm.formats import telegram

    doc = json.loads((corpus / "telegram/langchain__result_personal_chat.json").read_text(encoding="utf-8"))
    first, second = doc["messages"][0], doc["messages"][1]
    second["edited"], second["edited_unixtime"] = "2023-08-23T13:14:00", "1692821640"
    first["reactions"] = [
        {
            "type": "emoji",
            "count": 1,
            "emoji": "👍",
            "recent": [
                {"from": "Batman & Robin", "from_id": "user6565661032", "date": "2023-08-23T13:20:00"}
            ],
        }
    ]
    second["reactions"] = [{"type": "emoji", "count": 1, "emoji": "😂"}]
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    saved = telegram._reactions
    telegram._reactions = lambda items, decided, opts: ([], [])  # a reader that dropped them
    try:
        imp(f, "--me", "Batman & Robin", "--tz", "UTC")
    finally:
        telegram._reactions = saved
    rep = imp(f, "--me", "Batman & Robin", "--tz", "UTC")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 2)
    got = _messages(cli, "Jimmeny Marvelton")[:2]
    assert got == [
        (
            "i refuse to converse with you",
            # the reaction's wall clock in the exporting computer's zone (UTC-7, as the messages show)
            {"reactions": [{"by": "you", "type": "emoji", "emoji": "👍", "at": "2023-08-23T20:20:00.000Z"}]},
        ),
        (
            "Hi nemesis",
            {"edited": True, "reactions": [{"by": "someone", "type": "emoji", "emoji": "😂", "count": 1}]},
        ),
    ]
    assert imp(f, "--me", "Batman & Robin", "--tz", "UTC")["data"]["batch_id"] is None
