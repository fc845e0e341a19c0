"""Pairing the browser extension end to end [extension-pairing]: the code entered in pcrm (CLI or API), the
extension's polls (404, the token, 410, the 21st poll's 429), silent refresh within 90 days, disconnect."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from tests.support.api import assert_error, bearer, forged_jwt, web_token

pytestmark = pytest.mark.anyio
V = "/api/v1"
T0 = "2025-03-01T12:00:00Z"


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", T0)


async def _poll(client: Any, code: str) -> Any:
    return await client.get(f"{V}/extension/pair", params={"code": code})


async def test_pair_poll_push_refresh_disconnect(
    client: Any, account: dict[str, Any], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = "PING-7KQ2MX"
    assert_error(await _poll(client, code), "not_found", 404)  # not entered yet: the extension keeps polling
    r = await client.post(f"{V}/extension/pair", json={"code": " ping-7kq2mx "}, headers=web)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"status": "ok"}

    got = await _poll(client, code)
    assert got.status_code == 200, got.text
    data = got.json()["data"]
    assert data["api_url"] == "http://127.0.0.1"
    claims = jwt.decode(data["token"], options={"verify_signature": False})
    assert claims["aud"] == "pcrm-extension" and claims["sub"] == account["id"]
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    token = data["token"]

    # the token opens the extension's routes, not the account's
    me = await client.get(f"{V}/auth/me", headers=web)
    assert me.json()["data"]["linkedin_extension_paired_at"] == "2025-03-01T12:00:00.000Z"
    assert (await client.get(f"{V}/suggestions", headers=bearer(token))).status_code == 200
    assert_error(await client.get(f"{V}/contacts", headers=bearer(token)), "unauthorized", 401)

    # a collected code cannot be entered again
    assert_error(await client.post(f"{V}/extension/pair", json={"code": code}, headers=web), "conflict", 409)

    # 40 days later the token has expired: pushes get 401 and the extension refreshes silently
    monkeypatch.setenv("PCRM_NOW", "2025-04-10T12:00:00Z")
    web = bearer(web_token(account["id"]))
    assert_error(await client.get(f"{V}/suggestions", headers=bearer(token)), "unauthorized", 401)
    ref = await client.post(f"{V}/extension/refresh", json={"token": token})
    assert ref.status_code == 200, ref.text
    fresh = ref.json()["data"]["token"]
    assert (await client.get(f"{V}/suggestions", headers=bearer(fresh))).status_code == 200

    # a web token, a forged token and garbage are refused
    web_jwt = web["Authorization"].split()[1]
    assert_error(await client.post(f"{V}/extension/refresh", json={"token": web_jwt}), "unauthorized", 401)
    forged = forged_jwt({**claims, "exp": claims["exp"] + 999}, secret="x" * 48)
    assert_error(await client.post(f"{V}/extension/refresh", json={"token": forged}), "unauthorized", 401)
    assert_error(await client.post(f"{V}/extension/refresh", json={"token": "a.b.c"}), "unauthorized", 401)

    # disconnect retires every extension token, and refresh no longer works
    gone = await client.delete(f"{V}/extension/pair", headers=web)
    assert gone.status_code == 200, gone.text
    assert_error(await client.get(f"{V}/suggestions", headers=bearer(fresh)), "unauthorized", 401)
    assert_error(await client.post(f"{V}/extension/refresh", json={"token": fresh}), "unauthorized", 401)
    me = await client.get(f"{V}/auth/me", headers=web)
    assert me.json()["data"]["linkedin_extension_paired_at"] is None


async def test_refresh_more_than_90_days_after_expiry_unpairs(
    client: Any, account: dict[str, Any], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.post(f"{V}/extension/pair", json={"code": "PING-AAAAAA"}, headers=web)
    token = (await _poll(client, "PING-AAAAAA")).json()["data"]["token"]
    # expired 89 days ago (issued 119 days ago): still refreshable
    monkeypatch.setenv("PCRM_NOW", "2025-06-28T12:00:00Z")
    assert (await client.post(f"{V}/extension/refresh", json={"token": token})).status_code == 200
    # expired 91 days ago: 401, and the pairing is over (committed despite the error)
    monkeypatch.setenv("PCRM_NOW", "2025-06-30T12:00:00Z")
    assert_error(await client.post(f"{V}/extension/refresh", json={"token": token}), "unauthorized", 401)
    me = await client.get(f"{V}/auth/me", headers=bearer(web_token(account["id"])))
    assert me.json()["data"]["linkedin_extension_paired_at"] is None


async def test_expired_code_is_gone_and_the_21st_poll_is_refused(
    client: Any, account: dict[str, Any], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.post(f"{V}/extension/pair", json={"code": "PING-EXP7RE"}, headers=web)
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:10:01Z")  # 10 minutes and a second later
    assert_error(await _poll(client, "PING-EXP7RE"), "gone", 410)
    assert_error(
        await client.post(f"{V}/extension/pair", json={"code": "PING-EXP7RE"}, headers=web), "gone", 410
    )

    monkeypatch.setenv("PCRM_NOW", T0)
    await client.post(f"{V}/extension/pair", json={"code": "PING-PQ44ED"}, headers=web)
    assert (await _poll(client, "PING-PQ44ED")).status_code == 200
    for _ in range(19):  # collected: 410 to every later poll, up to the 20th
        assert_error(await _poll(client, "PING-PQ44ED"), "gone", 410)
    r = await _poll(client, "PING-PQ44ED")
    assert_error(r, "rate_limited", 429)
    assert r.headers["Retry-After"]


async def test_a_collected_code_gives_its_token_once(
    client: Any, account: dict[str, Any], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll that gets the token claims the code; no later poll gets one, at once or a day later: two
    unauthenticated polls of an entered code both got the same 30-day extension token, so anyone who saw
    the code (a shell's history, a screen) in the next two minutes was paired too."""
    await client.post(f"{V}/extension/pair", json={"code": "PING-SP3NT2"}, headers=web)
    first = await _poll(client, "PING-SP3NT2")
    assert first.status_code == 200 and first.json()["data"]["token"]
    r = await _poll(client, "PING-SP3NT2")
    body = assert_error(r, "gone", 410)
    assert "already collected" in body["error"]["message"] and body["data"] is None
    # the collected token works; entering the code again is refused
    assert (
        await client.get(f"{V}/suggestions", headers=bearer(first.json()["data"]["token"]))
    ).status_code == 200
    again = await client.post(f"{V}/extension/pair", json={"code": "PING-SP3NT2"}, headers=web)
    assert_error(again, "conflict", 409)
    monkeypatch.setenv("PCRM_NOW", "2025-03-02T12:00:00Z")
    assert_error(await _poll(client, "PING-SP3NT2"), "gone", 410)


async def test_pairing_needs_a_web_login_and_a_code(
    client: Any, account: dict[str, Any], web: dict[str, str]
) -> None:
    assert_error(await client.post(f"{V}/extension/pair", json={"code": "PING-X"}), "unauthorized", 401)
    bad = await client.post(f"{V}/extension/pair", json={"code": "PING 7K!"}, headers=web)
    assert_error(bad, "validation_error", 422)
    assert_error(await client.get(f"{V}/extension/pair"), "validation_error", 422)


# not pairing codes: empty, 10 KB, control characters, letters outside the extension's alphabet (O, 0, I,
# 1, L; full-width, accented, superscript, a long s that upper-cases to S), the wrong length or prefix
MALFORMED = [
    "",
    " ",
    "PING-" + "A" * 10_000,
    "PING-AB\x00CDE",
    "PING-ABCDE\x1f",
    "\tPING-ABCDEF",
    "PING-ABCDEF\n",
    "PING-ABC\u200bDEF",
    "PING-ＡＢＣＤＥＦ",
    "PING-ÄBCDEF",
    "PING-\u017fABCDE",
    "PING-²ABCDE",
    "PING-O0I1LA",
    "PING-ABCDE",
    "PING-ABCDEFG",
    "PING-ABC DEF",
    "ABCDEF",
    "PONG-ABCDEF",
    "PING_ABCDEF",
]


async def test_a_string_that_is_no_pairing_code_is_refused_before_any_look_up(
    cli: Any, client: Any, account: dict[str, Any], web: dict[str, str]
) -> None:
    """The extension's codes are PING- and six of ABCDEFGHJKMNPQRSTUVWXYZ23456789: anything else is a 422
    with the envelope and `detail` (placed in the query or the body), for the poll and for entering it, and
    stores nothing; a well-formed code keeps its answers (404 unknown, 200 entered, in any case and with
    spaces around it)."""
    for code in MALFORMED:
        got = assert_error(await _poll(client, code), "validation_error", 422)
        assert got["detail"][0]["loc"] == ["query", "code"], repr(code)
        assert "10000" not in got["error"]["message"] and got["error"]["hint"]
        entered = await client.post(f"{V}/extension/pair", json={"code": code}, headers=web)
        body = assert_error(entered, "validation_error", 422)
        assert body["detail"][0]["loc"] == ["body", "code"], repr(code)
    assert cli.json("extension", "status")["data"]["pending_codes"] == 0
    assert_error(await _poll(client, "PING-ZZ9Z9Z"), "not_found", 404)  # well-formed, never entered
    ok = await client.post(f"{V}/extension/pair", json={"code": " ping-zz9z9z "}, headers=web)
    assert ok.status_code == 200, ok.text
    assert (await _poll(client, "ping-zz9z9z")).status_code == 200
    bad = cli("extension", "pair", "PING-O0I1LA", ok=False)
    assert bad.exit_code == 1 and "no O, 0, I, 1 or L" in bad.stderr and "hint:" in bad.stderr


async def test_guessing_codes_is_throttled_and_an_entered_code_is_still_collected(
    client: Any, account: dict[str, Any], web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll needs no token, and a code nobody entered answered 404 as often as anyone asked: another
    program on the machine could try codes (31^6 of them) until it hit the one the user had just entered,
    and collect the extension's 30-day token. Past 600 misses a minute the poll answers 429; an entered code
    is still collected, so someone guessing does not lock the user out. Ten extensions waiting at once (20
    polls a minute each) stay well under the limit: the first limit, 60, refused a user's third one."""
    import itertools

    from pcrm.services import extension

    assert extension.MAX_MISSES >= 10 * 20
    clock = {"t": 1000.0}
    monkeypatch.setattr(extension, "monotonic", lambda: clock["t"], raising=False)
    letters = extension.ALPHABET[:9]
    codes = (f"PING-{a}{b}{c}345" for a, b, c in itertools.product(letters, repeat=3))
    guesses = list(itertools.islice(codes, extension.MAX_MISSES))
    for code in guesses:
        assert_error(await _poll(client, code), "not_found", 404)
    throttled = await _poll(client, "PING-ZZZZZZ")
    body = assert_error(throttled, "rate_limited", 429)
    assert throttled.headers["Retry-After"] == "60" and "pcrm extension pair" in body["error"]["hint"]
    ok = await client.post(f"{V}/extension/pair", json={"code": "PING-7KQ2MX"}, headers=web)
    assert ok.status_code == 200, ok.text
    got = await _poll(client, "PING-7KQ2MX")
    assert got.status_code == 200 and got.json()["data"]["token"], got.text
    clock["t"] += 60  # a minute on, guesses are answered again
    assert_error(await _poll(client, "PING-ZZZZZZ"), "not_found", 404)


async def test_cli_pair_status_disconnect(cli: Any, client: Any, account: dict[str, Any]) -> None:
    assert cli.json("extension", "status")["data"]["paired"] is False
    cli("extension", "pair", "PING-CMD234")
    st = cli.json("extension", "status")["data"]
    assert st == {
        "paired": True,
        "paired_at": "2025-03-01T12:00:00.000Z",
        "pending_codes": 1,
        "claimed_codes": 0,
    }

    r = await _poll(client, "PING-CMD234")  # the extension collects its token from the daemon
    assert r.status_code == 200, r.text
    assert cli.json("extension", "status")["data"]["claimed_codes"] == 1
    out = cli("extension", "disconnect")
    assert "extension disconnected" in out.stderr
    assert cli.json("extension", "status")["data"] == {
        "paired": False,
        "paired_at": None,
        "pending_codes": 0,
        "claimed_codes": 0,
    }
    again = cli("extension", "disconnect")  # nothing paired: it says so, not that it disconnected
    assert again.stderr.strip() == "the extension was not paired: nothing to disconnect."
    assert cli.json("extension", "disconnect")["meta"] == {"codes_removed": 0, "was_paired": False}
    bad = cli("extension", "pair", "???", ok=False)
    assert bad.exit_code == 1 and "hint:" in bad.stderr


def test_pairing_before_any_account_says_how_to_make_one(cli: Any, pcrm_home: Any) -> None:
    """The extension's token belongs to the local account: without one, `extension pair` refuses and its
    hint names the command that makes one, and that command exists (it once named a `pcrm auth register`
    command pcrm did not have)."""
    import re
    import shlex

    cli("init")
    err = cli.json("extension", "pair", "PING-7KQ2MX", ok=False)["error"]
    assert err["code"] == "not_found" and "`pcrm account create EMAIL`" in err["hint"]
    for command in re.findall(r"`(pcrm [^`]*)`", err["hint"]):
        cli(*shlex.split(command)[1:], "--help")  # every command the hint names exists
    assert cli.json("extension", "status")["data"]["pending_codes"] == 0
