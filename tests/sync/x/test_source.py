"""The X adapter behind the source contract, over real HTTP against the fake X API (tests/sync/x/fake.py):
DM paging with a since_id cursor, the stale-cursor retry, mentions and replies by known contacts only,
the 429 gate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.errors import PcrmError
from pcrm.services import sync
from pcrm.services.context import Context
from pcrm.sync.x.client import XClient
from pcrm.sync.x.source import XSource
from pcrm.sync.x.tokens import StaticTokens
from tests.sync.contract import SourceContract
from tests.sync.x.fake import ME, FakeX, XWorld, sample

PEOPLE, PER = 6, 5
PAGE = 7  # DM events a page: 30 events are 5 pages


class TestXContract(SourceContract):
    source_cls = XSource
    contacts = PEOPLE
    interactions = PEOPLE * PER + 3  # the DMs, two mentions by contacts, one reply to a contact

    @pytest.fixture(autouse=True)
    def _servers(self) -> Iterator[None]:
        self.servers: list[FakeX] = []
        yield
        for s in self.servers:
            s.close()

    def make_client(self, *, fail_at: int | None = None) -> Any:
        world = sample(XWorld(page_size=PAGE), PEOPLE, PER)
        world.fail_page_at = fail_at
        fake = FakeX(world)
        self.servers.append(fake)
        client = XClient(fake.url, StaticTokens(world.access, ME))
        client.fake = fake  # type: ignore[attr-defined]
        return client

    def grow(self, client: Any) -> int:
        world: XWorld = client.fake.world
        world.dm("2001", "are you around next week?")
        world.dm("2002", "sent it", out=True)
        world.mention("2003", "@ada look at this")
        return 3

    def test_a_field_the_user_edited_is_never_refilled(self, ctx: Context) -> None:
        # X brings no company: the contract's field is the bio the user corrected
        from pcrm.services import contacts

        client = self.make_client()
        self.sync(ctx, client)
        uuid = self._uuid(ctx, "2001")
        contacts.update_contact(ctx, uuid, {"twitter_bio": "my own words"})
        sync.reset(ctx, self.name)
        self.sync(ctx, self.make_client())
        assert ctx.conn.execute("SELECT twitter_bio FROM contacts WHERE uuid = ?", (uuid,)).fetchall() == [
            ("my own words",)
        ]

    @staticmethod
    def _uuid(ctx: Context, uid: str) -> str:
        return str(
            ctx.conn.execute(
                "SELECT c.uuid FROM contacts c JOIN contact_identities i ON i.contact_id = c.id "
                "WHERE i.platform = 'twitter' AND i.external_id = ?",
                (uid,),
            ).fetchall()[0][0]
        )


@pytest.fixture
def fake() -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(page_size=PAGE), PEOPLE, PER, stranger=True))
    yield f
    f.close()


def _client(fake: FakeX) -> XClient:
    return XClient(fake.url, StaticTokens(fake.world.access, ME))


def _rows(ctx: Context, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ctx.conn.execute(sql, args).fetchall()]


def test_dms_mentions_and_replies_land_on_the_right_contacts(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter", client=_client(fake))
    people = _rows(
        ctx,
        "SELECT c.full_name, c.twitter_bio, c.location, i.handle FROM contacts c JOIN contact_identities i "
        "ON i.contact_id = c.id AND i.platform = 'twitter' ORDER BY i.external_id",
    )
    assert people[0] == ("Friend 0", "bio of friend 0", "Berlin", "friend0")
    assert len(people) == PEOPLE  # the stranger who mentioned the user is not made a contact
    kinds = _rows(
        ctx,
        "SELECT substr(raw_reference_id, 1, instr(raw_reference_id, ':')), direction, count(*) "
        "FROM interactions GROUP BY 1, 2 ORDER BY 1, 2",
    )
    sent = sum(1 for m in range(PER) if m % 3 == 2) * PEOPLE
    assert kinds == [
        ("twitter_dm:", "inbound", PEOPLE * PER - sent),
        ("twitter_dm:", "outbound", sent),
        ("twitter_mention:", "inbound", 2),
        ("twitter_reply:", "outbound", 1),
    ]
    reply = _rows(
        ctx,
        "SELECT c.full_name, i.content_preview FROM interactions i JOIN contacts c ON c.id = i.contact_id "
        "WHERE raw_reference_id LIKE 'twitter_reply:%'",
    )
    assert reply == [("Friend 2", "@friend2 agreed")]


def test_the_dm_cursor_is_the_newest_event_and_the_next_run_asks_from_it(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter", client=_client(fake))
    newest = fake.world.dms[0]["id"]
    cursor = json.loads(_rows(ctx, "SELECT cursor FROM sync_cursors WHERE source = 'twitter'")[0][0])
    assert cursor["dm"] == newest
    fake.world.requests.clear()
    new = fake.world.dm("2004", "hello again")
    run = sync.run(ctx, "twitter", client=_client(fake)).data
    assert run["records_created"] == 1
    dm_asks = [r for r in fake.world.requests if r.startswith("GET /2/dm_events")]
    assert len(dm_asks) == 1 and f"since_id={newest}" in dm_asks[0]
    assert _rows(
        ctx, "SELECT count(*) FROM interactions WHERE raw_reference_id = ?", f"twitter_dm:{new}"
    ) == [(1,)]


def test_a_forgotten_since_id_restarts_without_it_and_sends_nothing_twice(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter", client=_client(fake))
    before = _rows(ctx, "SELECT count(*) FROM interactions")[0][0]
    fake.world.forget_since = True
    new = fake.world.dm("2005", "after the cursor was forgotten")
    fake.world.requests.clear()
    run = sync.run(ctx, "twitter", client=_client(fake)).data
    assert run["status"] == "success"
    assert run["records_created"] == 1
    details = json.loads(run["details"])
    assert details["interactions_skipped"] == 0  # the old events were dropped by the adapter, not re-sent
    asks = [r for r in fake.world.requests if r.startswith("GET /2/dm_events")]
    assert "since_id=" in asks[0] and "since_id=" not in asks[1]
    assert len(asks) == 2  # the first page of the retry already reaches the old cursor
    assert _rows(ctx, "SELECT count(*) FROM interactions")[0][0] == before + 1
    fake.world.forget_since = False
    cursor = json.loads(_rows(ctx, "SELECT cursor FROM sync_cursors WHERE source = 'twitter'")[0][0])
    assert cursor["dm"] == new


def test_a_rate_limit_closes_the_gate_until_x_reset(ctx: Context, fake: FakeX) -> None:
    fake.world.rate_limit_at = 2
    with pytest.raises(PcrmError) as e:
        sync.run(ctx, "twitter", client=_client(fake))
    assert e.value.code == "rate_limited"
    assert 100 <= e.value.details["retry_after"] <= 121
    assert "X rate limit" in e.value.message
    assert 100 <= sync.gate_wait(ctx, "twitter") <= 121
    with pytest.raises(PcrmError) as again:  # the gate answers before X is asked
        sync.run(ctx, "twitter", client=_client(fake))
    assert again.value.code == "rate_limited"
    notes = _rows(ctx, "SELECT title FROM notifications WHERE notification_type = 'system'")
    assert notes == [("X (Twitter) rate limit",)]


def test_a_backlog_over_the_page_limit_is_fetched_over_several_runs_each_event_once(
    ctx: Context, fake: FakeX
) -> None:
    from pcrm.sync.x.source import DM_PAGES

    sync.run(ctx, "twitter", client=_client(fake))
    before = _rows(ctx, "SELECT count(*) FROM interactions")[0][0]
    backlog = [fake.world.dm("2001", f"backlog {n}") for n in range((DM_PAGES + 5) * PAGE)]
    fake.world.requests.clear()
    first = sync.run(ctx, "twitter", client=_client(fake)).data
    assert len([r for r in fake.world.requests if r.startswith("GET /2/dm_events")]) == DM_PAGES
    assert first["records_created"] == DM_PAGES * PAGE
    later = [fake.world.dm("2002", f"meanwhile {n}") for n in range(3)]  # newer than the stopped pass
    second = sync.run(ctx, "twitter", client=_client(fake)).data
    assert second["records_created"] == 5 * PAGE  # the rest of the backlog, down to the old since_id
    third = sync.run(ctx, "twitter", client=_client(fake)).data
    assert third["records_created"] == len(later)
    for run in (first, second, third):
        assert json.loads(run["details"])["interactions_skipped"] == 0  # nothing was sent twice
    refs = {f"twitter_dm:{i}" for i in backlog + later}
    stored = _rows(ctx, "SELECT raw_reference_id FROM interactions WHERE raw_reference_id LIKE 'twitter_dm%'")
    assert refs <= {r for (r,) in stored} and len(stored) == len({r for (r,) in stored})
    assert _rows(ctx, "SELECT count(*) FROM interactions")[0][0] == before + len(refs)
    cursor = json.loads(_rows(ctx, "SELECT cursor FROM sync_cursors WHERE source = 'twitter'")[0][0])
    assert cursor["dm"] == later[-1] and not cursor["open"]


def test_a_saved_page_token_x_no_longer_takes_restarts_the_pass_from_its_since_id(
    ctx: Context, fake: FakeX
) -> None:
    from pcrm.sync.x.source import DM_PAGES

    sync.run(ctx, "twitter", client=_client(fake))
    backlog = [fake.world.dm("2003", f"backlog {n}") for n in range((DM_PAGES + 2) * PAGE)]
    sync.run(ctx, "twitter", client=_client(fake))  # stops at the page limit, its next token saved
    cursor = json.loads(_rows(ctx, "SELECT cursor FROM sync_cursors WHERE source = 'twitter'")[0][0])
    fake.world.forget_tokens.add(cursor["open"]["dm"]["next"])  # it expired
    restarted = sync.run(ctx, "twitter", client=_client(fake)).data  # no failure: the pass starts over
    assert restarted["status"] == "success" and restarted["records_created"] == 0  # pages it had already
    assert sync.run(ctx, "twitter", client=_client(fake)).data["records_created"] == 2 * PAGE
    refs = {r for (r,) in _rows(ctx, "SELECT raw_reference_id FROM interactions")}
    assert {f"twitter_dm:{i}" for i in backlog} <= refs
    cursor = json.loads(_rows(ctx, "SELECT cursor FROM sync_cursors WHERE source = 'twitter'")[0][0])
    assert cursor["dm"] == backlog[-1] and not cursor["open"]


def test_a_cursor_saved_by_the_earlier_version_mid_pass_resumes_that_pass() -> None:
    from pcrm.sync.x.source import _State

    old = (
        '{"v":1,"dm":"10","mention":null,"reply":null,"phase":"mention","next":"t9","top":"30",'
        '"floor":null,"pages":2}'
    )
    st = _State.parse(old)
    assert (st.dm, st.open) == ("10", {"mention": {"next": "t9", "top": "30", "floor": None}})
    assert _State.parse(st.dump()) == st
