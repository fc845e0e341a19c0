"""Connecting X end to end over real HTTP against the fake X API: the PKCE flow through the API and the
CLI (loopback and pasted redirect), state replay, token refresh with rotation under a lock, disconnect,
the account-wide and per-contact syncs through the routes, and the extension's cookies."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from pcrm import secrets
from pcrm.services import sync, x
from pcrm.sync.x import tokens as xtokens
from pcrm.sync.x.tokens import SecretTokens
from tests.sync.x.fake import CODE, ME, FakeX, XWorld, sample


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(page_size=7), 4, 3))
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", f.url)
    yield f
    f.close()


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def connected(fake: FakeX, *, expires_in: float = 7200) -> None:
    xtokens.save_tokens(
        fake.world.access, fake.world.refresh, time.time() + expires_in, {"id": ME, "username": "ada"}
    )


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_api_flow_connects_and_a_replayed_state_is_refused(
    empty_api: Any, fake: FakeX, pcrm_home: Path
) -> None:
    r = empty_api.get("/api/v1/auth/twitter/url")
    assert r.status_code == 200
    started = r.json()["data"]
    q = _query(started["url"])
    assert q["state"] == started["state"] and q["code_challenge_method"] == "S256"
    assert q["client_id"] == "client-1"
    assert q["redirect_uri"] == "http://127.0.0.1/api/v1/auth/twitter/return"  # the daemon's own URL
    assert set(q["scope"].split()) == {"tweet.read", "users.read", "dm.read", "offline.access"}
    body = {"code": CODE, "state": started["state"]}
    r = empty_api.post("/api/v1/auth/twitter/callback", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"connected": True, "username": "ada"}
    # the verifier X received matches the challenge of the URL
    verifier = fake.world.verifiers[-1]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == q["code_challenge"]
    assert secrets.get("twitter.refresh_token") == fake.world.refresh
    # tokens never reach the database
    db = b"".join(p.read_bytes() for p in pcrm_home.glob("*.db*"))
    assert fake.world.refresh.encode() not in db and fake.world.access.encode() not in db
    again = empty_api.post("/api/v1/auth/twitter/callback", json=body)
    assert again.status_code == 400 and again.json()["error"]["code"] == "bad_request"
    unknown = empty_api.post("/api/v1/auth/twitter/callback", json={"code": CODE, "state": "made-up"})
    assert unknown.status_code == 400
    # a code X refuses is a 400 too
    s2 = empty_api.get("/api/v1/auth/twitter/url").json()["data"]["state"]
    refused = empty_api.post("/api/v1/auth/twitter/callback", json={"code": "wrong", "state": s2})
    assert refused.status_code == 400


def test_x_returns_the_browser_to_the_daemon(empty_api: Any, fake: FakeX) -> None:
    state = empty_api.get("/api/v1/auth/twitter/url").json()["data"]["state"]
    bare = empty_api
    token = bare.headers.pop("Authorization")  # the return route is public: X's redirect carries no token
    r = bare.get("/api/v1/auth/twitter/return", params={"code": CODE, "state": state})
    assert r.status_code == 200 and "connected to X as @ada" in r.text
    assert secrets.get("twitter.refresh_token") == fake.world.refresh
    again = bare.get("/api/v1/auth/twitter/return", params={"code": CODE, "state": state})
    assert again.status_code == 400
    bare.headers["Authorization"] = token
    s2 = empty_api.get("/api/v1/auth/twitter/url").json()["data"]["state"]
    del bare.headers["Authorization"]
    refused = bare.get("/api/v1/auth/twitter/return", params={"error": "access_denied", "state": s2})
    assert refused.status_code == 400 and "access_denied" in refused.json()["error"]["message"]


def test_without_a_client_id_the_url_says_how_to_set_one(
    empty_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PCRM_X_CLIENT_ID", raising=False)
    r = empty_api.get("/api/v1/auth/twitter/url")
    assert r.status_code == 400
    assert "twitter.client_id" in r.json()["error"]["hint"]


def test_sync_routes_and_disconnect(empty_api: Any, fake: FakeX) -> None:
    before = empty_api.post("/api/v1/contacts/sync/twitter")
    assert before.status_code == 400 and before.json()["error"]["code"] == "not_connected"
    connected(fake)
    r = empty_api.post("/api/v1/contacts/sync/twitter")
    assert r.status_code == 200, r.text
    task = r.json()["data"]["task_id"]
    sync.wait(task, 30)
    run = empty_api.get(f"/api/v1/tasks/{task}").json()["data"]
    assert run["status"] == "success" and run["records_created"] == 4 + 4 * 3 + 3
    people = empty_api.get("/api/v1/contacts", params={"search": "Friend 3"}).json()["data"]
    cid = people[0]["id"]
    fake.world.dm("2004", "just for you")
    one = empty_api.post(f"/api/v1/contacts/{cid}/sync-twitter")
    assert one.status_code == 200 and one.json()["data"] == {"new_interactions": 1}
    assert any("/2/dm_conversations/with/2004/dm_events" in q for q in fake.world.requests)
    soon = empty_api.post(f"/api/v1/contacts/{cid}/sync-twitter").json()["data"]
    assert soon == {  # the reference's code, pcrm's words (`reason` was the sentence)
        "new_interactions": 0,
        "skipped": True,
        "reason": "synced_recently",
        "message": "synced less than an hour ago (force=true)",
    }
    ada = empty_api.post("/api/v1/contacts", json={"full_name": "Ada Lovelace"}).json()["data"]
    assert empty_api.post(f"/api/v1/contacts/{ada['id']}/sync-twitter").json()["data"] == {
        "new_interactions": 0,
        "skipped": True,
        "reason": "no_twitter",
        "message": "the contact has no X account",
    }
    gone = empty_api.delete("/api/v1/auth/twitter/disconnect")
    assert gone.status_code == 200 and gone.json()["data"] == {"disconnected": True}
    assert secrets.get("twitter.refresh_token") is None and secrets.get("twitter.oauth") is None
    after = empty_api.post(f"/api/v1/contacts/{cid}/sync-twitter", params={"force": "true"})
    assert after.status_code == 200 and after.json()["data"]["reason"] == "twitter_not_connected"


def test_the_cli_receives_the_redirect_on_its_port(cli: Any, fake: FakeX, free_port: int) -> None:
    x._states.clear()
    done: dict[str, Any] = {}
    t = threading.Thread(target=lambda: done.update(r=cli("auth", "x", "--port", str(free_port))))
    t.start()
    deadline = time.monotonic() + 20
    while not x._states and time.monotonic() < deadline:
        time.sleep(0.02)
    state = next(iter(x._states))
    answer = None
    while answer is None and time.monotonic() < deadline:
        try:
            answer = httpx.get(
                f"http://127.0.0.1:{free_port}/callback", params={"code": CODE, "state": state}
            )
        except httpx.ConnectError:
            time.sleep(0.05)
    t.join(20)
    assert answer is not None and answer.status_code == 200 and "close this tab" in answer.text
    assert "connected as @ada" in done["r"].stdout
    assert "https://x.com/i/oauth2/authorize?" in done["r"].stderr
    assert secrets.get("twitter.refresh_token") == fake.world.refresh
    status = cli.json("auth", "x", "--status")
    assert status["data"] == {"connected": True, "username": "ada", "client_configured": True}


def test_the_cli_takes_a_pasted_redirect(cli: Any, fake: FakeX, monkeypatch: pytest.MonkeyPatch) -> None:
    class Fixed:
        @staticmethod
        def token_urlsafe(n: int) -> str:
            return "fixed-state"

    monkeypatch.setattr(x, "pyrandom", Fixed)
    pasted = f"http://127.0.0.1:8798/callback?state=fixed-state&code={CODE}\n"
    r = cli("auth", "x", "--paste", input=pasted)
    assert "connected as @ada" in r.stdout
    cli("settings", "reset", "twitter.username")  # whose account it is unknown (an older connection)
    assert cli("auth", "x", "--status").stdout.strip() == "X: connected"
    replay = cli(
        "auth", "x", "--paste", input="http://127.0.0.1:8798/callback?state=other&code=x\n", ok=False
    )
    assert replay.exit_code == 1 and "unknown, used or expired OAuth state" in replay.stderr
    cli("auth", "x", "disconnect", "--yes")
    assert secrets.get("twitter.refresh_token") is None


def test_an_expiring_token_is_refreshed_once_and_the_rotated_token_stored(
    fake: FakeX, pcrm_home: Path
) -> None:
    connected(fake, expires_in=60)  # within the 5-minute margin
    first = SecretTokens(fake.url, "client-1", None)
    second = SecretTokens(fake.url, "client-1", None)
    got: list[str] = []
    threads = [threading.Thread(target=lambda t=t: got.append(t.access())) for t in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake.world.refresh_count == 1  # the second waited and used what the first stored
    assert got == ["access-1", "access-1"]
    assert secrets.get("twitter.refresh_token") == "refresh-1"


def test_a_refused_access_token_is_refreshed_mid_sync(ctx: Any, fake: FakeX) -> None:
    connected(fake)
    fake.world.access = "rotated-by-x"  # X no longer takes the stored access token: 401, then refresh
    fake.world.refresh_count = 5
    sync.run(ctx, "twitter")
    assert fake.world.refresh_count == 6
    assert secrets.get("twitter.refresh_token") == "refresh-6"


def test_a_refused_refresh_clears_the_tokens_and_says_reconnect(ctx: Any, fake: FakeX) -> None:
    from pcrm.errors import PcrmError

    connected(fake, expires_in=0)
    fake.world.refuse_refresh = True
    with pytest.raises(PcrmError) as e:
        sync.run(ctx, "twitter")
    assert e.value.hint == "connect X again: pcrm auth x"
    assert secrets.get("twitter.refresh_token") is None


NO_COOKIES = {"status": "disconnected", "checked_at": None, "verified": False, "pushed_at": None}


def test_cookies_are_stored_as_secrets_only(empty_api: Any, pcrm_home: Path) -> None:
    url = "/api/v1/integrations/twitter/cookies"
    assert empty_api.get(url).json()["data"] == NO_COOKIES
    body = {"auth_token": "a" * 40 + "SECRETAUTH", "ct0": "c" * 30 + "SECRETCT0"}
    r = empty_api.post(url, json=body)
    assert r.status_code == 200
    assert r.json()["data"]["status"] == "connected" and r.json()["data"]["pushed_at"]
    assert "SECRET" not in r.text
    got = empty_api.get(url).json()["data"]
    assert got["status"] == "connected" and "SECRET" not in str(got)
    db = b"".join(p.read_bytes() for p in pcrm_home.glob("*.db*"))
    assert b"SECRETAUTH" not in db and b"SECRETCT0" not in db
    assert "SECRETAUTH" in (secrets.get("twitter.cookies") or "")
    for bad in ({"auth_token": "", "ct0": "x"}, {"auth_token": "x" * 513, "ct0": "x"}, {"ct0": "x"}):
        assert empty_api.post(url, json=bad).status_code == 422
    assert empty_api.delete(url).json()["data"] == NO_COOKIES
    assert secrets.get("twitter.cookies") is None


def test_pushed_cookies_read_connected_in_the_reference_vocabulary(empty_api: Any) -> None:
    """The reference's settings row and extension show X as linked only on `connected` (their statuses are
    connected / expired / disconnected); pcrm never checks the cookies with X, so it says so apart:
    `verified: false` and no `checked_at` (the reference's "Last verified" time)."""
    url = "/api/v1/integrations/twitter/cookies"
    for token in ("t" * 40, "Zz09" * 100):
        pushed = empty_api.post(url, json={"auth_token": token, "ct0": "c" * 160}).json()["data"]
        assert pushed["status"] == "connected"
        assert pushed["verified"] is False and pushed["checked_at"] is None
        assert pushed["pushed_at"]
        assert empty_api.get(url).json()["data"] == pushed
    # a record kept before `pushed_at` existed had the push time under `checked_at`
    secrets.put("twitter.cookies", '{"auth_token": "a", "ct0": "b", "checked_at": "2026-01-02T03:04:05Z"}')
    assert empty_api.get(url).json()["data"] == {
        "status": "connected",
        "checked_at": None,
        "verified": False,
        "pushed_at": "2026-01-02T03:04:05Z",
    }


def test_pcrm_sync_twitter_runs_through_the_engine(cli: Any, fake: FakeX) -> None:
    connected(fake)
    out = cli.json("sync", "twitter")
    assert out["data"]["status"] == "success"
    assert out["data"]["records_created"] == 4 + 4 * 3 + 3
    again = cli.json("sync", "twitter")
    assert again["data"]["records_created"] == 0


def test_the_sync_route_and_pcrm_sync_answer_the_same_run(empty_api: Any, cli: Any, fake: FakeX) -> None:
    # the route answers at once with a task; the run it started reads as `pcrm sync twitter --json` answers
    connected(fake)
    started = empty_api.post("/api/v1/contacts/sync/twitter").json()["data"]
    assert started["status"] == "started" and started["source"] == "twitter"
    sync.wait(started["task_id"], 30)
    over_api = empty_api.get(f"/api/v1/tasks/{started['task_id']}").json()
    assert cli.json("sync", "status", started["task_id"]) == over_api
    fake.world.dm("2001", "one more")
    by_cli = cli.json("sync", "twitter")
    assert set(by_cli["data"]) == set(over_api["data"])
    assert by_cli["data"]["platform"] == over_api["data"]["platform"] == "twitter"
    assert (by_cli["data"]["status"], by_cli["data"]["records_created"]) == ("success", 1)


def test_the_refresh_lock_is_held_as_long_as_its_holder_lives_and_freed_when_it_dies(
    fake: FakeX, pcrm_home: Path
) -> None:
    # another process holds the lock for longer than any staleness guess; then it dies without cleaning up
    import os
    import subprocess
    import sys

    code = (
        "from pcrm.sync.x import tokens\n"
        "with tokens._file_lock():\n    print('held', flush=True)\n    input()\n"
    )
    env = {**os.environ, "PCRM_HOME": str(pcrm_home)}
    taken = threading.Event()

    def take() -> None:
        with xtokens._file_lock():
            taken.set()

    waiter = threading.Thread(target=take)
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            lock = pcrm_home / "x-token-refresh.lock"
            os.utime(lock, (time.time() - 3600, time.time() - 3600))  # it looks an hour old
            waiter.start()
            assert not taken.wait(1.0)  # the holder still lives: nobody else takes the lock
        finally:
            holder.kill()  # dies inside the lock
    assert taken.wait(10)  # the OS released it
    waiter.join()


def test_a_refresh_token_another_process_already_rotated_does_not_wipe_its_tokens(
    fake: FakeX, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected(fake, expires_in=60)
    real = xtokens._token_request

    def meanwhile(base: str, client_id: str, secret: str | None, form: dict[str, str]) -> dict[str, Any]:
        if form.get("refresh_token") == "refresh-0":  # another process (a reconnect) spends it first
            won = real(base, client_id, secret, form)
            xtokens.save_tokens(won["access_token"], won["refresh_token"], time.time() + 7200)
        return real(base, client_id, secret, form)  # ours is now spent: X answers 400

    monkeypatch.setattr(xtokens, "_token_request", meanwhile)
    assert SecretTokens(fake.url, "client-1", None).access() == "access-1"
    assert secrets.get("twitter.refresh_token") == "refresh-1"  # the winner's tokens are kept
    assert xtokens.load_access()["access_token"] == "access-1"
