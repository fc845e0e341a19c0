"""The Telegram adapter behind the source contract, on a fake account at telethon's boundary
(tests/sync/telegram/fake.py): DMs without bots, calls, read receipts, the unchanged-dialog skip, 2nd-tier
group members."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pcrm.services import sync
from pcrm.services.context import Context
from pcrm.sync.telegram import source as tg_source
from pcrm.sync.telegram.source import TelegramSource
from tests.sync.contract import SourceContract
from tests.sync.telegram.fake import Account, logged_in, sample

DMS = 12
PER_DM = 6
CALLS = len(range(0, DMS, 3))


class TestTelegramContract(SourceContract):
    source_cls = TelegramSource
    contacts = DMS + 2  # the DM peers and two group members with no DM (bots and public groups left out)
    interactions = DMS * PER_DM + CALLS

    @pytest.fixture(autouse=True)
    def _small_batches(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(tg_source, "DIALOGS_PER_BATCH", 5)

    def make_client(self, *, fail_at: int | None = None) -> Any:
        account = sample(DMS, PER_DM)
        if fail_at is not None:  # the batch `fail_at` asks for its first dialog's messages
            account.fail_history_at = fail_at * tg_source.DIALOGS_PER_BATCH
        return logged_in(account)

    def grow(self, client: Any) -> int:
        account: Account = client.tl.account
        account.say(2003, "are you around next week?")
        account.say(2004, None, out=True, call="phone", duration=12)
        return 2

    def test_a_field_the_user_edited_is_never_refilled(self, ctx: Context) -> None:
        # Telegram brings no company: the contract's field is the name the user corrected
        from pcrm.services import contacts

        client = self.make_client()
        self.sync(ctx, client)
        uuid = ctx.conn.execute(
            "SELECT c.uuid FROM contacts c JOIN contact_identities i ON i.contact_id = c.id "
            "WHERE i.external_id = '2000'"
        ).fetchall()[0][0]
        contacts.update_contact(ctx, uuid, {"full_name": "Ada L."})
        sync.reset(ctx, self.name)
        self.sync(ctx, client)
        assert ctx.conn.execute("SELECT full_name FROM contacts WHERE uuid = ?", (uuid,)).fetchall() == [
            ("Ada L.",)
        ]


def _rows(ctx: Context, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ctx.conn.execute(sql, args).fetchall()]


def test_dms_calls_and_read_receipts_are_stored(ctx: Context) -> None:
    account = sample(DMS, PER_DM)
    sync.run(ctx, "telegram", client=logged_in(account))
    # no bot, and the bot's message is not stored
    assert _rows(ctx, "SELECT count(*) FROM contacts WHERE full_name = 'Helper'") == [(0,)]
    calls = _rows(
        ctx,
        "SELECT call_type, duration_seconds, content_preview, direction FROM interactions "
        "WHERE call_type IS NOT NULL ORDER BY duration_seconds",
    )
    assert calls == [("phone", 60, None, "outbound"), ("video", 63, None, "outbound"),
                     ("phone", 66, None, "outbound"), ("video", 69, None, "outbound")]  # fmt: skip
    # person 0: refs {peer}:{msg}; outbound messages up to the read receipt are read, the later ones not
    read = account.read[2000]
    got = _rows(
        ctx,
        "SELECT raw_reference_id, is_read_by_recipient FROM interactions "
        "WHERE raw_reference_id LIKE '2000:%' AND direction = 'outbound' AND call_type IS NULL",
    )
    assert got and all(bool(flag) == (int(ref.split(":")[1]) <= read) for ref, flag in got)
    assert _rows(
        ctx,
        "SELECT c.telegram_read_outbox_max_id FROM contacts c JOIN contact_identities i "
        "ON i.contact_id = c.id WHERE i.external_id = '2000'",
    ) == [(read,)]
    # the other side reads everything: the next run marks it without fetching any message again
    history = account.calls["GetHistoryRequest"]
    account.read[2000] = account.chats[2000][-1][0]
    sync.run(ctx, "telegram", client=logged_in(account))
    assert account.calls["GetHistoryRequest"] == history  # unchanged dialogs: no history request
    assert _rows(
        ctx,
        "SELECT count(*) FROM interactions WHERE raw_reference_id LIKE '2000:%' "
        "AND direction = 'outbound' AND is_read_by_recipient = 0",
    ) == [(0,)]


def test_group_members_are_second_tier_and_public_groups_are_skipped(ctx: Context) -> None:
    sync.run(ctx, "telegram", client=logged_in(sample(DMS, PER_DM)))
    tagged = _rows(
        ctx,
        "SELECT c.full_name FROM contacts c JOIN contact_tags t ON t.contact_id = c.id "
        "WHERE t.tag = '2nd tier' ORDER BY 1",
    )
    assert tagged == [("Alan Member",), ("Grace Member",)]  # DM peers in groups stay first tier
    run = _rows(ctx, "SELECT details FROM sync_runs")[0][0]
    assert json.loads(run)["groups_processed"] == 2  # the public megagroup is not read


def test_second_tier_off_reads_no_group(ctx: Context) -> None:
    from pcrm.services import settings

    settings.set_setting(ctx, "telegram.sync_2nd_tier", False)
    account = sample(DMS, PER_DM)
    sync.run(ctx, "telegram", client=logged_in(account))
    assert "GetFullChatRequest" not in account.calls and "GetParticipantsRequest" not in account.calls


def test_a_renamed_contact_keeps_its_telegram_account(ctx: Context) -> None:
    # a Telegram user id names one account: the contact holding it stays the person's, whatever the user
    # renamed it to [shared-keys]; the next sync neither makes a second contact nor stores the chat again
    from pcrm.services import contacts

    account = sample(3, 2)
    sync.run(ctx, "telegram", client=logged_in(account))
    people = _rows(ctx, "SELECT count(*) FROM contacts")
    (uuid, before), *_ = _rows(
        ctx,
        "SELECT c.uuid, (SELECT count(*) FROM interactions WHERE contact_id = c.id) FROM contacts c "
        "JOIN contact_identities i ON i.contact_id = c.id WHERE i.external_id = '2000'",
    )
    contacts.update_contact(ctx, uuid, {"full_name": "Grandpa Joe", "given_name": "Joe", "family_name": None})
    account.say(2000, "see you on Sunday")
    details = json.loads(sync.run(ctx, "telegram", client=logged_in(account)).data["details"])
    assert (details["contacts_created"], details["interactions_created"], details["pending_review"]) == (
        0,
        1,
        0,
    )
    assert details["errors"] == []
    assert _rows(ctx, "SELECT count(*) FROM contacts") == people
    assert _rows(
        ctx,
        "SELECT c.full_name, count(*) FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        "WHERE c.uuid = ? GROUP BY c.id",
        uuid,
    ) == [("Grandpa Joe", before + 1)]
