"""Opaque tokens: script tokens for the API [opaque-tokens], calendar tokens for the ICS feed [opaque-tokens]
[followup-calendar] and the MCP key [opaque-tokens]. Each kind has its own prefix and is looked up by kind, so
a calendar token never works as a bearer token and a script token never opens the calendar feed.

Both are 256 random bits, shown once and stored only as a SHA-256 hex digest, so a stolen database
holds nothing replayable. A plain digest (not argon2, not an HMAC keyed by the JWT secret) is enough
for values with that much entropy, keeps the lookup a single indexed equality, and lets
`pcrm token create` work without the secret store and before any account exists.
"""

from __future__ import annotations

import hashlib
import re
import secrets as _random
from typing import Any

from pcrm.clock import iso, parse_iso
from pcrm.domain.dates import local_day
from pcrm.errors import BadRequest, Conflict, NotFound, ValidationError
from pcrm.services.context import Context, Result
from pcrm.store import auth as store
from pcrm.store.db import write, write_if_free

SCRIPT_PREFIX = "pcrm_tok_"
CALENDAR_PREFIX = "pcrm_cal_"
MCP_PREFIX = "pcrm_mcp_"
MCP_NAME = "mcp"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TOUCH_EVERY_SECONDS = 60  # last_used_at is refreshed at most once a minute per token


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mint(prefix: str) -> str:
    return prefix + _random.token_urlsafe(32)


def _check_name(name: str) -> str:
    n = (name or "").strip()
    if not _NAME.match(n):
        raise ValidationError(
            "a token name is 1-64 ASCII letters (a-z), digits, dots, dashes or underscores, "
            "starting with a letter or digit",
            field="name",
            hint="e.g. pcrm token create laptop-scripts",
        )
    return n


# -- script tokens -------------------------------------------------------------------------------------------


def _kind(calendar: bool) -> str:
    return "calendar" if calendar else "script"


def create_script_token(ctx: Context, name: str, *, calendar: bool = False) -> Result:
    """`pcrm token create [--calendar] NAME`: a new API token (or calendar-feed token), shown once."""
    n = _check_name(name)
    kind = _kind(calendar)
    token = _mint(CALENDAR_PREFIX if calendar else SCRIPT_PREFIX)
    flag = " --calendar" if calendar else ""
    with write(ctx.conn):
        if store.live_token_by_name(ctx.conn, kind, n):
            raise Conflict(
                f"a {kind} token named {n!r} already exists",
                details={"name": n},
                hint=f"revoke it first with `pcrm token revoke{flag} {n}`, or pick another name",
            )
        row = store.insert_token(ctx.conn, kind, n, digest(token), ctx.now_iso())
    meta = {"note": "the token is shown only now; store it somewhere safe"}
    if calendar:
        meta["feed"] = "/api/v1/calendar.ics?token=" + token
    return Result({**row, "token": token, "last_used_at": None}, meta)


def create_calendar_token(ctx: Context, name: str) -> Result:
    """`pcrm token create --calendar NAME`: a token for GET /api/v1/calendar.ics?token=... only."""
    return create_script_token(ctx, name, calendar=True)


def list_script_tokens(ctx: Context, *, include_revoked: bool = False, calendar: bool = False) -> Result:
    """`pcrm token list [--calendar]`: the tokens of one kind [opaque-tokens]. meta.other_kind counts the
    live tokens of the other kind, which this listing leaves out, so the CLI can say where they are."""
    items = store.list_tokens(ctx.conn, _kind(calendar), include_revoked=include_revoked)
    other = _kind(not calendar)
    live = len(store.list_tokens(ctx.conn, other))
    return Result(items, {"count": len(items), "other_kind": {"kind": other, "live": live}})


def live_script_token(ctx: Context, name: str, *, calendar: bool = False) -> dict[str, Any]:
    """The live token of this kind named `name` (what `pcrm token revoke NAME` acts on: a name once revoked
    and then created again names the new token). Else a clear error: a name whose tokens are all revoked
    has nothing left to revoke (400, like undoing a merge twice); a name of the other kind says which flag
    it needs; any other name is a 404."""
    n = (name or "").strip()
    kind = _kind(calendar)
    flag = " --calendar" if calendar else ""
    row = store.live_token_by_name(ctx.conn, kind, n)
    if row is not None:
        return row
    gone = store.last_revoked_by_name(ctx.conn, kind, n)
    if gone is not None:
        raise BadRequest(
            f"the {kind} token {n!r} was already revoked on {local_day(gone['revoked_at'], ctx.tz())}",
            hint=f"nothing to do; `pcrm token list --all{flag}` shows revoked tokens",
            details={"name": n, "revoked_at": gone["revoked_at"]},
        )
    other = _kind(not calendar)
    if store.live_token_by_name(ctx.conn, other, n) is not None:
        other_flag = "" if calendar else " --calendar"
        raise NotFound(
            f"no {kind} token named {n!r}; {n!r} is a {other} token",
            hint=f"pcrm token revoke{other_flag} {n}",
        )
    raise NotFound(f"no {kind} token named {n!r}", hint=f"list them with `pcrm token list{flag}`")


def revoke_script_token(ctx: Context, name: str, *, calendar: bool = False) -> Result:
    """`pcrm token revoke [--calendar] NAME`: revoke the live token of that name (`live_script_token`
    says why when there is none)."""
    with write(ctx.conn):
        row = live_script_token(ctx, name, calendar=calendar)
        store.revoke_tokens(ctx.conn, _kind(calendar), ctx.now_iso(), row["name"])
    return Result({"id": row["id"], "name": row["name"], "revoked": True})


def _verify(ctx: Context, kind: str, prefix: str, token: str) -> dict[str, Any] | None:
    """The live token of this kind with this value (recording its use at most once a minute), or None."""
    if not token.startswith(prefix):
        return None
    row = store.token_by_hash(ctx.conn, kind, digest(token))
    if row is None or row["revoked_at"] is not None:
        return None
    now = ctx.now()
    last = row["last_used_at"]

    if last is None or (now - parse_iso(last)).total_seconds() >= TOUCH_EVERY_SECONDS:
        # bookkeeping: skipped while another process writes (a long import), never waited for
        write_if_free(ctx.conn, lambda conn: store.touch_token(conn, row["rowid"], iso(now)))
    return row


def verify_script_token(ctx: Context, token: str) -> dict[str, Any] | None:
    """The live script token with this value (recording its use), or None."""
    return _verify(ctx, "script", SCRIPT_PREFIX, token)


def verify_calendar_token(ctx: Context, token: str | None) -> dict[str, Any] | None:
    """The live calendar token with this value (recording its use), or None."""
    return _verify(ctx, "calendar", CALENDAR_PREFIX, token or "")


# -- the MCP key [opaque-tokens] ------------------------------------------------------------------------


def mcp_key_status(ctx: Context) -> Result:
    """GET /settings/mcp-key: whether a key exists (never the key)."""
    row = store.live_token_by_name(ctx.conn, "mcp", MCP_NAME)
    return Result(
        {
            "has_key": row is not None,
            "created_at": row["created_at"] if row else None,
            "last_used_at": row["last_used_at"] if row else None,
        }
    )


def mcp_key_create(ctx: Context) -> Result:
    """POST /settings/mcp-key: a new key, shown once; it replaces any existing key."""
    key = _mint(MCP_PREFIX)
    now = ctx.now_iso()
    with write(ctx.conn):
        store.revoke_tokens(ctx.conn, "mcp", now)
        store.insert_token(ctx.conn, "mcp", MCP_NAME, digest(key), now)
    return Result({"key": key}, {"note": "the key is shown only now; paste it into your MCP client"})


def mcp_key_revoke(ctx: Context) -> Result:
    """DELETE /settings/mcp-key."""
    with write(ctx.conn):
        n = store.revoke_tokens(ctx.conn, "mcp", ctx.now_iso())
    return Result({"revoked": n > 0})


def verify_mcp_key(ctx: Context, key: str | None) -> bool:
    """True when `key` is the live MCP key (the MCP server's HTTP transport asks on every request). Its use
    is recorded at most once a minute, like a script token's, so most checks stay reads."""
    return _verify(ctx, "mcp", MCP_PREFIX, key or "") is not None
