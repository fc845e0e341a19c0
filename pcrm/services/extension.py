"""Pairing the browser extension [extension-pairing].

1. The extension shows a code (`PING-` and six of `ALPHABET`); the user enters it in pcrm
   (`pcrm extension pair CODE`, or POST /extension/pair with a web token). The code is held for 10 minutes.
2. The extension polls GET /extension/pair?code= without a token: 404 while the code is unknown (it keeps
   polling), 410 once it expired unclaimed (it makes a new one) or once it was collected, 429 past the 20th
   poll of one code; otherwise `{token, api_url}`: an extension JWT valid for 30 days. That answer claims
   the code: it is given once.
3. On a 401 the extension exchanges its token at POST /extension/refresh (no other credential): any
   extension token pcrm signed, expired up to 90 days ago, gets a fresh 30-day one while the extension is
   still paired.
4. Disconnecting (`pcrm extension disconnect`, DELETE /extension/pair) forgets the codes, clears the
   pairing and retires every extension token issued so far (the generation they carry moves on).

The token is minted when the extension collects it, so none is ever stored.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pcrm.clock import iso
from pcrm.errors import Conflict, NotFound, PcrmError, Unauthorized, ValidationError
from pcrm.services import auth
from pcrm.services.context import Context, Result
from pcrm.store import auth as astore
from pcrm.store import extension as store
from pcrm.store import settings as sstore
from pcrm.store.db import write

CODE_LIFETIME = timedelta(minutes=10)
MAX_POLLS = 20  # the 21st poll of one code is refused
REFRESH_GRACE = timedelta(days=90)  # how long after expiry a token may still be exchanged
# the extension's codes: PING- and six of these 31 (no O, 0, I, 1 or L, which read alike)
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE = re.compile(f"PING-[{ALPHABET}]{{6}}")
_PAIR_HINT = "generate a new code in the extension's popup and run `pcrm extension pair CODE`"
# polls of codes nobody entered, per store, all callers together: an extension polls every 3 s (20 a minute)
# until its code is entered, and a user may have several waiting (browser profiles, a popup reopened);
# someone trying codes gets no further than this many a minute among 31^6
MAX_MISSES = 600
MISS_WINDOW = 60.0  # seconds
monotonic: Callable[[], float] = time.monotonic  # tests move it on (never a timed test)
_misses: dict[str, deque[float]] = {}
_misses_lock = threading.Lock()


def _code(value: Any, *, at: str | None = None) -> str:
    """The code as stored (upper-cased, spaces around it dropped) once it has the extension's form; anything
    else is refused before a code is looked up: empty, too long, a control character, a letter outside the
    alphabet (a full-width or accented one upper-cases into nothing the extension makes) [extension-pairing].
    `at`: where the code came from ("query"), for the error's loc."""
    raw = value.strip(" ") if isinstance(value, str) else ""
    code = raw.upper() if raw.isascii() else ""
    if _CODE.fullmatch(code) is None:
        e = ValidationError(
            "code is not a pairing code: the extension's codes are PING- and six of "
            f"{ALPHABET} (no O, 0, I, 1 or L)",
            field="code",
            hint="copy the code the extension's popup shows, e.g. PING-7KQ2MX",
        )
        raise e.at(at) if at else e
    return code


def _user(ctx: Context, principal: auth.Principal | None) -> dict[str, Any]:
    user = None
    if principal is not None and principal.user_id:
        user = astore.user_by_uuid(ctx.conn, principal.user_id)
    if user is None:
        user = astore.the_user(ctx.conn)
    if user is None:
        raise NotFound(
            "there is no account yet: the extension pairs with the local account",
            hint="create it first: `pcrm account create EMAIL` (it asks for the web login's password)",
        )
    return user


def _set_state(ctx: Context, paired_at: str | None, *, next_generation: bool = False) -> None:
    state = auth.extension_state(ctx)
    gen = state["generation"] + (1 if next_generation else 0)
    sstore.put(ctx.conn, auth.EXTENSION_STATE, {"paired_at": paired_at, "generation": gen}, ctx.now_iso())


def pair(ctx: Context, body: dict[str, Any], *, principal: auth.Principal | None = None) -> Result:
    """POST /extension/pair {code}: hold the extension's code for 10 minutes → {status: "ok"}.
    A code already collected → 409; an expired one → 410; entering it again pushes its expiry back."""
    code = _code(body.get("code"))
    _user(ctx, principal)
    now = ctx.now()
    expires = iso(now + CODE_LIFETIME)
    with write(ctx.conn):
        store.prune(ctx.conn, iso(now - timedelta(days=1)))
        row = store.by_code(ctx.conn, code)
        if row is None:
            store.insert(ctx.conn, code, expires)
        elif row["claimed_at"] is not None:
            raise Conflict("this code has already been used", hint=_PAIR_HINT)
        elif row["expires_at"] < iso(now):
            raise PcrmError("this code has expired", code="gone", hint=_PAIR_HINT)
        else:
            store.extend(ctx.conn, row["id"], expires)
        _set_state(ctx, iso(now))
    return Result({"status": "ok"}, {"expires_at": expires})


def _api_url(base_url: str) -> str:
    """Where the extension sends its calls: this daemon. The reference forces https, but pcrm serves
    plain http on the loopback interface only [extension-pairing]."""
    return base_url.rstrip("/") or "http://127.0.0.1:8765"


def _token(ctx: Context, user_id: str) -> str:
    return str(auth.mint_jwt(ctx, user_id, kind="extension")["access_token"])


def poll(ctx: Context, *, code: str | None = None, base_url: str = "") -> Result:
    """GET /extension/pair?code= (public): the extension collects its token → {token, api_url}, once: the
    poll that gets it claims the code, and every later poll is a 410 (a 429 past the 20th poll)."""
    c = _code(code, at="query")
    now = ctx.now_iso()
    refusal: PcrmError | None = None
    with write(ctx.conn):
        row = store.by_code(ctx.conn, c)
        if row is None:
            _missed(ctx)
            raise NotFound(
                "this code has not been entered in pcrm yet", hint="run `pcrm extension pair CODE`"
            )
        if row["claimed_at"] is None and row["expires_at"] < now:
            raise PcrmError("this code has expired", code="gone", hint=_PAIR_HINT)
        # counted (and kept: the refusals below are raised once this is committed) for collected codes too
        if store.count_poll(ctx.conn, row["id"]) > MAX_POLLS:
            refusal = PcrmError(
                f"this code has been polled more than {MAX_POLLS} times",
                code="rate_limited",
                hint=_PAIR_HINT,
                details={"retry_after": int(CODE_LIFETIME.total_seconds())},
            )
        elif row["claimed_at"] is not None:
            # a collected code hands out no more tokens: the extension that collected it refreshes its own,
            # and anyone else who saw the code (a shell's history, a screen) gets nothing from it
            refusal = PcrmError("this code was already collected", code="gone", hint=_PAIR_HINT)
        else:
            user = _user(ctx, None)
            store.claim(ctx.conn, row["id"], now)
            token = _token(ctx, user["id"])
    if refusal is not None:
        raise refusal
    return Result({"token": token, "api_url": _api_url(base_url)})


def _missed(ctx: Context) -> None:
    """Count a poll of a code nobody entered; past MAX_MISSES in MISS_WINDOW, 429 instead of the 404
    [extension-pairing]. Only misses count, after the look-up: an entered code is collected however busy
    someone else keeps the poll, so the throttle costs a guesser his guesses and the user nothing."""
    now = monotonic()
    with _misses_lock:
        seen = _misses.setdefault(str(ctx.path), deque())
        while seen and seen[0] <= now - MISS_WINDOW:
            seen.popleft()
        if len(seen) >= MAX_MISSES:
            retry = max(1, math.ceil(seen[0] + MISS_WINDOW - now))
            raise PcrmError(
                f"too many polls for codes that were never entered; try again in {retry} s",
                code="rate_limited",
                hint="enter the extension's code first: `pcrm extension pair CODE`",
                details={"retry_after": retry},
            )
        seen.append(now)


def refresh(ctx: Context, body: dict[str, Any], *, base_url: str = "") -> Result:
    """POST /extension/refresh {token} (public): a fresh 30-day extension token for one that expired at
    most 90 days ago, while the extension is paired → {token, api_url}; anything else → 401."""
    import jwt

    token = body.get("token")
    if not isinstance(token, str) or token.count(".") != 2:
        raise auth.unauthorized()
    try:
        claims = jwt.decode(
            token,
            auth.jwt_secret(),
            algorithms=["HS256"],
            audience=auth.EXTENSION_AUDIENCE,
            options={"require": ["exp", "aud", "sub", "iat"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise auth.unauthorized() from None
    now = ctx.now()
    if int(claims["exp"]) < int((now - REFRESH_GRACE).timestamp()):
        with write(ctx.conn):  # committed before the 401: the pairing is over
            if auth.extension_state(ctx)["paired_at"] is not None:
                _set_state(ctx, None)
        raise Unauthorized("the extension token expired more than 90 days ago", hint=_PAIR_HINT)
    state = auth.extension_state(ctx)
    user = astore.user_by_uuid(ctx.conn, str(claims["sub"]))
    if state["paired_at"] is None or user is None or claims.get("eg", 0) != state["generation"]:
        raise Unauthorized("the extension is not paired", hint=_PAIR_HINT)
    # the password-version check of every JWT: a token from before a password change stays dead
    if claims.get("pv") != auth.password_version(user["hashed_password"]):
        raise Unauthorized("the token was issued before the password changed", hint=_PAIR_HINT)
    with write(ctx.conn):
        _set_state(ctx, iso(now))
        fresh = _token(ctx, user["id"])
    return Result({"token": fresh, "api_url": _api_url(base_url)})


def disconnect(ctx: Context, *, principal: auth.Principal | None = None) -> Result:
    """DELETE /extension/pair: forget every code, end the pairing and retire every extension token
    (meta.was_paired: whether it was paired, so a shell can say there was nothing to disconnect)."""
    with write(ctx.conn):
        was_paired = auth.extension_state(ctx)["paired_at"] is not None
        removed = store.delete_all(ctx.conn)
        _set_state(ctx, None, next_generation=True)
    return Result({"status": "ok"}, {"codes_removed": removed, "was_paired": was_paired})


def status(ctx: Context) -> Result:
    """`pcrm extension status`: {paired, paired_at, pending_codes, claimed_codes}."""
    state = auth.extension_state(ctx)
    n = store.counts(ctx.conn, ctx.now_iso())
    return Result(
        {
            "paired": state["paired_at"] is not None,
            "paired_at": state["paired_at"],
            "pending_codes": n["pending"],
            "claimed_codes": n["claimed"],
        }
    )
