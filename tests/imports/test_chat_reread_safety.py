"""What a chat re-import may change when it reads anew what an earlier reader stored [chat-takeouts]: only
rows an import of the same platform stored, never a sync's, and only what the earlier reader read
otherwise (not a message's time when only its text was read otherwise). End to end through `pcrm import`
on a store in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.imports import NADIA, telegram_account
from tests.support.store import write as _write

_CHAT = (
    "13/01/2024, 10:00 - Ann Lee: hello\n"
    "13/01/2024, 10:02 - Ann Lee: <Media omitted>\n"
    "13/01/2024, 10:04 - Me Myself: hi there <This message was edited>\n"
    "13/01/2024, 10:06 - Ann Lee: bye\n"
)


def test_a_reimport_under_another_zone_reads_the_text_anew_but_keeps_each_messages_time(
    imp, cli, tmp_path: Path, store, monkeypatch
):
    """A WhatsApp chat imported by a reader that kept "<Media omitted>" and the edited marker as text, under
    `--tz UTC`, then `pcrm import` again under `--tz Europe/Berlin`: the two messages read anew were moved to
    09:02 and 09:04 UTC while the chat's other messages stayed at 10:00 and 10:06, so the chat read out of
    order. Only the text and extra_data are read anew; each message keeps its time, and undo restores
    each row exactly: `pcrm import undo` left the updated_at the re-import gave."""
    from pcrm.formats import whatsapp_notices

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(_CHAT, encoding="utf-8")
    with monkeypatch.context() as m:  # the reader before placeholders and markers were read
        m.setattr(whatsapp_notices, "media", lambda text, marked: None)
        m.setattr(whatsapp_notices, "edited", lambda text: (text, False))
        assert imp(f, "--me", "Me Myself", "--tz", "UTC")["data"]["interactions_created"] == 4
    before = sorted(
        store.q("SELECT uuid, content_preview, extra_data, occurred_at, updated_at FROM interactions")
    )
    rep = imp(f, "--me", "Me Myself", "--tz", "Europe/Berlin")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 2)
    got = store.q("SELECT content_preview, occurred_at FROM interactions ORDER BY occurred_at")
    assert got == [
        ("hello", "2024-01-13T10:00:00.000Z"),
        ("[media]", "2024-01-13T10:02:00.000Z"),
        ("hi there", "2024-01-13T10:04:00.000Z"),
        ("bye", "2024-01-13T10:06:00.000Z"),
    ]
    # a third import, under either zone, changes nothing
    assert imp(f, "--me", "Me Myself", "--tz", "Europe/Berlin")["data"]["batch_id"] is None
    assert imp(f, "--me", "Me Myself", "--tz", "UTC")["data"]["batch_id"] is None
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert (
        sorted(store.q("SELECT uuid, content_preview, extra_data, occurred_at, updated_at FROM interactions"))
        == before
    )


def _telegram_chat(corpus: Path, tmp_path: Path, *, unix: bool) -> Path:
    """A Telegram personal chat whose first message drew a reaction and whose second was edited; without
    `date_unixtime` (older exports) when not `unix`."""
    doc = json.loads((corpus / "telegram/langchain__result_personal_chat.json").read_text(encoding="utf-8"))
    doc["messages"][0]["reactions"] = [{"type": "emoji", "count": 1, "emoji": "👍"}]
    doc["messages"][1]["edited"] = "2023-08-23T13:14:00"
    if not unix:
        for m in doc["messages"]:
            m.pop("date_unixtime", None)
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def _as_the_sync_stored_them(store: Any) -> None:
    """Mark every stored Telegram message as a sync run's, as `pcrm sync telegram` stores them: the same
    `{chat}:{message}` references as the export's, the text, no reactions, in a batch of the run."""
    _write(
        store,
        "INSERT INTO sync_runs(uuid, platform, sync_type, status, started_at) "
        "VALUES ('run-1', 'telegram', 'manual', 'success', '2024-01-01T00:00:00.000Z')",
    )
    _write(store, "UPDATE interactions SET sync_run_id = (SELECT id FROM sync_runs WHERE uuid = 'run-1')")


@pytest.mark.parametrize("unix", [True, False])
def test_a_telegram_export_leaves_the_syncs_messages_as_it_stored_them(
    imp, cli, corpus: Path, tmp_path: Path, store, unix: bool
):
    """Messages `pcrm sync telegram` stored (same references as the export's, without reactions) were
    rewritten by `pcrm import result.json` as if an earlier reader of the file had stored them: reactions
    and `edited` added, and in an export without `date_unixtime` read under another `--tz` the sync's exact
    time replaced by the export's wall clock. A sync's message is the sync's: the import skips it."""
    from pcrm.formats import telegram

    f = _telegram_chat(corpus, tmp_path, unix=unix)
    saved = telegram._reactions
    telegram._reactions = lambda items, decided, opts: ([], [])
    try:
        imp(f, "--me", "Batman & Robin", "--tz", "UTC")
    finally:
        telegram._reactions = saved
    _as_the_sync_stored_them(store)
    _write(store, "UPDATE interactions SET extra_data = NULL")  # the sync keeps no edited mark either
    synced = sorted(
        store.q("SELECT uuid, content_preview, extra_data, occurred_at, updated_at FROM interactions")
    )
    rep = imp(f, "--me", "Batman & Robin", "--tz", "Europe/Berlin")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"], rep["batch_id"]) == (0, 0, None)
    assert (
        sorted(store.q("SELECT uuid, content_preview, extra_data, occurred_at, updated_at FROM interactions"))
        == synced
    )


def test_a_reimport_takes_out_no_placeholder_a_sync_stored(imp, cli, tmp_path: Path, store, monkeypatch):
    """A deleted message's placeholder is taken out by a re-import only from a row an earlier import of the
    chat stored: one a sync run wrote under the same reference stays."""
    import re

    from pcrm.formats import whatsapp

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(
        "13/01/2024, 10:00 - Ann Lee: hello\n13/01/2024, 10:01 - Ann Lee: This message was deleted\n",
        encoding="utf-8",
    )
    with monkeypatch.context() as m:
        m.setattr(whatsapp, "_DELETED", re.compile("(?!)"))
        imp(f, "--me", "Me Myself")
    _write(
        store,
        "INSERT INTO sync_runs(uuid, platform, sync_type, status, started_at) "
        "VALUES ('run-1', 'whatsapp', 'webhook', 'success', '2024-01-01T00:00:00.000Z')",
    )
    _write(store, "UPDATE interactions SET sync_run_id = (SELECT id FROM sync_runs WHERE uuid = 'run-1')")
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["interactions_withdrawn"], rep["batch_id"]) == (0, None)
    assert len(store.q("SELECT 1 FROM interactions")) == 2


def test_the_undo_of_one_message_read_anew_says_it_in_the_singular(
    imp, cli, tmp_path: Path, store, monkeypatch
):
    """`pcrm import undo` of a re-import that read one message anew said "put 1 message back as an earlier
    import read them"."""
    from pcrm.formats import whatsapp_notices

    f = tmp_path / "WhatsApp Chat with Ann Lee.txt"
    f.write_text(
        "13/01/2024, 10:00 - Ann Lee: hello\n13/01/2024, 10:02 - Ann Lee: <Media omitted>\n", encoding="utf-8"
    )
    with monkeypatch.context() as m:
        m.setattr(whatsapp_notices, "media", lambda text, marked: None)
        imp(f, "--me", "Me Myself")
    rep = imp(f, "--me", "Me Myself")["data"]
    assert rep["interactions_reread"] == 1
    shown = cli("import", "undo", rep["batch_id"], "--yes").stdout
    assert "put 1 message back as an earlier import read it" in shown


def test_a_telegram_contacts_list_date_is_one_moment_whichever_computer_exported_it(
    imp, cli, tmp_path: Path, store
):
    """`pcrm import result.json` kept a contacts-list entry's `date` as written, the exporting computer's
    wall clock: the same entry exported again on a computer an hour east gave Nadia a second "added on
    telegram" date. The moment (`date_unixtime`; else `date` read in --tz) is kept, once."""
    doc: dict[str, Any] = telegram_account([dict(NADIA)])
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    imp(f)
    doc["contacts"]["list"][0]["date"] = "2019-11-17T19:35:44"  # the same moment, on a computer an hour east
    f.write_text(json.dumps(doc), encoding="utf-8")
    assert imp(f)["data"]["batch_id"] is None
    assert store.q("SELECT value FROM contact_fields") == [("X-ADDED-ON-TELEGRAM:2019-11-17T17:35:44.000Z",)]
    # an older export without date_unixtime, written in Berlin: its wall clock read in --tz, the same moment
    del doc["contacts"]["list"][0]["date_unixtime"]
    doc["contacts"]["list"][0]["date"] = "2019-11-17T18:35:44"
    f.write_text(json.dumps(doc), encoding="utf-8")
    assert imp(f, "--tz", "Europe/Berlin")["data"]["batch_id"] is None
    assert store.q("SELECT value FROM contact_fields") == [("X-ADDED-ON-TELEGRAM:2019-11-17T17:35:44.000Z",)]


def test_linkedin_messages_of_the_same_minute_are_each_kept(imp, cli, tmp_path: Path, store):
    """messages.csv with dates to the minute ("3/15/2024, 9:30 AM"): Ann's "Hello", your "Hi Ann!" and her
    "How are you?" of the same minute shared one reference, so `pcrm import` kept the first and skipped the
    other two as its repeats ("1 new message, 2 skipped"). Each is kept; the same row written twice is
    still one message, and a store that kept only the first gets the other two from a re-import."""
    head = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT\n"
    )
    ann = 'c1,,Ann Lee,https://www.linkedin.com/in/annlee,Me Myself,,"3/15/2024, 9:30 AM",,'
    me = 'c1,,Me Myself,,Ann Lee,https://www.linkedin.com/in/annlee,"3/15/2024, 9:30 AM",,'
    f = tmp_path / "messages.csv"
    f.write_text(head + ann + "Hello\n", encoding="utf-8")
    assert imp(f, "--me", "Me Myself")["data"]["interactions_created"] == 1
    f.write_text(
        head + ann + "Hello\n" + me + "Hi Ann!\n" + ann + "How are you?\n" + ann + "Hello\n", encoding="utf-8"
    )
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["interactions_created"], rep["interactions_skipped"]) == (2, 2)
    got = store.q("SELECT direction, content_preview FROM interactions ORDER BY content_preview")
    assert got == [("inbound", "Hello"), ("outbound", "Hi Ann!"), ("inbound", "How are you?")]
    assert imp(f, "--me", "Me Myself")["data"]["batch_id"] is None
