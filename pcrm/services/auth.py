"""The local account and the credentials the API accepts [local-account].

- One account, created by `register` while none exists (then 409). Passwords are argon2id hashes.
- Web JWTs: HS256, aud=pcrm-web, 24 h (30 days with remember_me). Extension JWTs: aud=pcrm-extension,
  30 days. Tokens without `aud` are refused (PyJWT does so when an audience is required). The signing
  secret lives in the secret store [secret-store] and is created on first use.
- Script tokens (services/tokens.py) count as web tokens and work before any account exists.
- Changing the password invalidates every JWT issued before the change: JWTs carry `pv`, a short
  digest of the password hash they were issued under.
"""

from __future__ import annotations

import os
import secrets as _random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict

from pcrm import paths, secrets
from pcrm.clock import iso
from pcrm.domain.normalize import email, is_email
from pcrm.domain.normalize import email as norm_email
from pcrm.domain.records import Me
from pcrm.errors import BadRequest, Conflict, Forbidden, NotFound, PcrmError, Unauthorized, ValidationError
from pcrm.services import tokens, whatsapp
from pcrm.services.context import Context, Result
from pcrm.store import auth as store
from pcrm.store import settings as sstore
from pcrm.store.backup import auto_backup
from pcrm.store.db import rewrite_file, secure_delete, write

WEB_AUDIENCE = "pcrm-web"
EXTENSION_AUDIENCE = "pcrm-extension"
AUDIENCES = {"web": WEB_AUDIENCE, "extension": EXTENSION_AUDIENCE}
WEB_LIFETIME = timedelta(hours=24)
REMEMBER_LIFETIME = timedelta(days=30)
EXTENSION_LIFETIME = timedelta(days=30)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
JWT_SECRET_NAME = "jwt_secret"
NO_ACCOUNT_HINT = "create it with `pcrm account create EMAIL` (or POST /api/v1/auth/register)"
_CREDENTIALS_HINT = (
    "send `Authorization: Bearer TOKEN`: log in with POST /api/v1/auth/login, "
    "or create a script token with `pcrm token create NAME`"
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: kind is 'web', 'extension' or 'script'; user_id is the account's UUID (None for
    a script token used before any account exists)."""

    kind: str
    user_id: str | None = None
    token_name: str | None = None


def unauthorized(message: str = "could not validate credentials") -> Unauthorized:
    return Unauthorized(message, hint=_CREDENTIALS_HINT)


# -- passwords -----------------------------------------------------------------------------------------------


class _Argon2Params(TypedDict):
    time_cost: int
    memory_cost: int
    parallelism: int


# argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile); tests lower them for speed
ARGON2: _Argon2Params = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher(**ARGON2)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _verify(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return bool(_hasher().verify(hashed, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made with the current parameters: the unknown-email path verifies against it
    [login-limits]."""
    key = repr(sorted(ARGON2.items()))
    if key not in _DUMMY:
        _DUMMY[key] = hash_password(_random.token_urlsafe(16))
    return _DUMMY[key]


class LoginBackoff:
    """Failed logins per account, in the daemon's memory [login-limits]. After FREE failures in a row an
    account's next attempt must wait 2, 4, 8 ... s (at most MAX_WAIT) after the last failure; a success
    clears it. Unknown emails are counted the same way, so the answer never tells them apart."""

    FREE = 5
    MAX_WAIT = 900.0
    FORGET = 3600.0

    def __init__(self, clock: Any = None) -> None:
        import threading
        import time

        self.clock = clock or time.monotonic
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, account: str) -> float:
        """Seconds before `account` may try again (0: now)."""
        with self._lock:
            n, last = self._fails.get(account, (0, 0.0))
            if n < self.FREE:
                return 0.0
            left = last + min(self.MAX_WAIT, 2.0 ** (n - self.FREE + 1)) - self.clock()
            return max(0.0, left)

    def failed(self, account: str) -> None:
        with self._lock:
            now = self.clock()
            n, last = self._fails.get(account, (0, now))
            if now - last > self.FORGET:
                n = 0
            self._fails[account] = (n + 1, now)
            if len(self._fails) > 10_000:  # forget accounts quiet for an hour
                for k in [k for k, (_n, t) in self._fails.items() if now - t > self.FORGET]:
                    del self._fails[k]

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._fails.pop(account, None)


BACKOFF = LoginBackoff()


def _password(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{field} is required", field=field)
    if len(value) < MIN_PASSWORD:
        raise ValidationError(
            f"{field} must be at least {MIN_PASSWORD} characters",
            field=field,
            hint="a longer one: a few unrelated words make a strong one",
        )
    if len(value) > MAX_PASSWORD:
        raise ValidationError(f"{field} must be at most {MAX_PASSWORD} characters", field=field)
    return value


def _email(value: Any) -> str:
    e = email(value) if isinstance(value, str) else None
    if not e or not is_email(e):
        raise ValidationError(
            "email must be an email address",
            field="email",
            hint="the address you log in with, e.g. ada@example.com",
        )
    return e


def _full_name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("full_name must be text", field="full_name")
    v = " ".join(value.split())
    if len(v) > 200:
        raise ValidationError("full_name must be at most 200 characters", field="full_name")
    return v or None


# -- JWTs ----------------------------------------------------------------------------------------------------

_secret_cache: dict[str, str] = {}


def _store_key() -> str:
    # $PCRM_HOME as given (not resolved: this is asked on every request the daemon answers); unset, the
    # platform's folder
    return os.environ.get("PCRM_HOME") or ""


def jwt_secret() -> str:
    """The signing secret, created on first use; cached per store, since a keyring look-up can be slow."""
    key = _store_key()
    cached = _secret_cache.get(key)
    if cached is None:
        cached = secrets.get_or_create(JWT_SECRET_NAME, lambda: _random.token_urlsafe(48))
        _secret_cache[key] = cached
    return cached


def account_exists(ctx: Context) -> bool:
    """Whether the store has its account (login tokens, web or extension, exist only then)."""
    return bool(store.user_count(ctx.conn))


def jwt_secret_known() -> bool:
    """Whether jwt_secret() answers from memory: after an account is deleted it may have to ask the keyring
    or write a new secret, which the daemon does not do on its event loop [inline-reads]."""
    return _store_key() in _secret_cache


EXTENSION_STATE = "_internal.extension"  # {paired_at, generation} [extension-pairing]


def extension_state(ctx: Context) -> dict[str, Any]:
    """The extension's pairing state: when it was last paired (None: not paired, or disconnected) and the
    generation every extension token carries (`eg`); a disconnect moves it on, which retires them all."""
    stored = sstore.get(ctx.conn, EXTENSION_STATE) or {}
    return {"paired_at": stored.get("paired_at"), "generation": int(stored.get("generation") or 0)}


def mint_jwt(
    ctx: Context, user_id: str, *, kind: str = "web", lifetime: timedelta | None = None
) -> dict[str, Any]:
    """A signed JWT for the account: {access_token, token_type, expires_at}. Extension tokens also carry
    the pairing generation (`eg`) [extension-pairing]."""
    import jwt

    now = ctx.now()
    life = lifetime or (EXTENSION_LIFETIME if kind == "extension" else WEB_LIFETIME)
    exp = now + life
    user = store.user_by_uuid(ctx.conn, user_id)
    if user is None:
        raise NotFound("there is no account yet", hint=NO_ACCOUNT_HINT)
    claims = {
        "sub": user_id,
        "aud": AUDIENCES[kind],
        "iat": int(now.timestamp()),
        "exp": int(exp.timestamp()),
        "pv": password_version(user["hashed_password"]),
    }
    if kind == "extension":
        claims["eg"] = extension_state(ctx)["generation"]
    token = jwt.encode(claims, jwt_secret(), algorithm="HS256")
    return {"access_token": token, "token_type": "bearer", "expires_at": iso(exp)}


def password_version(hashed: str) -> str:
    import hashlib

    return hashlib.sha256(hashed.encode()).hexdigest()[:16]


def _decode_jwt(ctx: Context, token: str, kinds: frozenset[str]) -> Principal:
    import jwt

    auds = [AUDIENCES[k] for k in ("web", "extension") if k in kinds]
    if not auds:
        raise unauthorized()
    try:
        claims = jwt.decode(
            token,
            jwt_secret(),
            algorithms=["HS256"],
            audience=auds,
            options={"require": ["exp", "aud", "sub", "iat"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise unauthorized() from None
    # expiry against pcrm's clock (so --now / PCRM_NOW govern it too), no leeway
    if int(claims["exp"]) <= int(ctx.now().timestamp()):
        raise unauthorized("the token has expired")
    user = store.user_by_uuid(ctx.conn, str(claims["sub"]))
    if user is None:
        raise unauthorized()
    if claims.get("pv") != password_version(user["hashed_password"]):
        raise unauthorized("the token was issued before the password changed")
    kind = "web" if claims["aud"] == WEB_AUDIENCE else "extension"
    if kind == "extension" and claims.get("eg", 0) != extension_state(ctx)["generation"]:
        raise unauthorized("the extension was disconnected; pair it again")
    return Principal(kind=kind, user_id=user["id"])


def authenticate(ctx: Context, authorization: str | None, kinds: frozenset[str]) -> Principal:
    """Check an `Authorization` header against the credential kinds a route accepts
    ('web', 'extension', 'script'); 401 otherwise."""
    if not authorization:
        raise unauthorized("this route needs a token")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise unauthorized("the Authorization header must be `Bearer TOKEN`")

    if token.startswith(tokens.SCRIPT_PREFIX):
        if "script" not in kinds:
            raise unauthorized("this route does not accept script tokens")
        row = tokens.verify_script_token(ctx, token)
        if row is None:
            raise unauthorized("unknown or revoked token")
        user = store.the_user(ctx.conn)
        return Principal(kind="script", user_id=user["id"] if user else None, token_name=row["name"])
    if token.count(".") != 2:
        raise unauthorized()
    return _decode_jwt(ctx, token, kinds)


# -- account use cases ---------------------------------------------------------------------------------------


def _telegram(ctx: Context) -> dict[str, Any]:
    from pcrm.services import telegram

    t = telegram.status(ctx)
    return {"telegram_connected": t["connected"], "telegram_username": t["username"]}


def _meta_connected(ctx: Context) -> bool:
    from pcrm.services import meta_push

    return meta_push.connected(ctx)


def _profile(ctx: Context, user: Mapping[str, Any]) -> dict[str, Any]:
    """The GET /auth/me payload [local-account] for what this store knows today."""
    from pcrm.store import google_accounts

    google = google_accounts.all_accounts(ctx.conn)
    return {
        "id": user["id"],
        "email": user["email"],
        "full_name": user["full_name"],
        "created_at": user["created_at"],
        "google_connected": bool(google),
        "google_email": google[0]["email"] if google else None,
        "google_accounts": google,
        **_telegram(ctx),
        "twitter_connected": False,
        "twitter_username": None,
        "whatsapp_connected": (wa := whatsapp.state(ctx))["connected"],
        "whatsapp_phone": wa["phone"],
        "linkedin_extension_paired_at": extension_state(ctx)["paired_at"],
        "meta_connected": _meta_connected(ctx),
        "meta_connected_name": None,
        "meta_sync_facebook": True,
        "meta_sync_instagram": True,
    }


def _require_user(ctx: Context, principal: Principal | None) -> dict[str, Any]:
    """The caller's account. No principal is the CLI, which acts for the store's one account: whoever can
    open the file owns it (and could mint a script token) [local-account]."""
    if principal is None:
        user = store.the_user(ctx.conn)
    else:
        user = store.user_by_uuid(ctx.conn, principal.user_id) if principal.user_id else None
    if user is None:
        raise NotFound("there is no account yet", hint=NO_ACCOUNT_HINT)
    return user


def check_register(ctx: Context, data: Mapping[str, Any]) -> None:
    """What `register` refuses before it looks at the password: a bad email, or a second account. The CLI
    asks this before prompting for a password nobody could use."""
    _email(data.get("email"))
    _full_name(data.get("full_name"))
    if store.user_count(ctx.conn):
        raise Conflict(
            "an account already exists in this store",
            hint="log in with it (POST /api/v1/auth/login); `pcrm account password` changes its password "
            "(pcrm holds one account)",
        )


def register(ctx: Context, data: Mapping[str, Any]) -> Result:
    """POST /auth/register and `pcrm account create`: create the local account, once [local-account].

    A second account is refused before the password is hashed: the hash costs ~0.5 s of CPU on purpose,
    and this route is public, so anyone could make the daemon spend it on an answer known in advance."""
    check_register(ctx, data)
    email = _email(data.get("email"))
    password = _password(data.get("password"), "password")
    full_name = _full_name(data.get("full_name"))
    hashed = hash_password(password)  # outside the write transaction: the lock is not held while it runs
    now = ctx.now_iso()
    with write(ctx.conn):
        check_register(ctx, data)  # again, under the lock: another register may have won meanwhile
        uid = store.insert_user(ctx.conn, email, hashed, full_name, now)
        _remember_me(ctx, [email], [full_name], now)
    from pcrm.services import settings

    ctx.invalidate_settings()
    # the reference's registration answer carries the user's priority settings too (its web UI reads them)
    prefs = {**settings.get_priority(ctx).data, "suggestion_prefs": settings.get_suggestions(ctx).data}
    return Result({**_profile(ctx, store.user_by_uuid(ctx.conn, uid) or {}), "priority_settings": prefs})


def _remember_me(ctx: Context, emails: list[str], names: list[str | None], now: str) -> None:
    """[me-setting]: the `me` setting learns the account's emails and names, old and new (kept after a
    rename, as the user's other names are, until the user removes them); what it lists is kept."""
    stored = sstore.get(ctx.conn, "me")
    me = Me.from_setting(stored).with_account(names, emails).as_setting()
    if me != Me.from_setting(stored).as_setting() or stored is None:
        sstore.put(ctx.conn, "me", me, now)
    ctx.invalidate_settings()


def login(ctx: Context, data: Mapping[str, Any]) -> Result:
    """POST /auth/login: email (or `username`, as the OAuth2 form sends it) and password → a web JWT."""
    ident = data.get("email") or data.get("username")
    password = data.get("password")
    if not ident or not isinstance(ident, str):
        raise ValidationError("email is required", field="email")
    if not password or not isinstance(password, str):
        raise ValidationError("password is required", field="password")
    remember = data.get("remember_me")
    remember = remember is True or (
        isinstance(remember, str) and remember.strip().lower() in ("true", "1", "on")
    )

    account = norm_email(ident) or ident.strip().lower()
    import math

    wait = BACKOFF.wait(account)
    if wait > 0:  # [login-limits]: refused before any hash check, known email or not
        retry = max(1, math.ceil(wait))
        raise PcrmError(
            f"too many failed logins for this account; try again in {retry} s",
            code="rate_limited",
            hint="each further failure doubles the wait; "
            "`pcrm token create NAME` gives a token without logging in",
            details={"retry_after": retry},
        )
    user = store.user_by_email(ctx.conn, norm_email(ident) or "")
    # an unknown email runs the same hash check against a dummy hash, so its answer takes as long
    ok = _verify(user["hashed_password"] if user else _dummy_hash(), password) and user is not None
    if not ok or user is None:
        BACKOFF.failed(account)
        raise Unauthorized(
            "incorrect email or password",
            hint="check both (pcrm holds one local account, made by `pcrm account create EMAIL`)",
        )
    BACKOFF.succeeded(account)
    _maybe_rehash(ctx, user, password)
    return Result(mint_jwt(ctx, user["id"], lifetime=REMEMBER_LIFETIME if remember else WEB_LIFETIME))


def _maybe_rehash(ctx: Context, user: Mapping[str, Any], password: str) -> None:
    if _hasher().check_needs_rehash(user["hashed_password"]):
        with write(ctx.conn):
            store.update_user(
                ctx.conn, user["id"], {"hashed_password": hash_password(password)}, ctx.now_iso()
            )


def me(ctx: Context, principal: Principal | None = None) -> Result:
    """GET /auth/me and `pcrm account show`."""
    return Result(_profile(ctx, _require_user(ctx, principal)))


def update_me(ctx: Context, data: Mapping[str, Any], principal: Principal | None = None) -> Result:
    """PUT /auth/me {full_name}."""
    unknown = sorted(set(data) - {"full_name"})
    if unknown:
        raise ValidationError(f"only full_name can be changed here, not {unknown[0]}", field=unknown[0])
    user = _require_user(ctx, principal)
    if "full_name" in data:
        name = _full_name(data["full_name"])
        now = ctx.now_iso()
        with write(ctx.conn):
            store.update_user(ctx.conn, user["id"], {"full_name": name}, now)
            # the name it had stays one of yours (an export made before the rename still carries it)
            _remember_me(ctx, [user["email"]], [user["full_name"], name], now)
    return Result({"updated": True})


def change_password(ctx: Context, data: Mapping[str, Any], principal: Principal | None = None) -> Result:
    """POST /auth/change-password {current_password, new_password} and `pcrm account password`. Earlier
    JWTs stop working."""
    user = _require_user(ctx, principal)
    current = data.get("current_password")
    if not isinstance(current, str) or not _verify(user["hashed_password"], current):
        raise BadRequest("the current password is wrong", hint="type the password you log in with")
    new = _password(data.get("new_password"), "new_password")
    if new == current:  # [local-account]: no change that would still void every login token
        raise BadRequest(
            "the new password is the one you have now; nothing changed",
            hint="choose a password other than the current one",
        )
    with write(ctx.conn):
        store.update_user(ctx.conn, user["id"], {"hashed_password": hash_password(new)}, ctx.now_iso())
    return Result({"updated": True}, {"note": "log in again: earlier tokens no longer work"})


def delete_me(ctx: Context, data: Mapping[str, Any], principal: Principal | None = None) -> Result:
    """DELETE /auth/me {password}: needs a web login token; backs up, then wipes the store, avatars
    and secrets [local-account] [automatic-backups]."""
    if principal is None or principal.kind != "web":
        raise Forbidden(
            "deleting the account needs a login token, not a script or extension token",
            hint="log in with POST /api/v1/auth/login and use that token",
        )
    user = _require_user(ctx, principal)
    password = data.get("password")
    if password is None or password == "":  # the reference web UI sends {} [local-account]
        raise ValidationError(
            'deleting the account needs its password: send {"password": "..."} as the body; nothing was '
            "deleted",
            field="password",
            kind="missing",
            hint='DELETE /api/v1/auth/me with {"password": "<your account password>"} and a login token; '
            "it backs the store up, then wipes it (the reference web UI's button sends no password)",
        )
    if not isinstance(password, str) or not _verify(user["hashed_password"], password):
        raise BadRequest("the password is wrong", hint='send the account password as {"password": "..."}')

    backup = auto_backup(ctx.conn, reason="before-account-delete")
    # nothing of the deleted data left in the store's file: zeroed as deleted, then the file (and its WAL)
    # written anew; the backup above keeps it all, by design [local-account]
    with secure_delete(ctx.conn), write(ctx.conn):
        counts = store.wipe_all(ctx.conn)
    scrubbed = rewrite_file(ctx.conn)
    ctx.invalidate_settings()
    removed_avatars = paths.remove_pcrm_files("avatars")  # the user's own files in a shared home stay

    try:
        removed_secrets = secrets.wipe()
    except PcrmError:
        removed_secrets = 0
    _secret_cache.clear()
    return Result(
        {"deleted": True, "backup": str(backup)},
        {
            "rows_deleted": sum(counts.values()),
            "avatars_deleted": removed_avatars,
            "secrets_deleted": removed_secrets,
            "file_rewritten": scrubbed,
        },
    )
