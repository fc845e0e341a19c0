"""How the daemon answers reads: in a pool of reader threads, each over its own query-only connection
(api/runtime.Runtime.read) [read-pool], falling back to the writer lane when a read turns out to write, and
remembering pages and contacts (store.memo) until the store changes. A write through the daemon, or a commit
by another process (the CLI), must show at once; a slow read never holds up health, another read or a write.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from pcrm.domain.query import ContactFilter
from pcrm.store import contact_query

V = "/api/v1"


def names(client: Any, **query: str) -> tuple[list[str], int]:
    r = client.get(f"{V}/contacts", params=query)
    assert r.status_code == 200, r.text
    body = r.json()
    return [c["full_name"] for c in body["data"]], body["meta"]["total"]


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> list[ContactFilter]:
    """Every page that is really ranked (not answered from memory) is recorded here."""
    calls: list[ContactFilter] = []
    real = contact_query._list_ids

    def counting(conn: Any, f: ContactFilter, **kw: Any) -> Any:
        calls.append(f)
        return real(conn, f, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", counting)
    return calls


def test_a_repeated_page_is_not_ranked_again(empty_api: Any, ranked: list[ContactFilter]) -> None:
    assert empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).status_code == 201
    first = names(empty_api, search="lovelace")
    names(empty_api, search="lovelace")  # the first may have run in the writer lane (a token's first use)
    ranked.clear()
    assert names(empty_api, search="lovelace") == first == (["Ada Lovelace"], 1)
    assert ranked == []
    names(empty_api, search="lovelace", page="2")  # another page is another entry
    names(empty_api, search="lovelace", page_size="5")
    assert len(ranked) == 2


def test_writes_through_the_daemon_show_at_once(empty_api: Any) -> None:
    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    assert names(empty_api) == (["Ada Lovelace"], 1)
    empty_api.post(f"{V}/contacts", json={"full_name": "Byron Lovelace"})
    assert names(empty_api, search="lovelace")[1] == 2
    assert names(empty_api)[1] == 2
    assert empty_api.put(f"{V}/contacts/{ada}", json={"priority_level": "archived"}).status_code == 200
    assert names(empty_api, search="lovelace") == (["Byron Lovelace"], 1)
    assert names(empty_api) == (["Byron Lovelace"], 1)


def test_commits_by_another_process_show_at_once(empty_api: Any, cli: Any) -> None:
    empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"})
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    assert names(empty_api, tag="math") == ([], 0)
    # the CLI opens its own connection to the same file, as a separate `pcrm` process would
    cli("contacts", "add", "--name", "Lovelace Junior", "--tag", "math")
    assert names(empty_api, search="lovelace")[1] == 2
    assert names(empty_api, tag="math") == (["Lovelace Junior"], 1)
    cli("contacts", "rm", "Lovelace Junior", "--yes")
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)


def test_settings_changed_anywhere_are_read_again(empty_api: Any, cli: Any) -> None:
    """The daemon's connections remember the settings until the store changes: a change by the CLI (another
    connection) or through the daemon shows on the next read (here on the event loop [inline-reads])."""

    def high() -> Any:
        r = empty_api.get(f"{V}/settings/priority")
        assert r.status_code == 200, r.text
        return r.json()["data"]["high"]

    before = high()
    cli("settings", "set", "priority.high", str(before + 3))
    assert high() == before + 3
    assert empty_api.put(f"{V}/settings/priority", json={"high": before + 5}).status_code == 200
    assert high() == before + 5
    cli("settings", "reset", "priority.high")
    assert high() == before


def test_filters_relative_to_the_clock_are_never_remembered() -> None:
    base = ContactFilter(search="ada", now="2026-11-28T12:00:00.000Z", today_md="11-28")
    assert contact_query._page_key(base, 20, 0) == contact_query._page_key(
        ContactFilter(search="ada", now="2026-11-29T08:00:00.000Z", today_md="11-29"), 20, 0
    )
    assert contact_query._page_key(ContactFilter(ghosted=True), 20, 0) is None
    assert contact_query._page_key(ContactFilter(interaction_since="2026-11-01T00:00:00.000Z"), 20, 0) is None
    assert contact_query._page_key(base, None, 0) is None  # every id (bulk updates): never kept
    by_birthday = [
        contact_query._page_key(ContactFilter(sort="birthday", today_md=md), 20, 0)
        for md in ("11-28", "11-29")
    ]
    assert by_birthday[0] != by_birthday[1]  # "upcoming first" moves with the day


def test_a_contact_edited_anywhere_is_never_served_stale(empty_api: Any, cli: Any) -> None:
    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", "tags": ["math"]}).json()["data"]
    for _ in range(2):  # remembered now
        got = empty_api.get(f"{V}/contacts/{ada['id']}").json()["data"]
        assert (got["full_name"], got["tags"]) == ("Ada Lovelace", ["math"])
    got["tags"].append("mutated by a caller")  # each answer is its own copy
    assert empty_api.get(f"{V}/contacts/{ada['id']}").json()["data"]["tags"] == ["math"]

    cli("contacts", "edit", ada["id"][:8], "--title", "Analyst")  # another connection
    assert empty_api.get(f"{V}/contacts/{ada['id']}").json()["data"]["title"] == "Analyst"
    cli("contacts", "tag", ada["id"][:8], "poetry")
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    page = empty_api.get(f"{V}/contacts", params={"search": "lovelace"}).json()["data"]
    assert page[0]["tags"] == ["math", "poetry"]

    r = empty_api.put(f"{V}/contacts/{ada['id']}", json={"title": "Countess"})  # through the daemon
    assert r.status_code == 200
    assert empty_api.get(f"{V}/contacts/{ada['id']}").json()["data"]["title"] == "Countess"
    empty_api.post(
        f"{V}/contacts/{ada['id']}/interactions",
        json={"content_preview": "lunch", "occurred_at": "2026-11-01T12:00:00Z"},
    )
    assert empty_api.get(f"{V}/contacts/{ada['id']}").json()["data"]["interaction_count"] == 1


def test_reads_that_must_write_fall_back_to_the_writer(
    empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's score catch-up and a token's last-used stamp are writes inside GET requests: the query-only
    connection refuses them, and the same request is answered by the writer lane, with the write done."""
    from datetime import date, datetime, timedelta

    from pcrm import clock
    from pcrm.services import scores, tokens
    from pcrm.services.context import open_context
    from pcrm.store import settings as sstore

    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    names(empty_api)  # the first read of the store runs the day's catch-up
    with open_context() as ctx:
        day = sstore.get(ctx.conn, scores._DAY_KEY)
    assert day
    later = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) + timedelta(days=3, hours=12)
    clock.set_now(later)
    monkeypatch.setattr(tokens, "TOUCH_EVERY_SECONDS", 0)
    assert names(empty_api, search="lovelace") == (["Ada Lovelace"], 1)
    assert empty_api.get(f"{V}/contacts/{ada}").status_code == 200
    with open_context() as ctx:
        assert sstore.get(ctx.conn, scores._DAY_KEY) == (later.date()).isoformat()  # ran, through the writer
        used = tokens.list_script_tokens(ctx).data
    assert used and all(t["last_used_at"] == clock.iso(later) for t in used)


def test_what_sends_a_read_to_the_writer(empty_api: Any) -> None:
    """A write on the query-only connection, or a store locked past the reader's short busy timeout
    (the writer waits longer), becomes NeedsWriter with nothing changed."""
    import apsw

    from pcrm import paths
    from pcrm.services.context import NeedsWriter, open_reader, read_only
    from pcrm.store import settings as sstore

    empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"})
    reader = open_reader(paths.db_path())
    try:
        with pytest.raises(NeedsWriter):
            read_only(reader, lambda ctx: sstore.put(ctx.conn, "x", 1, "2026-01-01T00:00:00.000Z"))
        with pytest.raises(NeedsWriter):
            read_only(reader, lambda ctx: ctx.conn.execute("DELETE FROM contacts"))

        def busy(ctx: Any) -> None:
            raise apsw.BusyError("database is locked")

        with pytest.raises(NeedsWriter):
            read_only(reader, busy)
        assert reader.conn.get_autocommit()  # the snapshot was closed each time
        assert read_only(reader, lambda ctx: sstore.get(ctx.conn, "x")) is None
    finally:
        reader.close()
    assert names(empty_api) == (["Ada Lovelace"], 1)


def test_the_same_contact_twice_in_one_fetch() -> None:
    from pcrm.services.context import open_context
    from pcrm.store import contacts as store
    from pcrm.store import memo

    with open_context() as ctx:
        ada = ctx.conn.execute(
            "INSERT INTO contacts (uuid, full_name, name_fold, created_at, updated_at) "
            "VALUES ('u-1', 'Ada', 'ada', 'x', 'x') RETURNING id"
        ).fetchone()[0]
        plain = store.fetch_contacts(ctx.conn, [ada, ada])
        memo.enable(ctx.conn)
        remembered = store.fetch_contacts(ctx.conn, [ada, ada])
    assert plain == remembered and len(plain) == 2 and plain[0]["full_name"] == "Ada"
    assert plain[0] is not plain[1]


def test_reads_go_to_the_read_pool_and_writes_to_the_writer(
    empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of Runtime.read: a read declared `read=True` makes no trip to the writer lane (once the
    token's last-used stamp and the day's catch-up are written); a search runs on a reader thread, a page
    with no search on the event loop [inline-reads]; a write always goes to the lane. Slow searches (a 1-2
    character term that is not letters) are reads like the others: in the pool they hold up neither the
    event loop nor the writes queued in the lane."""
    import threading

    from pcrm.api.runtime import Runtime

    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    names(empty_api)
    trips: list[str] = []
    real = Runtime.run

    async def counting(self: Runtime, fn: Any) -> Any:
        trips.append(getattr(fn, "__qualname__", "?"))
        return await real(self, fn)

    threads: dict[bool, set[str]] = {True: set(), False: set()}  # searched? -> the threads that ran it
    real_list = contact_query._list_ids

    def where(conn: Any, f: ContactFilter, **kw: Any) -> Any:
        threads[bool(f.search)].add(threading.current_thread().name.rsplit("_", 1)[0])
        return real_list(conn, f, **kw)

    monkeypatch.setattr(Runtime, "run", counting)
    monkeypatch.setattr(contact_query, "_list_ids", where)
    for path in (
        f"{V}/contacts/{ada}",
        f"{V}/contacts",
        f"{V}/contacts/stats",
        f"{V}/settings/priority",
        f"{V}/suggestions",
    ):
        assert empty_api.get(path).status_code == 200
    assert names(empty_api, search="lovelace")[1] == 1
    assert names(empty_api, search="ad")[1] == 1  # the word-prefix index serves it
    assert names(empty_api, search="a.")[1] == 0  # not letters: a scan of the contacts' documents
    assert names(empty_api, ghosted="true")[1] == 0
    assert empty_api.get(f"{V}/contacts/ids", params={"search": "%"}).status_code == 200
    assert trips == []
    assert threads[True] == {"pcrm-read"}
    assert len(threads[False]) == 1 and not threads[False] & {"pcrm-read", "pcrm-store"}
    assert empty_api.put(f"{V}/contacts/{ada}", json={"title": "Countess"}).status_code == 200
    assert len(trips) == 1


def test_reads_run_side_by_side(empty_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two searches at once run at once, each on its own connection: each waits (up to 10 s) for the other to
    start; had the daemon one reader (or the event loop) they would run one after the other and the wait
    would break."""
    import asyncio
    import threading

    empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"})
    names(empty_api)
    both = threading.Barrier(2, timeout=10)
    conns: list[Any] = []
    real = contact_query._list_ids

    def meeting(conn: Any, *a: Any, **kw: Any) -> Any:
        conns.append(conn)
        both.wait()  # raises BrokenBarrierError after 10 s alone: a 500
        return real(conn, *a, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", meeting)
    app, headers = empty_api.app, dict(empty_api.headers)

    async def two() -> list[int]:
        from tests.support.api import client_for

        async with client_for(app) as c:
            rs = await asyncio.gather(
                *(c.get(f"{V}/contacts", params={"search": t}, headers=headers) for t in ("ada", "love"))
            )
        return [r.status_code for r in rs]

    assert asyncio.run(two()) == [200, 200]
    assert len(conns) == 2 and conns[0] is not conns[1]


def test_reads_that_may_fetch_the_jwt_secret_stay_off_the_event_loop(
    empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an account is deleted the JWT secret is no longer in memory, and checking a login token would
    ask the keyring (or write a new secret): until it is known again, short reads go to the read pool
    rather than the event loop [inline-reads]."""
    import threading

    from pcrm.services import auth

    names(empty_api)  # the token's first use and the day's catch-up
    ran: list[str] = []
    real = contact_query._list_ids

    def where(*a: Any, **kw: Any) -> Any:
        ran.append(threading.current_thread().name.rsplit("_", 1)[0])
        return real(*a, **kw)

    monkeypatch.setattr(contact_query, "_list_ids", where)
    monkeypatch.setattr(auth, "_secret_cache", {})
    names(empty_api, tag="a")
    auth.jwt_secret()
    names(empty_api, tag="b")
    assert ran[0] == "pcrm-read" and ran[1] not in ("pcrm-read", "pcrm-store"), ran


def test_a_token_revoked_anywhere_is_refused_at_once(empty_api: Any, cli: Any) -> None:
    """The daemon's connections remember a token's row and the account (every request reads them) until the
    store changes: a revocation by the CLI (another connection) refuses the token on its next request."""
    from pcrm.services import tokens
    from pcrm.services.context import open_context

    with open_context() as ctx:
        other = tokens.create_script_token(ctx, "soon-revoked").data["token"]
    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    headers = {"Authorization": f"Bearer {other}"}
    for _ in range(3):  # remembered by now (the first use stamps the token: a write)
        assert empty_api.get(f"{V}/contacts/{ada}", headers=headers).status_code == 200
        assert empty_api.get(f"{V}/contacts", headers=headers, params={"search": "ada"}).status_code == 200
    cli("token", "revoke", "soon-revoked", "--yes")
    r = empty_api.get(f"{V}/contacts/{ada}", headers=headers)  # an inline read
    assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
    r = empty_api.get(f"{V}/contacts", headers=headers, params={"search": "ada"})  # a pool read
    assert r.status_code == 401
    assert empty_api.get(f"{V}/contacts/{ada}").status_code == 200  # the fixture's token still works


def test_the_store_state_is_checked_once_a_snapshot(pcrm_home: Any) -> None:
    """store.memo asks `PRAGMA data_version` once per snapshot whose reads have begun (nothing another
    connection commits is seen inside one), and again in the next: a commit in between empties the memo."""
    from pcrm import paths
    from pcrm.services.context import open_context, open_reader
    from pcrm.store import memo
    from pcrm.store import settings as sstore
    from pcrm.store.db import snapshot, write

    with open_context() as w:
        with write(w.conn):
            sstore.put(w.conn, "x", "old", "2026-01-01T00:00:00.000Z")
        reader = open_reader(paths.db_path())
        asked: list[str] = []
        reader.conn.set_profile(lambda sql, _ns: asked.append(sql) if "data_version" in sql else None)
        conn = reader.conn
        try:
            with snapshot(conn):
                assert sstore.get(conn, "x") == "old"  # the snapshot's reads begin
                assert memo.row(conn, "k", lambda: sstore.get(conn, "x")) == "old"
                with write(w.conn):
                    sstore.put(w.conn, "x", "new", "2026-01-01T00:00:00.000Z")
                for _ in range(3):  # the snapshot still sees "old", and so does the memo
                    assert memo.row(conn, "k", lambda: sstore.get(conn, "x")) == "old"
                    assert sstore.get(conn, "x") == "old"
                assert len(asked) == 1
            with snapshot(conn):  # the memo first, before any other read: the pragma begins the snapshot
                assert memo.row(conn, "k", lambda: sstore.get(conn, "x")) == "new"
                assert memo.row(conn, "k", lambda: "not asked") == "new"
                assert sstore.get(conn, "x") == "new"
                assert len(asked) == 2
            assert memo.row(conn, "k", lambda: "not asked") == "new"  # outside a snapshot: asked each time
            assert len(asked) == 3

            def under_an_open_statement() -> Any:  # autocommit, but reading: not a snapshot either
                cur = conn.execute("SELECT key FROM settings")
                next(cur)
                try:
                    return memo.row(conn, "k", lambda: sstore.get(conn, "x"))
                finally:
                    cur.close()

            assert under_an_open_statement() == "new"
            with write(w.conn):
                sstore.put(w.conn, "x", "newer", "2026-01-01T00:00:00.000Z")
            assert under_an_open_statement() == "newer"
        finally:
            reader.close()


def test_a_contact_removed_anywhere_is_gone_at_once(empty_api: Any, cli: Any) -> None:
    """Its rowid by public id is remembered with it, and forgotten with it: removed by the CLI, the next read
    by id is a 404; an id never seen stays a 404 when asked again."""
    ada = empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]["id"]
    missing = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"
    for _ in range(3):
        assert empty_api.get(f"{V}/contacts/{ada}").status_code == 200
        assert empty_api.get(f"{V}/contacts/{ada.upper()}").json()["data"]["id"] == ada
        assert empty_api.get(f"{V}/contacts/{missing}").status_code == 404
    cli("contacts", "rm", ada[:8], "--yes")
    r = empty_api.get(f"{V}/contacts/{ada}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert empty_api.get(f"{V}/contacts/{missing}").status_code == 404
