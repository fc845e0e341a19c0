"""The Gmail source [google-sources] [gmail-routing] over the real googleapiclient (bundled discovery
documents) and google-auth's token refresh, talking to a fake Google at httplib2's boundary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pcrm.errors import PcrmError
from pcrm.services import contacts, sync
from pcrm.services.context import Context
from pcrm.sync.google import client as gclient
from pcrm.sync.google.gmail import GmailSource
from pcrm.sync.google.mail import clean
from tests.sync.contract import SourceContract
from tests.sync.google_fake import FakeGoogle, at

ME = "me@example.com"
PEOPLE = 12
MESSAGES = 40


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(gclient, "_sleep", slept.append)
    return slept


def _mailbox(fake: FakeGoogle, n: int = MESSAGES) -> None:
    box = fake.mailbox(ME)
    for i in range(n):
        other = f"person{i % PEOPLE}@example.org"
        if i % 3 == 0:
            box.add_message(f"m{i}", f"Me <{ME}>", f"P <{other}>", f"sent {i}", at=at(i))
        else:
            box.add_message(f"m{i}", f"P <{other}>", ME, f"hello {i}\n\nOn Mon, Ada wrote:\n> old", at=at(i))


def _seed(ctx: Context) -> None:
    for i in range(PEOPLE):
        contacts.create_contact(
            ctx, {"full_name": f"Person {i} Example", "emails": [f"person{i}@example.org"], "company": "Acme"}
        )


class TestGmailContract(SourceContract):
    source_cls = GmailSource
    contacts = PEOPLE
    interactions = MESSAGES

    @pytest.fixture(autouse=True)
    def _people(self, ctx: Context) -> None:  # Gmail never creates contacts: they exist already
        _seed(ctx)

    def make_client(self, *, fail_at: int | None = None) -> Any:
        fake = FakeGoogle(page_size=10)
        _mailbox(fake)
        fake.fail_at = fail_at
        return fake.client()

    def grow(self, client: Any) -> int:
        box = client.accounts[0].http.boxes[f"rt-{ME}"]
        for i in range(5):
            box.add_message(f"new{i}", f"<person{i}@example.org>", ME, f"news {i}", at=at(100 + i))
        return 5


def _refs(ctx: Context) -> list[tuple[str, str, str]]:
    return [
        (r[0], r[1], r[2])
        for r in ctx.conn.execute(
            "SELECT c.full_name, i.raw_reference_id, i.direction FROM interactions i "
            "JOIN contacts c ON c.id = i.contact_id ORDER BY i.raw_reference_id, c.full_name"
        )
    ]


def test_direction_routing_text_cleanup_and_no_new_contacts(ctx: Context) -> None:
    ada = contacts.create_contact(ctx, {"full_name": "Ada Lovelace", "emails": ["ada@example.org"]}).data
    contacts.create_contact(ctx, {"full_name": "Alan Turing", "emails": ["alan@example.org"]})
    code = ada["bcc_hash"]
    fake = FakeGoogle()
    box = fake.mailbox(ME)
    box.add_message(
        "a1",
        "Ada <ADA@example.org>",
        ME,
        "Lunch?\n\nOn Tue, 3 Mar 2026, Me <me@example.com>\nwrote:\n> hi",
        at=at(1),
    )
    box.add_message(
        "a2", ME, "ada@example.org, Alan <alan@example.org>", "Both of you -- \n-- \nMe", at=at(2)
    )
    box.add_message("a3", ME, "stranger@example.net", "who are you", at=at(3))
    box.add_message(
        "a4", ME, f"me+{code}@example.com, bob@example.net", "forwarded for the record\n> kept", at=at(4)
    )
    box.add_message("a5", "ada@example.org", ME, "On 2026-03-01 Ada wrote:\n> only quote", at=at(5))
    run = sync.run(ctx, "gmail", client=fake.client()).data
    assert run["status"] == "success"
    assert _refs(ctx) == [
        ("Ada Lovelace", "gmail:a1", "inbound"),
        ("Ada Lovelace", "gmail:a2", "outbound"),
        ("Alan Turing", "gmail:a2", "outbound"),
        ("Ada Lovelace", "gmail:a4", "outbound"),  # by the BCC code, though bob is no contact
    ]
    texts = dict(ctx.conn.execute("SELECT raw_reference_id, content_preview FROM interactions").fetchall())
    assert texts["gmail:a1"] == "Lunch?"  # the wrapped "On ... wrote:" and the quote cut off
    assert texts["gmail:a4"] == "forwarded for the record\n> kept"  # BCC'd mail is kept whole
    assert ctx.conn.execute("SELECT count(*) FROM contacts").fetchall() == [(2,)]  # nobody created
    details = json.loads(run["details"])
    assert details["interactions_skipped"] >= 2  # the stranger, and a5 (empty once the quote is cut)


def test_clean_cuts_quotes_and_signatures() -> None:
    assert clean("Yes!\n\n-----Original Message-----\nFrom: x") == "Yes!"
    assert clean("ok\n____\nlegal") == "ok"
    assert clean("see below\r\n> quoted") == "see below"
    assert clean("fine\n-- \nAda") == "fine"


def test_incremental_by_history_id_and_a_full_listing_when_history_expired(ctx: Context) -> None:
    _seed(ctx)
    fake = FakeGoogle(page_size=10)
    _mailbox(fake, 25)
    client = fake.client()
    sync.run(ctx, "gmail", client=client)
    assert ctx.conn.execute("SELECT count(*) FROM interactions").fetchall() == [(25,)]
    fake.calls.clear()
    nothing = sync.run(ctx, "gmail", client=client).data
    assert json.loads(nothing["details"])["batches"] == 0
    assert [c.split("?")[0] for c in fake.calls] == [
        "GET https://gmail.googleapis.com/gmail/v1/users/me/history"
    ]  # one call: nothing listed or fetched again
    box = fake.boxes[f"rt-{ME}"]
    box.add_message("late", "person1@example.org", ME, "a new one", at=at(50))
    fake.calls.clear()
    run = sync.run(ctx, "gmail", client=client).data
    assert run["records_created"] == 1
    assert sum("/messages/" in c for c in fake.calls) == 1  # only the new message was fetched
    # Google expired the history: the next run lists everything again, and duplicates nothing
    box.min_history = box.history_id + 1
    box.add_message("later", "person2@example.org", ME, "after expiry", at=at(51))
    fake.calls.clear()
    run = sync.run(ctx, "gmail", client=client).data
    assert run["records_created"] == 1
    assert any("/profile" in c for c in fake.calls) and sum("/messages/" in c for c in fake.calls) == 27
    assert ctx.conn.execute("SELECT count(*) FROM interactions").fetchall() == [(27,)]


def test_rate_limits_back_off_and_a_revoked_token_fails_with_a_notification(
    ctx: Context, _no_sleep: list[float]
) -> None:
    _seed(ctx)
    fake = FakeGoogle()
    _mailbox(fake, 5)
    fake.script["/messages?"] = [429, 429, 503]
    sync.run(ctx, "gmail", client=fake.client())
    assert _no_sleep == [3.0, 3.0, 4.0]  # Retry-After twice, then the exponential backoff
    assert ctx.conn.execute("SELECT count(*) FROM interactions").fetchall() == [(5,)]
    fake.revoked.add(f"rt-{ME}")
    with pytest.raises(PcrmError) as failed:
        sync.run(ctx, "gmail", client=fake.client())
    assert (
        failed.value.code == "upstream_error"
        and failed.value.hint == "connect the account again: pcrm auth google"
    )
    assert "7 days" in failed.value.message
    note = ctx.conn.execute(
        "SELECT title, body FROM notifications WHERE title = 'Gmail sync failed'"
    ).fetchall()
    assert len(note) == 1 and "me@example.com" in note[0][1]


def test_every_connected_account_is_synced(ctx: Context) -> None:
    _seed(ctx)
    fake = FakeGoogle()
    fake.mailbox(ME).add_message("x1", "person1@example.org", ME, "to the first", at=at(1))
    fake.mailbox("work@corp.example").add_message(
        "x2", "work@corp.example", "person2@example.org", "from work", at=at(2)
    )
    sync.run(ctx, "gmail", client=fake.client())
    rows = ctx.conn.execute(
        "SELECT raw_reference_id, direction, json_extract(extra_data, '$.account') "
        "FROM interactions ORDER BY 1"
    ).fetchall()
    assert rows == [("gmail:x1", "inbound", ME), ("gmail:x2", "outbound", "work@corp.example")]


def test_one_account_failing_does_not_stop_the_others(ctx: Context) -> None:
    _seed(ctx)
    fake = FakeGoogle()
    fake.mailbox(ME).add_message("x1", "person1@example.org", ME, "to the first", at=at(1))
    fake.mailbox("work@corp.example").add_message(
        "x2", "work@corp.example", "person2@example.org", "from work", at=at(2)
    )
    fake.revoked.add(f"rt-{ME}")  # the first account's token was revoked
    with pytest.raises(PcrmError) as failed:
        sync.run(ctx, "gmail", client=fake.client())
    assert "1 of 2 accounts failed (me@example.com)" in failed.value.message
    assert "the others were synced" in failed.value.message
    refs = ctx.conn.execute("SELECT raw_reference_id FROM interactions").fetchall()
    assert refs == [("gmail:x2",)]  # the second account's mail is in
    run = ctx.conn.execute("SELECT status FROM sync_runs").fetchall()
    assert run == [("partial",)]


def test_an_account_failing_beside_one_with_nothing_new_is_a_partial_run(ctx: Context) -> None:
    # [sync-engine]: the run ends partial naming the failed account, also when the account that was
    # synced had nothing new to write (it once ended 'failed: ... the others were synced')
    _seed(ctx)
    fake = FakeGoogle()
    fake.mailbox(ME).add_message("x1", "person1@example.org", ME, "to the first", at=at(1))
    fake.mailbox("work@corp.example")
    sync.run(ctx, "gmail", client=fake.client())
    fake.revoked.add("rt-work@corp.example")
    with pytest.raises(PcrmError) as failed:
        sync.run(ctx, "gmail", client=fake.client())
    assert failed.value.message.startswith("Gmail sync stopped: 1 of 2 accounts failed (work@corp.example)")
    assert failed.value.details["status"] == "partial"
    runs = ctx.conn.execute("SELECT status FROM sync_runs ORDER BY id").fetchall()
    assert runs == [("success",), ("partial",)]
    fake.revoked.add(f"rt-{ME}")  # every account failing is a failed run
    with pytest.raises(PcrmError) as failed:
        sync.run(ctx, "gmail", client=fake.client())
    assert failed.value.details["status"] == "failed"
    assert failed.value.message.startswith("Gmail sync failed: 2 of 2 accounts failed")
