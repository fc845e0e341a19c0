"""The daemon while another process writes to the store (a long `pcrm import`): a read answers, and a write
that waits out the lock is a 503 `unavailable` with Retry-After and the CLI's message "the store is busy"
with its hint [store-busy]. Both were a 500 `internal` error: the token's last-used stamp made every read
wait on the lock, and the lane let the lock's BusyError through. The write was then a 409 `conflict`, which
the web UI reads as a duplicate contact (it looks for `detail.conflicting_contact`) and answered with a
bogus merge prompt, after a 5-second wait that held up every write queued behind it. The first read of a
day, which catches the scores up, then still waited and was a 409: what a read writes first is now left
for later while the lock is held [busy-reads]."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import apsw
import pytest

from tests.support.api import assert_error
from tests.support.store import held_by_another_writer

V = "/api/v1"


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy timeout of 50 ms, set before the app opens its connections: the refusal comes at once."""
    from pcrm.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)


@pytest.fixture
def another_writer(pcrm_home: Path) -> Iterator[None]:
    with held_by_another_writer(pcrm_home / "pcrm.db"):
        yield


def test_a_read_answers_while_another_process_writes(
    short_wait: None, empty_api: Any, pcrm_home: Path
) -> None:
    assert empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace"}).status_code == 201
    assert (
        empty_api.get(f"{V}/contacts").status_code == 200
    )  # the day's score catch-up done, as the daemon's jobs do
    other = apsw.Connection(str(pcrm_home / "pcrm.db"))
    # the token's stamp is due again (it is written at most once a minute)
    other.execute("UPDATE api_tokens SET last_used_at = '2000-01-01T00:00:00.000Z'")
    other.execute("BEGIN IMMEDIATE")
    try:
        r = empty_api.get(f"{V}/contacts")
        assert r.status_code == 200, r.text
        assert [c["full_name"] for c in r.json()["data"]] == ["Ada Lovelace"]
    finally:
        other.execute("ROLLBACK")
    # the stamp was skipped, not lost for good: the next request once the store is free writes it
    assert empty_api.get(f"{V}/contacts").status_code == 200
    stamped = other.execute("SELECT last_used_at FROM api_tokens").fetchall()
    other.close()
    assert stamped[0][0] != "2000-01-01T00:00:00.000Z"


def test_a_write_that_waits_out_the_lock_is_a_503_to_retry(
    short_wait: None, empty_api: Any, another_writer: None
) -> None:
    for r in (
        empty_api.post(f"{V}/contacts", json={"full_name": "Grace Hopper"}),
        empty_api.put(f"{V}/settings/priority", json={"high": 20}),
    ):
        body = assert_error(r, "unavailable", 503)
        assert body["error"]["message"].startswith("the store is busy")
        assert body["error"]["hint"].startswith("try again in a moment")
        assert body["detail"] == body["error"]["message"]  # no conflicting_contact: no merge to offer
        assert r.headers["Retry-After"] == str(body["meta"]["retry_after"]) == "5"
    assert empty_api.get(f"{V}/contacts").json()["data"] == []


@pytest.mark.anyio
async def test_the_daemon_waits_less_for_the_lock_than_the_cli(app: Any) -> None:
    """A request's write waits 2 s for another process's lock, the CLI's 5 s [store-busy]; a write that
    found the lock free and took it (write_if_free, a token's stamp) goes back to that wait, not the CLI's."""
    from pcrm.services.context import open_context
    from pcrm.store import db

    def wait(conn: Any) -> int:
        return int(conn.execute("PRAGMA busy_timeout").fetchall()[0][0])

    lane = app.state.pcrm.conn
    assert wait(lane) == 2000
    db.write_if_free(lane, lambda c: None)
    assert wait(lane) == 2000
    with open_context() as ctx:
        assert wait(ctx.conn) == 5000
        db.write_if_free(ctx.conn, lambda c: None)
        assert wait(ctx.conn) == 5000


# ------------------------------------------------------------------ the first reads of a day [busy-reads]

NEW_DAY = "2025-06-03T09:00:00.000Z"  # two days after the demo store's clock: the scores are a day behind

# the pages of the web UI and the routes each calls on a normal walk
UI_WALK = {
    "dashboard": [
        "/contacts/stats",
        "/suggestions",
        "/contacts/overdue",
        "/contacts/birthdays",
        "/activity/recent",
        "/notifications/unread-count",
        "/auth/me",
    ],
    "contacts list": ["/contacts", "/contacts?search=a&sort=score", "/contacts/tags"],
    "contact page": [
        "/contacts/{contact}",
        "/contacts/{contact}/activity",
        "/contacts/{contact}/interactions",
        "/contacts/{contact}/related",
        "/contacts/{contact}/duplicates",
    ],
    "suggestions": ["/suggestions", "/suggestions/digest"],
    "identity": ["/identity/matches"],
    "organizations": ["/organizations", "/organizations/{org}", "/organizations/{org}/stats"],
    "settings": [
        "/settings/priority",
        "/settings/sync",
        "/settings/suggestions",
        "/settings/telegram",
        "/settings/mcp-key",
        "/auth/google/accounts",
        "/sync-history",
        "/sync-history/stats",
        "/contacts/tags/taxonomy",
    ],
    "notifications": ["/notifications", "/notifications/unread-count"],
}

# what a GET needs in its query string to be a normal request (the rest take none)
_QUERY = {"/contacts/map": "?bbox=-180,-90,180,90", "/extension/pair": "?code=123456"}
# GETs that are no read of the store: redirects of an OAuth flow, documents, a task that does not exist
_NOT_READS = {"/auth/google/return", "/auth/twitter/return", "/tasks/{task_id}", "/openapi.json"}


def _every_get(demo: dict[str, Any]) -> list[str]:
    """Every GET of the API, its path filled in from the demo store."""
    from pcrm.api.routes import all_ops

    fill = {"{contact_id}": demo["contact"], "{org_id}": demo["org"]}
    out = []
    for o in all_ops():
        if o.method != "GET" or o.path in _NOT_READS or o.path.startswith("/static"):
            continue
        path = o.path
        for k, v in fill.items():
            path = path.replace(k, v)
        out.append(path + _QUERY.get(o.path, ""))
    return out


@pytest.fixture
def morning_after(
    short_wait: None, demo: dict[str, Any], pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, dict[str, Any], apsw.Connection]]:
    """The demo store with an account and a snoozed suggestion due, the clock moved to a new day, and a
    daemon whose tokens (a web login and a script token) were never used: every read it answers first has
    something to write (the day's score catch-up, the snooze coming back, each token's last-used stamp)."""
    from pcrm.api.app import create_app
    from tests.support.api import EMAIL, PASSWORD, checked_client, script_token, web_token

    with checked_client(create_app()) as setup:
        setup.headers["Authorization"] = f"Bearer {demo['token']}"
        r = setup.post(f"{V}/auth/register", json={"email": EMAIL, "password": PASSWORD, "full_name": "Ada"})
        assert r.status_code in (200, 201), r.text
        user = r.json()["data"]["id"]
        made = setup.post(f"{V}/suggestions/generate").json()["data"]
        assert made, "the demo store makes suggestions"
        snoozed = made[0]["id"]
        r = setup.put(
            f"{V}/suggestions/{snoozed}",
            json={"status": "snoozed", "snooze_until": "2025-06-02T08:00:00Z"},
        )
        assert r.status_code == 200, r.text
    monkeypatch.setenv("PCRM_NOW", NEW_DAY)
    tokens = {"web": web_token(user), "script": script_token("first-use")}
    with checked_client(create_app()) as client, held_by_another_writer(pcrm_home / "pcrm.db") as other:
        yield client, {"tokens": tokens, "snoozed": snoozed}, other


def test_the_first_reads_of_a_day_answer_while_another_process_writes(
    morning_after: tuple[Any, dict[str, Any], apsw.Connection], demo: dict[str, Any]
) -> None:
    """Each page of the web UI, walked on a new day with tokens never used before while a `pcrm import`
    holds the write lock, answers 200: each read's bookkeeping waits, not the read (every one was a 409
    "the store is busy": the day's score catch-up waited out the lock)."""
    client, setup, other = morning_after
    fill = {"{contact}": demo["contact"], "{org}": demo["org"]}
    for kind, token in setup["tokens"].items():
        client.headers["Authorization"] = f"Bearer {token}"
        for page, paths in UI_WALK.items():
            for path in paths:
                for k, v in fill.items():
                    path = path.replace(k, v)
                r = client.get(V + path)
                assert r.status_code == 200, (kind, page, path, r.text)
    # the snoozed suggestion is due: listed pending, as the tidying the read could not write would leave it
    listed = client.get(f"{V}/suggestions").json()["data"]
    assert [s["status"] for s in listed if s["id"] == setup["snoozed"]] == ["pending"]
    # ... and every other GET of the API: none is a conflict
    for path in _every_get(demo):
        r = client.get(V + path)
        assert r.status_code != 409, (path, r.text)
    scores_day = other.execute("SELECT value FROM settings WHERE key = '_internal.scores_day'").fetchall()
    assert scores_day != [('"2025-06-03"',)]  # nothing was written meanwhile
    other.execute("ROLLBACK")
    # the lock free, the next read writes what waited: the day's catch-up and the snooze's return
    assert client.get(f"{V}/contacts").status_code == 200
    assert client.get(f"{V}/suggestions").status_code == 200
    after = dict(
        other.execute("SELECT key, value FROM settings WHERE key = '_internal.scores_day'").fetchall()
    )
    assert after == {"_internal.scores_day": '"2025-06-03"'}
    status = other.execute("SELECT status FROM follow_up_suggestions WHERE uuid = ?", (setup["snoozed"],))
    assert status.fetchall() == [("pending",)]
