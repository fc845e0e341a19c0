"""X (Twitter) through API v2 [x-api]: connecting an account (OAuth 2.0 PKCE), the extension's cookies, the
disconnect. The account-wide sync is the engine's (`pcrm sync twitter`); the per-contact DM sync and the bio
poll are in services/x_contacts.py.

States of the PKCE flow live in this process's memory (the daemon's, or the CLI's during `pcrm auth x`):
each is bound to its verifier and redirect URI, lasts 10 minutes and is consumed by its first use, so a
replayed or unknown state is a 400. Tokens go to the secret store only (sync/x/client.py).
"""

from __future__ import annotations

import json
import secrets as pyrandom
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from pcrm import secrets as secret_store
from pcrm.errors import BadRequest, PcrmError, ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import suggestions as notes_store
from pcrm.store import sync_cursors as cursors
from pcrm.store.db import write
from pcrm.store.settings import delete as delete_setting
from pcrm.store.settings import put as put_setting

SOURCE = "twitter"
STATE_TTL = 600.0
DEFAULT_PORT = 8798
RETURN_PATH = "api/v1/auth/twitter/return"
COOKIES = "twitter.cookies"
COOKIE_MAX = 512
SETUP_HINT = (
    "create an app at developer.x.com, then: pcrm settings set twitter.client_id ID (README: Connect X)"
)

_states: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def _upstream(exc: Any, code: str = "bad_request") -> PcrmError:
    return PcrmError(exc.message, code=code, hint=exc.hint)


def _client_id(ctx: Context) -> tuple[str, str | None]:
    from pcrm.sync.x.client import client_credentials

    cid, secret = client_credentials(ctx.settings())
    if not cid:
        raise BadRequest("the X OAuth client id is not configured", hint=SETUP_HINT)
    return cid, secret


def _base(ctx: Context) -> str:
    from pcrm.sync.x.client import api_url

    return api_url(ctx.settings())


# ------------------------------------------------------------------------------------------ OAuth


def auth_url(ctx: Context, *, base_url: str = "", port: int = DEFAULT_PORT, principal: Any = None) -> Result:
    """GET /auth/twitter/url: {url, state}. Through the daemon (`base_url`), X sends the browser back to its
    public /auth/twitter/return; `pcrm auth x` listens on http://127.0.0.1:PORT/callback instead. Both are
    callback URLs registered for the app; a client that took the code itself posts it to
    /auth/twitter/callback."""
    from pcrm.sync.x.oauth import authorization_url, pkce_pair, redirect_uri

    cid, _ = _client_id(ctx)
    redirect = (base_url.rstrip("/") + "/" + RETURN_PATH) if base_url else redirect_uri(port)
    verifier, challenge = pkce_pair()
    state = pyrandom.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for k in [k for k, v in _states.items() if v["expires"] < now]:
            del _states[k]
        _states[state] = {"verifier": verifier, "redirect": redirect, "expires": now + STATE_TTL}
    return Result({"url": authorization_url(cid, redirect, state, challenge), "state": state})


def _take_state(state: Any) -> dict[str, Any]:
    with _lock:
        found = _states.pop(state, None) if isinstance(state, str) else None
    if found is None or found["expires"] < time.monotonic():
        raise BadRequest("unknown, used or expired OAuth state", hint="start again: pcrm auth x")
    return found


def exchange(ctx: Context, body: Mapping[str, Any]) -> dict[str, Any]:
    """The network half of the callback: the state used up and the code exchanged for tokens (kept in the
    secret store); X's user. The daemon runs it off its writer lane [prepare-off-lane]; no store write."""
    from pcrm.sync.base import SourceError
    from pcrm.sync.x.tokens import exchange_code

    bound = _take_state(body.get("state"))
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise BadRequest("X sent no authorization code", hint="start again: pcrm auth x")
    cid, secret = _client_id(ctx)
    try:
        return dict(exchange_code(_base(ctx), cid, secret, code, bound["redirect"], bound["verifier"]))
    except SourceError as exc:
        raise _upstream(exc) from None


def callback(
    ctx: Context, body: Mapping[str, Any], *, principal: Any = None, prepared: dict[str, Any] | None = None
) -> Result:
    """POST /auth/twitter/callback {code, state} -> {connected: true, username}. `prepared`: X's user from
    `exchange`, done beforehand off the writer lane; None exchanges here."""
    user = prepared if prepared is not None else exchange(ctx, body)
    now = ctx.now_iso()
    with write(ctx.conn):
        put_setting(ctx.conn, "twitter.username", user["username"] or None, now)
        cursors.delete(ctx.conn, SOURCE)  # another account's cursor means nothing to this one
        notes_store.add_notification(
            ctx.conn, "sync", "X account connected", f"Connected @{user['username']}", "/settings", now
        )
    ctx.invalidate_settings()
    return Result({"connected": True, "username": user["username"]})


def return_exchange(
    ctx: Context, code: str | None = None, state: str | None = None, error: str | None = None
) -> dict[str, Any]:
    """The network half of `twitter_return` (see `exchange`)."""
    if error:
        _take_state(state)  # a refused consent uses the state up too
        raise BadRequest(f"X did not connect the account: {error}", hint="pcrm auth x")
    return exchange(ctx, {"code": code, "state": state})


def twitter_return(
    ctx: Context,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    *,
    prepared: dict[str, Any] | None = None,
) -> Result:
    """GET /auth/twitter/return (public): where X sends the browser; the state must be one this daemon
    handed out and not used yet (it is the credential)."""
    user = prepared if prepared is not None else return_exchange(ctx, code, state, error)
    return callback(ctx, {}, prepared=user)


def disconnect(ctx: Context) -> Result:
    """DELETE /auth/twitter/disconnect: forget the tokens, the username and where the sync stopped
    (meta.was_connected: whether X was connected, so a shell can say there was nothing to forget)."""
    from pcrm.sync.x.tokens import REFRESH, clear_tokens

    was_connected = bool(secret_store.get(REFRESH))
    clear_tokens()
    with write(ctx.conn):
        cursors.delete(ctx.conn, SOURCE)
        delete_setting(ctx.conn, "twitter.username")
    ctx.invalidate_settings()
    return Result({"disconnected": True}, {"was_connected": was_connected})


def status(ctx: Context) -> Result:
    """`pcrm auth x --status`: {connected, username, client_configured}; meta.unready {error, hint} when X
    is connected but cannot sync (its tokens stored, the app's client id that refreshes them not set)."""
    from pcrm.sync.x.client import client_credentials
    from pcrm.sync.x.tokens import REFRESH

    connected = bool(secret_store.get(REFRESH))
    configured = bool(client_credentials(ctx.settings())[0])
    meta: dict[str, Any] = {}
    if connected and not configured:
        from pcrm.services.sync import unready

        meta["unready"] = unready(ctx, "twitter")
    return Result(
        {
            "connected": connected,
            "username": ctx.setting("twitter.username"),
            "client_configured": configured,
        },
        {k: v for k, v in meta.items() if v},
    )


def connect_cli(
    ctx: Context,
    *,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
    pasted: Callable[[], str] | None = None,
    open_browser: bool = False,
) -> Result:
    """`pcrm auth x`: print the URL (and open it), then take X's redirect on 127.0.0.1:PORT, or the
    redirect URL the user pastes (`pasted`), and finish like the callback route."""
    from pcrm.sync.base import SourceError
    from pcrm.sync.x.oauth import parse_redirect, wait_for_redirect

    started = auth_url(ctx, port=port).data
    say("Open this URL, sign in to X and allow pcrm:")
    say(started["url"])
    if open_browser:
        import webbrowser

        webbrowser.open(started["url"])
    if pasted is not None:
        got = parse_redirect(pasted())
    else:
        say(f"Waiting for X to redirect to 127.0.0.1:{port} ...")
        try:
            got = wait_for_redirect(port)
        except SourceError as exc:
            raise _upstream(exc) from None
    if got.get("error"):
        _take_state(got.get("state"))
        raise BadRequest(f"X did not connect the account: {got['error']}", hint="pcrm auth x")
    return callback(ctx, got)


# ------------------------------------------------------------------------------------------ cookies


def _cookies() -> dict[str, Any] | None:
    raw = secret_store.get(COOKIES)
    try:
        d = json.loads(raw) if raw else None
    except ValueError:
        return None
    return d if isinstance(d, dict) else None


def _cookie_answer(d: Mapping[str, Any] | None) -> dict[str, Any]:
    """The reference's vocabulary [x-api]: `connected` while cookies are stored (they are never found refused:
    no pcrm sync uses them), `disconnected` when none. `checked_at` is when X last accepted them (the
    reference's "Last verified"), so null here, with `verified: false`; `pushed_at` is when the extension sent
    them (records written before `pushed_at` existed kept that time under `checked_at`)."""
    if not d:
        return {"status": "disconnected", "checked_at": None, "verified": False, "pushed_at": None}
    return {
        "status": "connected",
        "checked_at": None,
        "verified": False,
        "pushed_at": d.get("pushed_at") or d.get("checked_at"),
    }


def cookie_status(ctx: Context) -> Result:
    """GET /integrations/twitter/cookies: {status, checked_at, verified, pushed_at}, as
    _cookie_answer says."""
    return Result(_cookie_answer(_cookies()))


def save_cookies(ctx: Context, body: Mapping[str, Any]) -> Result:
    """POST /integrations/twitter/cookies {auth_token, ct0}: each 1-512 characters; stored in the secret
    store only (never the database, logs or answers)."""
    errors = []
    values: dict[str, str] = {}
    for k in ("auth_token", "ct0"):
        v = body.get(k) if isinstance(body, Mapping) else None
        if not isinstance(v, str) or not 1 <= len(v) <= COOKIE_MAX:
            errors.append({"field": k, "message": f"{k} must be text of 1 to {COOKIE_MAX} characters"})
        elif any(ord(c) < 33 or ord(c) > 126 for c in v):
            errors.append({"field": k, "message": f"{k} must be printable ASCII without spaces"})
        else:
            values[k] = v
    if errors:
        raise ValidationError(errors[0]["message"], fields=errors)
    now = ctx.now_iso()
    record = {**values, "pushed_at": now}
    secret_store.put(COOKIES, json.dumps(record))
    return Result(_cookie_answer(record))


def delete_cookies(ctx: Context) -> Result:
    """DELETE /integrations/twitter/cookies -> {status: disconnected}."""
    secret_store.delete(COOKIES)
    return Result(_cookie_answer(None))
