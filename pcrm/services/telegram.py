"""Telegram's own use cases: the login steps [telegram-login], resetting and disconnecting the
session, and the sync progress the web UI polls [telegram-progress]. The sync itself is the engine's
(`services/sync.py`).

Every step that talks to Telegram checks the rate-limit gate first and closes it on a FloodWait
[telegram-flood]. Errors name the step that failed, never an exception class.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from pcrm import clock
from pcrm import secrets as secret_store
from pcrm.errors import BadRequest, PcrmError, ValidationError
from pcrm.serialize import loads
from pcrm.services import sync
from pcrm.services.context import Context, Result
from pcrm.store import suggestions as notes_store
from pcrm.store import sync_cursors as cursors
from pcrm.store import sync_runs as runs
from pcrm.store.db import write
from pcrm.store.settings import delete as delete_setting
from pcrm.store.settings import put as put_setting
from pcrm.sync.base import SourceError
from pcrm.sync.telegram import client as tgclient
from pcrm.sync.telegram.client import (
    SECRET_API_HASH,
    FloodWait,
    LoginError,
    Telegram,
    api_credentials,
)

SOURCE = "telegram"
SESSION = "telegram.session"
LOGIN_SESSION = "telegram.login_session"  # a login between its steps; never used to sync
USERNAME = "telegram.username"
PROGRESS_KEEP = timedelta(minutes=5)  # an ended run still shows as `done` this long
COUNTERS = (
    "total_dialogs",
    "dialogs_processed",
    "batches_total",
    "batches_completed",
    "contacts_found",
    "messages_synced",
    "bios_total",  # the bios phase [telegram-bios]
    "bios_checked",
)


def _text(body: Mapping[str, Any] | None, key: str) -> str:
    value = str((body or {}).get(key) or "").strip()
    if not value:
        raise ValidationError(
            f"{key} is required", field=key, hint=f"give {key}; see `pcrm auth telegram --help`"
        )
    return value


def _client(ctx: Context, session: str) -> Telegram:
    try:
        api_id, api_hash = api_credentials(ctx.settings())
    except LoginError as exc:  # missing here, not refused by Telegram: the user's to fix (400)
        raise BadRequest(exc.message, hint=exc.hint) from None
    return Telegram(tgclient.telethon_client(session, api_id, api_hash))


@contextmanager
def _talking(ctx: Context, tg: Telegram, *, failure: str) -> Iterator[Telegram]:
    """Run login steps: the gate checked first; FloodWait closes it (429); a failed step becomes
    `failure` (upstream_error at connect, bad_request at verify); the client closed in every case."""
    try:
        sync.check_gate(ctx, SOURCE)
        yield tg
    except FloodWait as exc:
        with write(ctx.conn):
            sync.close_gate(ctx, SOURCE, exc.retry_after)
        raise PcrmError(
            exc.message, code="rate_limited", hint=exc.hint, details={"retry_after": exc.retry_after}
        ) from None
    except LoginError as exc:
        code = "upstream_error" if exc.step in ("invalid_phone", "bad_api", "banned") else failure
        raise PcrmError(exc.message, code=code, hint=exc.hint, details={"step": exc.step}) from None
    except SourceError as exc:
        raise PcrmError(exc.message, code=failure, hint=exc.hint) from None
    finally:
        tg.close()


def connected() -> bool:
    """Whether a Telegram session is stored."""
    return bool(secret_store.get(SESSION))


def session_or_say() -> str:
    """The stored session; `not_connected` (400), naming the command that connects, without one."""
    session = secret_store.get(SESSION)
    if not session:
        raise PcrmError(
            "Telegram is not connected",
            code="not_connected",
            hint="connect it with: pcrm auth telegram",
            details={"source": SOURCE},
        )
    return session


def account_client(ctx: Context) -> Telegram:
    """A client over the stored session, for the operations on one contact: the gate checked first
    (429 while it is closed); `not_connected` (400) without a session."""
    sync.check_gate(ctx, SOURCE)
    return _client(ctx, session_or_say())


@contextmanager
def using(ctx: Context, tg: Telegram) -> Iterator[Telegram]:
    """Talk to Telegram about one contact: a FloodWait closes the gate and answers 429 with
    `retry_after` [telegram-flood]; any other refusal is `upstream_error` (502); the client is closed."""
    try:
        yield tg
    except FloodWait as exc:
        raise flood_refused(ctx, exc) from None
    except SourceError as exc:
        raise PcrmError(exc.message, code="upstream_error", hint=exc.hint) from None
    finally:
        tg.close()


def flood_refused(ctx: Context, exc: FloodWait) -> PcrmError:
    """Close the gate for a FloodWait (a write) and return the 429 to raise [telegram-flood]."""
    with write(ctx.conn):
        sync.close_gate(ctx, SOURCE, exc.retry_after)
    return PcrmError(
        exc.message, code="rate_limited", hint=exc.hint, details={"retry_after": exc.retry_after}
    )


def connect(ctx: Context, body: Mapping[str, Any] | None) -> Result:
    """POST /auth/telegram/connect {phone}: Telegram sends the login code; {phone_code_hash}."""
    phone = _text(body, "phone")
    with _talking(ctx, _client(ctx, ""), failure="upstream_error") as tg:
        code_hash = tg.send_code(phone)
        secret_store.put(LOGIN_SESSION, tg.session())
    return Result({"phone_code_hash": code_hash})


def verify(ctx: Context, body: Mapping[str, Any] | None) -> Result:
    """POST /auth/telegram/verify {phone, code, phone_code_hash}: {connected: true, username}, or
    {connected: false, requires_2fa: true} when the account has a 2FA password."""
    phone, code, code_hash = _text(body, "phone"), _text(body, "code"), _text(body, "phone_code_hash")
    with _talking(ctx, _client(ctx, _pending()), failure="bad_request") as tg:
        person = tg.sign_in(phone, code, code_hash)
        if person is None:
            secret_store.put(LOGIN_SESSION, tg.session())
            return Result({"connected": False, "requires_2fa": True})
        return _connected(ctx, tg, person)


def verify_2fa(ctx: Context, body: Mapping[str, Any] | None) -> Result:
    """POST /auth/telegram/verify-2fa {password}: {connected, username}."""
    password = str((body or {}).get("password") or "")
    if not password:
        raise ValidationError("password is required", field="password")
    with _talking(ctx, _client(ctx, _pending()), failure="bad_request") as tg:
        return _connected(ctx, tg, tg.check_password(password))


def _pending() -> str:
    session = secret_store.get(LOGIN_SESSION)
    if not session:
        raise BadRequest(
            "no Telegram login is under way",
            hint="start with POST /auth/telegram/connect or pcrm auth telegram",
        )
    return session


def _connected(ctx: Context, tg: Telegram, person: Mapping[str, Any]) -> Result:
    secret_store.put(SESSION, tg.session())
    secret_store.delete(LOGIN_SESSION)
    username = person.get("username") or None
    with write(ctx.conn):
        if username:
            put_setting(ctx.conn, USERNAME, username, ctx.now_iso())
            ctx.invalidate_settings()
        notes_store.add_notification(
            ctx.conn,
            "sync",
            "Telegram account connected",
            f"Connected as @{username}" if username else "Connected",
            "/settings",
            ctx.now_iso(),
        )
    return Result({"connected": True, "username": username})


def reset_session(ctx: Context) -> Result:
    """POST /auth/telegram/reset-session: forget the session and where syncs stopped; keep the username."""
    secret_store.delete(SESSION)
    secret_store.delete(LOGIN_SESSION)
    with write(ctx.conn):
        cursors.delete(ctx.conn, SOURCE)
    return Result({"reset": True})


def disconnect(ctx: Context) -> Result:
    """DELETE /auth/telegram/disconnect: log the session out at Telegram when it can, then forget the
    session, the username and where syncs stopped."""
    session = secret_store.get(SESSION)
    if session and not sync.gate_wait(ctx, SOURCE):
        try:
            tg = _client(ctx, session)
        except PcrmError:
            tg = None
        if tg is not None:
            try:
                tg.log_out()
            except SourceError:
                pass  # an expired session or no network: forgetting it here is what matters
            finally:
                tg.close()
    secret_store.delete(SESSION)
    secret_store.delete(LOGIN_SESSION)
    with write(ctx.conn):
        cursors.delete(ctx.conn, SOURCE)
        delete_setting(ctx.conn, USERNAME)
    return Result({"disconnected": True})


def status(ctx: Context) -> dict[str, Any]:
    """{connected, username} for the profile and `pcrm auth telegram --status`."""
    return {"connected": bool(secret_store.get(SESSION)), "username": ctx.setting(USERNAME)}


def sync_progress(ctx: Context) -> Result:
    """GET /telegram/sync-progress [telegram-progress]: the latest run's phase and counters."""
    run = runs.latest(ctx.conn, SOURCE)
    if run is None:
        return Result({"active": False})
    ended = run["completed_at"]
    if ended and clock.parse_iso(ended) < ctx.now() - PROGRESS_KEEP:
        return Result({"active": False})
    details = loads(run["details"]) if run["details"] else {}
    phase = "done" if run["status"] != "started" else details.get("phase", "collecting")
    out: dict[str, Any] = {"active": phase != "done", "phase": phase, "status": run["status"]}
    out.update({k: int(details.get(k) or 0) for k in COUNTERS})
    out.update(started_at=run["started_at"], completed_at=ended, task_id=run["id"])
    return Result(out)


def login_status(ctx: Context) -> Result:
    """{connected, username, has_api}: has_api says whether the API id and hash of the user's Telegram app
    are known (environment, settings, secret store)."""
    try:
        api_credentials(ctx.settings())
        has = True
    except LoginError:
        has = False
    return Result({**status(ctx), "has_api": has})


def save_api(ctx: Context, api_id: str, api_hash: str) -> Result:
    """Keep the API id (a setting) and the API hash (the secret store) of the user's Telegram app."""
    if not str(api_id).strip().isdigit():
        raise ValidationError("the Telegram API id is a number", field="api_id", hint="see my.telegram.org")
    if not str(api_hash).strip():
        raise ValidationError("the Telegram API hash is required", field="api_hash")
    secret_store.put(SECRET_API_HASH, str(api_hash).strip())
    with write(ctx.conn):
        put_setting(ctx.conn, "telegram.api_id", str(api_id).strip(), ctx.now_iso())
    ctx.invalidate_settings()
    return Result({"api_id": str(api_id).strip()})
