"""Chat exports whose times depend on the zone they are read in, imported again under another `--tz` or by
a pcrm that reads them otherwise [chat-takeouts] [import-rerun-safety]: end to end through `pcrm import` on
a store in tmp_path, from the real-format samples in the shared testdata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.store import write as _write


def _without_ids(corpus: Path, tmp_path: Path, sample: str, *, chat_id: bool) -> Path:
    """A Telegram sample as older Telegram Desktop exports wrote it: messages without `id`, `from_id` and
    `date_unixtime` (their `date` is the exporting computer's wall clock); the chat without its id unless
    `chat_id`. The chat-miner sample has only `date_unixtime`: its wall clock is written from it in UTC."""
    from datetime import UTC, datetime

    doc = json.loads((corpus / "telegram" / sample).read_text(encoding="utf-8"))
    for m in doc["messages"]:
        for key in ("id", "from_id", "text_entities"):
            m.pop(key, None)
        if unix := m.pop("date_unixtime", None):
            m.setdefault("date", datetime.fromtimestamp(int(unix), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    if not chat_id:
        doc.pop("id", None)
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("sample", "me", "chat_id"),
    [
        ("chat-miner__single_export.json", "Author 1", False),
        ("langchain__telegram_old_format.json", "Henry", False),
        ("langchain__telegram_old_format.json", "Henry", True),
        ("langchain__result_personal_chat.json", "Batman & Robin", False),
    ],
)
def test_a_telegram_chat_without_ids_reimported_under_another_zone_is_the_same_chat(
    imp, cli, corpus: Path, tmp_path: Path, store, sample: str, me: str, chat_id: bool
):
    """An older Telegram Desktop export (messages without ids, `from_id` or `date_unixtime`) imported with
    `--tz Europe/Berlin`, then again with `--tz America/New_York` or no `--tz`: every message was added a
    second time (its reference hashed the UTC moment, which the zone moves), and a chat named only by its
    other person's name ("Author 2") became a second contact with a pair to review. The reference hashes
    the time as the export writes it: the re-imports recognise the person and the messages and add
    nothing, each message staying where the first import put it."""
    f = _without_ids(corpus, tmp_path, sample, chat_id=chat_id)
    first = imp(f, "--me", me, "--tz", "Europe/Berlin")["data"]
    assert first["contacts_created"] == 1 and first["interactions_created"] > 0
    held = sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions"))
    for zone in (["--tz", "America/New_York"], [], ["--tz", "Asia/Kolkata"]):
        rep = imp(f, "--me", me, *zone)["data"]
        assert (rep["batch_id"], rep["contacts_created"], rep["interactions_created"]) == (None, 0, 0), zone
        assert rep["pending_review"] == 0
    assert len(store.q("SELECT 1 FROM contacts")) == 1
    assert sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions")) == held


def test_a_telegram_chat_an_earlier_pcrm_imported_without_ids_is_recognised(
    imp, cli, corpus: Path, tmp_path: Path, store, monkeypatch
):
    """The same chat imported by a pcrm that hashed each message's UTC moment into its reference: a
    re-import under the same zone finds those messages under the reference that pcrm gave them and adds
    none."""
    from pcrm.formats import telegram

    f = _without_ids(corpus, tmp_path, "chat-miner__single_export.json", chat_id=False)
    with monkeypatch.context() as m:  # the earlier reader: no wall clock hashed
        m.setattr(telegram, "_wall", lambda msg: None)
        assert imp(f, "--me", "Author 1", "--tz", "Europe/Berlin")["data"]["interactions_created"] == 2
    rep = imp(f, "--me", "Author 1", "--tz", "Europe/Berlin")["data"]
    assert (rep["batch_id"], rep["contacts_created"], rep["interactions_created"]) == (None, 0, 0)
    assert len(store.q("SELECT 1 FROM interactions")) == 2


@pytest.mark.parametrize(
    ("sample", "me"),
    [("langchain__telegram_old_format.json", "Henry"), ("chat-miner__single_export.json", "Author 1")],
)
def test_a_telegram_chat_an_earlier_pcrm_imported_without_ids_is_recognised_under_any_zone(
    imp, cli, corpus: Path, tmp_path: Path, store, monkeypatch, sample: str, me: str
):
    """A chat without ids (the chat named only by its title) that a pcrm hashing each message's UTC moment
    imported with `--tz Europe/Berlin`, then `pcrm import result.json --tz America/New_York` (or no --tz, or
    Asia/Kolkata): every message was added a second time, as only the reference that pcrm would have made
    under the zone of this run was looked for. The stored message is found by its time, off by whole zone
    offsets, whose own reference is the one that pcrm made of it: the re-imports add nothing, any number
    of times, and leave each message where it was."""
    from pcrm.formats import telegram

    f = _without_ids(corpus, tmp_path, sample, chat_id=False)
    with monkeypatch.context() as m:  # the earlier reader: no wall clock hashed
        m.setattr(telegram, "_wall", lambda msg: None)
        assert imp(f, "--me", me, "--tz", "Europe/Berlin")["data"]["interactions_created"] > 0
    held = sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions"))
    for zone in (["--tz", "America/New_York"], [], ["--tz", "Asia/Kolkata"], ["--tz", "America/New_York"]):
        rep = imp(f, "--me", me, *zone)["data"]
        assert (rep["batch_id"], rep["contacts_created"], rep["interactions_created"]) == (None, 0, 0), zone
    assert sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions")) == held


@pytest.mark.parametrize(
    ("sample", "me"),
    [
        ("kawsay__ios_chat.txt", "John"),
        ("whats_json__ios_de.txt", None),
        ("langchain__whatsapp_chat_ios.txt", "Dr. Feather"),
        ("whats_json__android_en_media.txt", None),
    ],
)
def test_a_whatsapp_chat_an_earlier_pcrm_imported_is_recognised_under_any_zone(
    imp, cli, corpus: Path, store, monkeypatch, sample: str, me: str | None
):
    """WhatsApp writes local times only. A chat a pcrm that hashed each message's UTC moment imported with
    `--tz Europe/Berlin`, then imported again with `--tz America/New_York`, no --tz or `--tz Asia/Tokyo`:
    every message was added again. None is now, and none moves."""
    from pcrm.clock import iso
    from pcrm.formats import whatsapp

    f = corpus / "whatsapp" / sample
    who = ["--me", me] if me else []
    first_ref = whatsapp._ref
    with monkeypatch.context() as m:  # the earlier reader: the UTC moment hashed
        m.setattr(
            whatsapp, "_ref", lambda counts, other, at, msg: first_ref(counts, other, iso(msg.when), msg)
        )
        first = imp(f, *who, "--tz", "Europe/Berlin")["data"]
    held = sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions"))
    assert held and first["interactions_created"] == len(held)
    for zone in (["--tz", "America/New_York"], [], ["--tz", "Asia/Tokyo"], ["--tz", "America/New_York"]):
        rep = imp(f, *who, *zone)["data"]
        assert (rep["batch_id"], rep["contacts_created"], rep["interactions_created"]) == (None, 0, 0), zone
    assert sorted(store.q("SELECT contact_id, raw_reference_id, occurred_at FROM interactions")) == held


def test_a_telegram_contacts_list_date_read_in_tz_is_one_value_under_any_zone(
    imp, cli, tmp_path: Path, store
):
    """An older account export's contacts list (a `date` alone, no chat giving the computer's zone): the
    date when Nadia was added is read in --tz. Imported with `--tz Europe/Berlin`, then again with `--tz
    America/New_York` or no --tz: Nadia got a second "added on telegram" date each time. The date held,
    off by whole zone offsets, is the same one: the re-imports add nothing and leave it as it was."""
    from tests.support.imports import NADIA, telegram_account

    doc: dict[str, Any] = telegram_account([{k: v for k, v in NADIA.items() if k != "date_unixtime"}])
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    imp(f, "--tz", "Europe/Berlin")
    held = store.q("SELECT value FROM contact_fields")
    assert held == [("X-ADDED-ON-TELEGRAM:2019-11-17T17:35:44.000Z",)]
    for zone in (["--tz", "America/New_York"], [], ["--tz", "Pacific/Kiritimati"]):
        assert imp(f, *zone)["data"]["batch_id"] is None, zone
    assert store.q("SELECT value FROM contact_fields") == held


def _reacted(corpus: Path, tmp_path: Path) -> Path:
    """The langchain personal chat (written on a computer at UTC-7: `date` 13:11:23, `date_unixtime`
    20:11:23 UTC) whose first message drew your 👍 a minute later, the reaction's time written as Telegram
    Desktop writes it: `date` alone, the exporting computer's wall clock."""
    doc = json.loads((corpus / "telegram/langchain__result_personal_chat.json").read_text(encoding="utf-8"))
    doc["messages"][0]["reactions"] = [
        {
            "type": "emoji",
            "count": 1,
            "emoji": "👍",
            "recent": [
                {"from": "Batman & Robin", "from_id": "user6565661032", "date": "2023-08-23T13:12:23"}
            ],
        }
    ]
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def _reaction_times(store: Any) -> list[str]:
    rows = store.q("SELECT extra_data FROM interactions WHERE extra_data LIKE '%reactions%'")
    return [r["at"] for (extra,) in rows for r in json.loads(extra)["reactions"]]


def test_a_telegram_reactions_time_is_read_in_the_exporting_computers_zone(
    imp, cli, corpus: Path, tmp_path: Path, store
):
    """`pcrm import result.json --tz Europe/Berlin` of a chat exported at UTC-7 stored the 👍 given a
    minute after its message at 11:12 UTC, nine hours before the message it reacts to (20:11 UTC): the
    reaction's wall clock was read in --tz although the file's own `date`/`date_unixtime` pairs say which
    zone its wall clocks are in. It is read in that zone, whatever --tz says; a re-import under another
    zone changes nothing."""
    f = _reacted(corpus, tmp_path)
    imp(f, "--me", "Batman & Robin", "--tz", "Europe/Berlin")
    assert _reaction_times(store) == ["2023-08-23T20:12:23.000Z"]
    assert imp(f, "--me", "Batman & Robin", "--tz", "Asia/Tokyo")["data"]["batch_id"] is None
    assert _reaction_times(store) == ["2023-08-23T20:12:23.000Z"]


def test_a_telegram_reaction_an_earlier_import_timed_in_tz_is_read_anew(
    imp, cli, corpus: Path, tmp_path: Path, store, monkeypatch
):
    """A store whose reaction an earlier pcrm timed in --tz (11:12 UTC for Berlin) gets the reaction's
    right time from a re-import, journaled: `pcrm import undo` puts the earlier time back."""
    from pcrm.formats import telegram

    f = _reacted(corpus, tmp_path)
    with monkeypatch.context() as m:  # the earlier reader: wall clocks in --tz
        m.setattr(telegram._Clock, "__init__", lambda self, tz, chats: _no_pairs(self, tz))
        imp(f, "--me", "Batman & Robin", "--tz", "Europe/Berlin")
    assert _reaction_times(store) == ["2023-08-23T11:12:23.000Z"]
    rep = imp(f, "--me", "Batman & Robin", "--tz", "Europe/Berlin")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 1)
    assert _reaction_times(store) == ["2023-08-23T20:12:23.000Z"]
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert _reaction_times(store) == ["2023-08-23T11:12:23.000Z"]


def _no_pairs(clock: Any, tz: Any) -> None:
    clock.tz, clock.walls, clock.offsets = tz, [], []


def _as_read_in(store: Any, zone: str) -> None:
    """Leave the store as a pcrm that read LinkedIn's zone-less dates in `zone` (and kept no folder or
    title) left it."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    for ref, at in store.q("SELECT raw_reference_id, occurred_at FROM interactions"):
        wall = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo(zone))
        then = wall.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        _write(
            store,
            "UPDATE interactions SET extra_data = NULL, occurred_at = ? WHERE raw_reference_id = ?",
            (then, ref),
        )


@pytest.mark.parametrize(
    ("then", "now"),
    [
        ("Europe/Berlin", ["--tz", "America/New_York"]),
        ("Asia/Kathmandu", []),
        ("Pacific/Kiritimati", ["--tz", "UTC"]),
        ("America/Los_Angeles", ["--tz", "America/Los_Angeles"]),
    ],
)
def test_linkedin_messages_an_earlier_pcrm_read_in_another_zone_move_to_utc(
    imp, cli, corpus: Path, store, then: str, now: list[str]
):
    """messages.csv imported by a pcrm that read its zone-less dates in --tz Europe/Berlin, then `pcrm
    import messages.csv --tz America/New_York` (or no --tz): the messages stayed at Berlin's reading, since
    only a re-import under the zone of the first one recognised them. A re-import under any zone recognises
    them (same conversation, sender and text, the time off by a whole zone offset of at most 14 h) and moves
    them to UTC with their folder and title, journaled: `pcrm import undo` puts them back; none is added
    twice."""
    f = corpus / "linkedin/linkedin-network-intelligence__Messages.csv"
    imp(f, "--me", "Test User")
    fresh = sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions"))
    _as_read_in(store, then)
    old = sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions"))
    assert old[0][1] != fresh[0][1]
    rep = imp(f, "--me", "Test User", *now)["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 11)
    assert sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions")) == fresh
    assert imp(f, "--me", "Test User", "--tz", "Asia/Tokyo")["data"]["batch_id"] is None
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions")) == old


def test_a_linkedin_message_whose_time_is_otherwise_off_is_not_moved(imp, cli, corpus: Path, store):
    """Only a time off by a whole zone offset is an earlier zone's reading: a stored message 14 h 30 min
    or 7 minutes off (moved by hand, or another message) stays where it is."""
    f = corpus / "linkedin/linkedin-network-intelligence__Messages.csv"
    imp(f, "--me", "Test User")
    _write(store, "UPDATE interactions SET extra_data = NULL")
    _write(
        store,
        "UPDATE interactions SET occurred_at = '2024-05-15T10:37:00.000Z' "
        "WHERE occurred_at = '2024-05-15T10:30:00.000Z'",
    )
    _write(
        store,
        "UPDATE interactions SET occurred_at = '2024-05-16T04:30:00.000Z' "
        "WHERE occurred_at = '2024-05-15T14:00:00.000Z'",
    )
    rep = imp(f, "--me", "Test User", "--tz", "Europe/Berlin")["data"]
    assert (rep["interactions_created"], rep["interactions_reread"]) == (0, 9)
    got = store.q("SELECT occurred_at FROM interactions WHERE occurred_at LIKE '2024-05-1%' ORDER BY 1")
    assert ("2024-05-15T10:37:00.000Z",) in got and ("2024-05-16T04:30:00.000Z",) in got


def test_spam_an_earlier_pcrm_imported_is_taken_out_by_a_reimport(
    imp, cli, corpus: Path, tmp_path: Path, store
):
    """messages.csv imported by a pcrm that imported SPAM-folder messages like any other (here: read as
    INBOX, stored without a folder), then `pcrm import messages.csv` again: the spam stayed, though a fresh
    import skips it. A re-import takes each such message out (the report says "took out 2 spam or draft
    messages an earlier import kept"), journaled: `pcrm import undo` puts them back as they were; a
    message whose text is another now stays, and the rest of the chat is untouched."""
    sample = (corpus / "linkedin/kawsay__messages.csv").read_text(encoding="utf-8")
    head, ana, rest = sample.split("\n", 2)
    sam = (
        "ghi789,,Sam Spammer,https://www.linkedin.com/in/samspam,Pedro Fuentes,"
        "https://www.linkedin.com/in/pedro,2024-03-16 08:00:00,,Cheap followers!,{}"
    )
    f = tmp_path / "messages.csv"
    f.write_text("\n".join([head, ana, sam.format("INBOX"), rest]), encoding="utf-8")
    assert imp(f, "--me", "Pedro Fuentes")["data"]["interactions_created"] == 3
    _write(store, "UPDATE interactions SET extra_data = NULL")  # that reader kept no folder
    before = sorted(row[1:] for row in store.q("SELECT * FROM interactions"))  # all but the rowid
    f.write_text(
        "\n".join([head, ana.replace(",INBOX", ",SPAM"), sam.format("SPAM"), rest]), encoding="utf-8"
    )
    shown = cli("import", str(f), "--me", "Pedro Fuentes", "--now", "2026-03-01T12:00:00Z").stdout
    assert "took out 2 spam or draft messages an earlier import kept" in shown
    left = store.q("SELECT content_preview FROM interactions")
    assert left == [("Sounds great!\nTuesday at 3pm works.",)]
    # Sam's contact, made only for the spam, goes with it (tests/imports/test_spam_senders.py); Ana stays
    assert store.q("SELECT full_name FROM contacts") == [("Ana Lopez",)]
    rerun = imp(f, "--me", "Pedro Fuentes")["data"]
    assert (rerun["batch_id"], rerun["interactions_withdrawn"]) == (None, 0)
    batch = cli.json("import", "history")["data"][0]["id"]
    cli.json("import", "undo", batch, "--yes")
    assert sorted(row[1:] for row in store.q("SELECT * FROM interactions")) == before
    assert len(store.q("SELECT 1 FROM contacts")) == 2


def test_a_spam_rows_reference_holding_another_text_stays(imp, cli, corpus: Path, tmp_path: Path, store):
    """A SPAM-folder row whose reference a stored message of another text holds (an edited message, or the
    one an older pcrm kept of two at the same date) is no spam that import kept: it stays."""
    sample = (corpus / "linkedin/kawsay__messages.csv").read_text(encoding="utf-8")
    head, ana, rest = sample.split("\n", 2)
    f = tmp_path / "messages.csv"
    f.write_text("\n".join([head, ana, rest]), encoding="utf-8")
    imp(f, "--me", "Pedro Fuentes")
    f.write_text(
        "\n".join([head, ana.replace(",INBOX", ",SPAM").replace("Hey Pedro", "Win a prize"), rest]),
        encoding="utf-8",
    )
    rep = imp(f, "--me", "Pedro Fuentes")["data"]
    assert (rep["interactions_withdrawn"], rep["batch_id"]) == (0, None)
    assert len(store.q("SELECT 1 FROM interactions")) == 2


def test_a_rerun_counts_no_repair_it_did_not_make(imp, cli, tmp_path: Path, store, monkeypatch):
    """`pcrm import people.csv` of a file holding misread names ("JosÃ© GarcÃ\\xada") said "2 misread values
    repaired" on every rerun, though the rerun changed nothing ("0 updated, 1 unchanged"): the count was of
    what the file holds. It is of what the run repairs: the first import's 2, a rerun's none, and a
    re-import into a store an earlier pcrm filled with the misread text the repairs that re-import makes."""
    import importlib

    validate = importlib.import_module("pcrm.services.ingest.validate")  # the module, not its function

    f = tmp_path / "people.csv"
    f.write_text("Name,Email,Company\nJosÃ© GarcÃ­a,jose@x.test,CafÃ© Noir\n", encoding="utf-8")
    first = cli("import", str(f), "--now", "2026-03-01T12:00:00Z").stdout
    assert "2 misread values repaired, each kept as written" in first
    again = cli("import", str(f), "--now", "2026-03-01T12:00:00Z").stdout
    assert "0 new contacts, 0 updated, 1 unchanged" in again and "misread" not in again
    assert imp(f)["data"]["text_repaired"] == 0
    # a store an earlier pcrm filled without repairing: the re-import repairs both, and says so
    g = tmp_path / "others.csv"
    g.write_text("Name,Email,Company\nRenÃ©e Roux,renee@x.test,CafÃ© Noir\n", encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(validate, "misread_repaired", lambda rec: None)
        imp(g)
    assert store.q("SELECT full_name FROM contacts WHERE full_name LIKE 'Ren%'") == [("RenÃ©e Roux",)]
    assert imp(g)["data"]["text_repaired"] == 2
    assert store.q("SELECT full_name FROM contacts WHERE full_name LIKE 'Ren%'") == [("Renée Roux",)]
    assert imp(g)["data"]["text_repaired"] == 0


def test_drafts_an_earlier_pcrm_imported_are_taken_out_by_a_reimport(imp, cli, tmp_path: Path, store):
    """messages.csv with IS MESSAGE DRAFT: a pcrm that imported drafts as messages left them after `pcrm
    import messages.csv` now counts them as `draft`. A re-import takes them out (undo puts them back); a
    sent message of the same conversation, date and text as a draft is the file's own message and stays."""
    head = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT,FOLDER,IS MESSAGE DRAFT\n"
    )
    me = "Me Myself,,Ann Lee,https://www.linkedin.com/in/annlee"
    rows = [
        f"c1,,{me},2024-03-15 09:30:00 UTC,,Hello Ann,INBOX,No",
        f"c1,,{me},2024-03-15 09:40:00 UTC,,Not sent yet,DRAFT,{{}}",
        f"c1,,{me},2024-03-15 09:50:00 UTC,,See you,INBOX,No",
        f"c1,,{me},2024-03-15 09:50:00 UTC,,See you,DRAFT,{{}}",  # a draft of a message then sent
    ]
    f = tmp_path / "messages.csv"
    f.write_text(head + "\n".join(r.format("No") for r in rows) + "\n", encoding="utf-8")
    assert imp(f, "--me", "Me Myself")["data"]["interactions_created"] == 3  # the earlier reader's store
    f.write_text(head + "\n".join(r.format("Yes") for r in rows) + "\n", encoding="utf-8")
    rep = imp(f, "--me", "Me Myself")["data"]
    assert (rep["interactions_withdrawn"], rep["interactions_created"]) == (1, 0)
    assert [(x["reason"], x["count"]) for x in rep["interactions_not_imported"]] == [("draft", 2)]
    got = store.q("SELECT content_preview FROM interactions ORDER BY occurred_at")
    assert got == [("Hello Ann",), ("See you",)]
    assert imp(f, "--me", "Me Myself")["data"]["batch_id"] is None
    cli.json("import", "undo", rep["batch_id"], "--yes")
    got = store.q("SELECT content_preview FROM interactions ORDER BY occurred_at")
    assert got == [("Hello Ann",), ("Not sent yet",), ("See you",)]


def _reacted_without_pairs(
    corpus: Path, tmp_path: Path, sample: str, *, ids: bool, more: bool = False
) -> Path:
    """A Telegram sample whose wall clocks no `date`/`date_unixtime` pair places (the old format writes
    `date` alone, the chat-miner sample `date_unixtime` alone), its first message reacted to by the other
    person a minute later, the reaction's time a `date` alone: read in --tz. Without ids (`ids`), messages
    are hashed as the oldest exports are; `more`: a later export, where you reacted to it too."""
    from datetime import UTC, datetime, timedelta

    doc = json.loads((corpus / "telegram" / sample).read_text(encoding="utf-8"))
    messages = doc["messages"] if "messages" in doc else doc["chats"]["list"][0]["messages"]
    first = messages[0]
    at = first.get("date") or datetime.fromtimestamp(int(first["date_unixtime"]), tz=UTC).isoformat()[:19]
    then = datetime.fromisoformat(at) + timedelta(minutes=1)
    other = next(m["from"] for m in messages if m["from"] != first["from"])
    reactions = [{"from": other, "date": then.isoformat()}]
    if more:
        reactions.append({"from": first["from"], "date": (then + timedelta(hours=2)).isoformat()})
    first["reactions"] = [{"type": "emoji", "count": len(reactions), "emoji": "👍", "recent": reactions}]
    if not ids:
        for m in messages:
            m.pop("id", None)
            m.pop("from_id", None)
        doc.pop("id", None)
    f = tmp_path / "result.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def _message_rows(store: Any) -> list[tuple[Any, ...]]:
    return sorted(store.q("SELECT raw_reference_id, occurred_at, extra_data FROM interactions"))


@pytest.mark.parametrize(
    ("sample", "me", "ids"),
    [
        ("langchain__telegram_old_format.json", "Henry", True),
        ("langchain__telegram_old_format.json", "Henry", False),
        ("chat-miner__single_export.json", "Author 1", False),
    ],
)
def test_a_telegram_reactions_time_read_in_tz_stays_under_any_zone(
    imp, cli, corpus: Path, tmp_path: Path, store, sample: str, me: str, ids: bool
):
    """An export whose reactions have no `date_unixtime` and whose file has no pair giving its computer's
    zone: `pcrm import result.json --tz Europe/Berlin`, then again with `--tz America/New_York` (or no
    --tz, or Asia/Kolkata): the message stayed where it was, but its 👍 was read anew in the new zone,
    hours away from it (a batch, `interactions_reread` 1, each time). The reaction held at a time off by
    whole zone offsets is the same reaction: the re-imports change nothing."""
    f = _reacted_without_pairs(corpus, tmp_path, sample, ids=ids)
    imp(f, "--me", me, "--tz", "Europe/Berlin")
    held = _message_rows(store)
    assert len(_reaction_times(store)) == 1
    for zone in (["--tz", "America/New_York"], [], ["--tz", "Asia/Kolkata"]):
        rep = imp(f, "--me", me, *zone)["data"]
        assert (rep["batch_id"], rep["interactions_created"], rep["interactions_reread"]) == (None, 0, 0), (
            zone
        )
        assert _message_rows(store) == held, zone


def test_a_later_export_adds_its_new_reaction_and_keeps_the_stored_ones_times(
    imp, cli, corpus: Path, tmp_path: Path, store
):
    """A later export of the same chat, where you reacted too, imported under another --tz: the message
    gets the new reaction (read in this --tz, as a first import would), and the reaction it held keeps its
    time; `pcrm import undo` takes the new one away again."""
    sample, me = "langchain__telegram_old_format.json", "Henry"
    f = _reacted_without_pairs(corpus, tmp_path, sample, ids=True)
    imp(f, "--me", me, "--tz", "Europe/Berlin")
    (kept,) = _reaction_times(store)
    f = _reacted_without_pairs(corpus, tmp_path, sample, ids=True, more=True)
    rep = imp(f, "--me", me, "--tz", "America/New_York")["data"]
    assert rep["interactions_reread"] == 1
    assert _reaction_times(store) == [kept, "2020-01-01T07:01:02.000Z"]  # 02:01 in New York
    cli.json("import", "undo", rep["batch_id"], "--yes")
    assert _reaction_times(store) == [kept]
