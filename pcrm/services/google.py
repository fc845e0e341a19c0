"""Connecting Google accounts [google-oauth]: the OAuth client, the consent flows (the CLI's loopback flow
and the daemon's redirect flow), the accounts list, and the per-contact Gmail sync [gmail-routing].

The refresh tokens of all accounts are one secret (`google.refresh_tokens`, `{email: token}`), so every
Google source is connected exactly when at least one account is; the accounts' rows (`google_accounts`)
hold only the email. States of the redirect flow live in this process's memory (the daemon's): each is
bound to the redirect URI and PKCE verifier it was created with, lasts 10 minutes and is consumed once.
"""

from __future__ import annotations

import json
import re
import secrets as pyrandom
import threading
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from pcrm import secrets as secret_store
from pcrm.errors import BadRequest, NotFound, PcrmError
from pcrm.services.context import Context, Result
from pcrm.store import google_accounts as store
from pcrm.store import settings as sstore
from pcrm.store import suggestions as notes_store
from pcrm.store.db import write

TOKENS = "google.refresh_tokens"
CLIENT_SECRET = "google.client_secret"
STATE_TTL = 600.0  # seconds
CONTACT_SYNC_EVERY = timedelta(hours=1)
RETURN_PATH = "api/v1/auth/google/return"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SETUP_HINT = "pcrm auth google --client-file client_secret.json (README: Connecting Google)"
CLIENT_FILE_EXAMPLE = "pcrm auth google --client-file ~/Downloads/client_secret.json"

_states: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def _upstream(exc: Any) -> PcrmError:
    return PcrmError(exc.message, code="bad_request", hint=exc.hint)


# ------------------------------------------------------------------------------------------ the client


def configure_client(ctx: Context, client_id: str, client_secret: str) -> Result:
    """Store the OAuth client: the id as the `google.client_id` setting, the secret in the secret store."""
    client_id, client_secret = client_id.strip(), client_secret.strip()
    if not client_id or not client_secret:
        raise BadRequest("the OAuth client needs an id and a secret", hint=SETUP_HINT)
    from pcrm.services import settings

    settings.set_setting(ctx, "google.client_id", client_id)
    secret_store.put(CLIENT_SECRET, client_secret)
    return Result({"client_id": client_id, "configured": True})


def configure_client_file(ctx: Context, text: str) -> Result:
    from pcrm.sync.google.client import read_client_file

    try:
        cid, secret = read_client_file(text)
    except ValueError as exc:
        raise BadRequest(str(exc), hint=SETUP_HINT) from None
    return configure_client(ctx, cid, secret)


def _client(ctx: Context) -> tuple[str, str]:
    cid = ctx.setting("google.client_id")
    secret = secret_store.get(CLIENT_SECRET)
    if not cid or not secret:
        raise BadRequest("the Google OAuth client is not configured", hint=SETUP_HINT)
    return str(cid), secret


# ------------------------------------------------------------------------------------------ accounts


def _tokens() -> dict[str, str]:
    from pcrm.sync.google.client import parse_tokens

    return parse_tokens(secret_store.get(TOKENS))


def _save_tokens(tokens: dict[str, str]) -> None:
    if tokens:
        secret_store.put(TOKENS, json.dumps(tokens, sort_keys=True))
    else:
        secret_store.delete(TOKENS)


def connect_account(ctx: Context, email: str, refresh_token: str) -> Result:
    """Attach a Google account: its row, its refresh token, its email in `me`, a notification."""
    email = email.strip().lower()
    tokens = _tokens()
    tokens[email] = refresh_token
    _save_tokens(tokens)
    now = ctx.now_iso()
    with write(ctx.conn):
        row = store.upsert(ctx.conn, email, now)
        me = sstore.get(ctx.conn, "me") or {}
        me = {k: list(me.get(k) or []) for k in ("names", "emails", "phones", "handles")}
        if email not in me["emails"]:
            me["emails"].append(email)
            sstore.put(ctx.conn, "me", me, now)
            ctx.invalidate_settings()
        notes_store.add_notification(
            ctx.conn, "sync", "Google account connected", f"Connected {email}", "/settings", now
        )
    return Result({"connected": True, "email": email, "account_id": row["id"]})


def list_accounts(ctx: Context) -> Result:
    """GET /auth/google/accounts: [{id, email, created_at, connected}] (connected: its token is stored)."""
    tokens = _tokens()
    return Result([{**a, "connected": a["email"] in tokens} for a in store.all_accounts(ctx.conn)])


def delete_account(ctx: Context, account_id: str) -> Result:
    """DELETE /auth/google/accounts/{id}: forget the account and its token (what it synced stays)."""
    key = str(account_id).strip().lower()
    if not _UUID.match(key):
        raise BadRequest(f"{account_id!r} is not an account id", hint="pcrm auth google accounts")
    row = store.get(ctx.conn, key)
    if row is None:
        raise NotFound(f"no Google account {account_id}", hint="pcrm auth google accounts")
    with write(ctx.conn):
        store.delete(ctx.conn, key)
    tokens = _tokens()
    tokens.pop(row["email"], None)
    _save_tokens(tokens)
    return Result({"id": row["id"], "deleted": True})


def remove_account(ctx: Context, ref: str) -> Result:
    """`pcrm auth google rm`: by email or id."""
    return delete_account(ctx, account_id(ctx, ref))


def account_id(ctx: Context, ref: str) -> str:
    """The id of the connected Google account `ref` names (its email or id); NotFound when none, so a
    command asks nothing about an account that is not there."""
    key = str(ref).strip().lower()
    found = [a for a in store.all_accounts(ctx.conn) if key in (a["email"], a["id"])]
    if not found:
        raise NotFound(f"no Google account {ref}", hint="pcrm auth google accounts")
    return str(found[0]["id"])


# ------------------------------------------------------------------------------------------ the flows


def auth_url(ctx: Context, *, base_url: str = "", principal: Any = None) -> Result:
    """GET /auth/google/url: the consent URL and its state; Google sends the browser back to the daemon's
    public /auth/google/return."""
    from pcrm.sync.google.client import authorization_url

    cid, secret = _client(ctx)
    redirect = (
        (base_url.rstrip("/") + "/" + RETURN_PATH) if base_url else f"http://127.0.0.1:8765/{RETURN_PATH}"
    )
    state = pyrandom.token_urlsafe(24)
    url, verifier = authorization_url(cid, secret, redirect, state)
    now = time.monotonic()
    with _lock:
        for k in [k for k, v in _states.items() if v["expires"] < now]:
            del _states[k]
        _states[state] = {"redirect": redirect, "verifier": verifier, "expires": now + STATE_TTL}
    return Result({"url": url, "state": state})


def _take_state(state: str | None) -> dict[str, Any]:
    with _lock:
        found = _states.pop(state or "", None)
    if found is None or found["expires"] < time.monotonic():
        raise BadRequest(
            "unknown, used or expired OAuth state",
            hint="start again: GET /auth/google/url (or pcrm auth google)",
        )
    return found


def _finish(ctx: Context, code: str | None, state: str | None) -> Result:
    from pcrm.sync.base import SourceError
    from pcrm.sync.google.client import exchange_code

    bound = _take_state(state)
    if not code:
        raise BadRequest("Google sent no authorization code", hint="start again: GET /auth/google/url")
    cid, secret = _client(ctx)
    try:
        email, refresh = exchange_code(cid, secret, bound["redirect"], code, bound["verifier"])
    except SourceError as exc:
        raise _upstream(exc) from None
    return connect_account(ctx, email, refresh)


def google_return(
    ctx: Context, code: str | None = None, state: str | None = None, error: str | None = None
) -> Result:
    """GET /auth/google/return (public): where Google sends the browser; the state must be one this daemon
    handed out and not used yet."""
    if error:
        _take_state(state)  # a refused consent uses the state up too
        raise BadRequest(f"Google did not connect the account: {error}", hint="pcrm auth google")
    return _finish(ctx, code, state)


def google_callback(ctx: Context, body: Mapping[str, Any], *, principal: Any = None) -> Result:
    """POST /auth/google/callback {code, state}: the same as the return route, for a client that took the
    code itself."""
    return _finish(ctx, body.get("code"), body.get("state"))


def connect_loopback(
    ctx: Context,
    *,
    client_path: str | None = None,
    port: int = 8799,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
) -> Result:
    """`pcrm auth google`: store the OAuth client when its file is named (`client_path`: a missing or
    unreadable file is said as such, before anything is stored), run the installed-app loopback flow, then
    attach the account."""
    from pcrm.formats.base import read_named_file
    from pcrm.sync.base import SourceError
    from pcrm.sync.google.client import run_loopback

    if client_path is not None:
        raw = read_named_file(client_path, example=CLIENT_FILE_EXAMPLE, limit=1 << 20)
        configure_client_file(ctx, raw.decode("utf-8", "replace"))

    cid, secret = _client(ctx)
    try:
        email, refresh = run_loopback(cid, secret, port=port, open_browser=open_browser, say=say)
    except SourceError as exc:
        raise _upstream(exc) from None
    return connect_account(ctx, email, refresh)


# ------------------------------------------------------------------------------------------ per contact


def sync_contact_emails(ctx: Context, contact_id: str, *, force: Any = None, client: Any = None) -> Result:
    """POST /contacts/{id}/sync-emails: a year of Gmail messages from or to the contact's addresses, in
    every connected account [gmail-routing]; at most once an hour per contact unless `force`.
    -> {new_interactions} or {new_interactions: 0, skipped: true, reason, message}: `reason` the
    reference's code (no_emails, synced_recently, google_not_connected), `message` pcrm's words."""
    from pcrm.domain.sources import source
    from pcrm.services import contacts, idle, ingest, sync
    from pcrm.services.import_report import empty_report
    from pcrm.store import locks
    from pcrm.sync.base import SourceError
    from pcrm.sync.google.gmail import GmailSource

    contact = contacts.get_contact(ctx, contact_id).data
    spec = source("gmail")
    # the missing connection is said first, whatever the contact holds: connecting is the step to take
    # [idle-answers]; a contact without an address is a skip only once there is a Gmail to ask
    if client is None and not sync.is_connected(ctx, "gmail"):
        return idle.not_connected(
            {"new_interactions": 0},
            reason="google_not_connected",  # the reference's code
            message="Gmail is not connected, so there is no mail to sync",
            hint=f"connect it with: {spec.connect}",
            sources=("gmail",),
        )
    emails = list(contact.get("emails") or [])
    if not emails:
        return idle.skipped({"new_interactions": 0}, "no_emails", "the contact has no email address")
    if client is None:
        try:
            client = GmailSource.connect({n: secret_store.get(n) or "" for n in spec.secrets}, ctx.settings())
        except SourceError as exc:
            raise PcrmError(exc.message, code="upstream_error", hint=exc.hint) from None
    forced = str(force).lower() in ("1", "true", "yes") if force is not None else False
    name, holder = f"sync-emails:{contact['id']}", f"once-an-hour:{pyrandom.token_hex(8)}"
    until = ctx.now() + CONTACT_SYNC_EVERY
    from pcrm import clock

    held = locks.get(ctx.conn, name)
    if forced and held is not None:
        locks.release(ctx.conn, name, held["holder"])
    if not locks.acquire(ctx.conn, name, holder, ctx.now_iso(), clock.iso(until)):
        return idle.skipped(
            {"new_interactions": 0}, "synced_recently", "synced less than an hour ago (force=true)"
        )
    adapter = GmailSource(client, ctx.settings())
    opts = sync.ingest_options(ctx)
    metadata_only = bool(ctx.settings().get("metadata_only.gmail", False))
    new = 0
    try:
        for records in adapter.contact_messages(emails):
            report = empty_report("gmail")
            changes = ingest.validate(records, opts)
            with write(ctx.conn):
                ingest.apply(
                    ctx,
                    records,
                    changes,
                    report,
                    opts,
                    source="gmail",
                    fmt=sync.FORMAT,
                    filename=f"gmail sync-emails {contact['id'][:8]}",
                    metadata_only=metadata_only,
                )
            new += report["interactions_created"]
    except SourceError as exc:
        locks.release(ctx.conn, name, holder)  # a failed attempt does not count against the hour
        raise PcrmError(exc.message, code="upstream_error", hint=exc.hint) from None
    return Result({"new_interactions": new})


__all__ = [
    "auth_url",
    "configure_client",
    "configure_client_file",
    "connect_account",
    "connect_loopback",
    "delete_account",
    "google_callback",
    "google_return",
    "list_accounts",
    "remove_account",
    "sync_contact_emails",
]
