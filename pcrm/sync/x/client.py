"""The X API v2 client [x-api]: the only module that talks to X (httpx, imported lazily).

- `XClient`: one connected account. Every request carries the OAuth 2.0 user access token its `Tokens`
  hands out; a 401 asks `Tokens` for a fresh one once and repeats the request. A 429 becomes
  `RateLimited` with the seconds until `x-rate-limit-reset` (the engine closes the source's gate for that
  long); a 400 becomes `BadRequestAnswer` (the DM sync's stale-cursor retry catches it); other failures a
  `SourceError` a user can read.
- `SecretTokens`: the tokens in the secret store. The access token is refreshed when it expires within 5
  minutes or X refuses it; X rotates refresh tokens, so the new one is stored at once, and the refresh runs
  under a lock file in PCRM_HOME (and a thread lock), so two processes never spend the same refresh token:
  the one that waited re-reads the store and uses what the other stored.
- `exchange_code`: the end of the OAuth 2.0 PKCE flow (its start and the loopback receiver are in
  `oauth.py`).

The base URL is the `twitter.api_url` setting (PCRM_X_API_URL overrides it), so tests point the real
code at a fake X API on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from pcrm import paths
from pcrm import secrets as secret_store
from pcrm.sync.base import SourceError

DEFAULT_API = "https://api.x.com"
TIMEOUT_S = 20.0
REFRESH_MARGIN_S = 300  # refresh when the access token expires within 5 minutes
LOCK_STALE_S = 30.0  # a lock file older than this was left by a process that died
HINT = "connect X again: pcrm auth x"
USER_FIELDS = "username,name,description,location,profile_image_url"
TWEET_FIELDS = "id,created_at,author_id,text,conversation_id,in_reply_to_user_id,referenced_tweets"

# secret names: the refresh token is what makes the source "connected" (domain/sources.py)
REFRESH = "twitter.refresh_token"
ACCESS = "twitter.oauth"  # JSON {access_token, expires_at, user_id, username}

_refresh_lock = threading.Lock()


class RateLimited(SourceError):
    """X answered 429: wait `retry_after` seconds (from `x-rate-limit-reset`) before asking again."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            f"X rate limit: please wait {self.retry_after} s",
            hint=f"pcrm resumes where it stopped; run the sync again after {self.retry_after} s",
        )


class BadRequestAnswer(SourceError):
    """X answered 400 (for a DM request with a since_id: a cursor X no longer knows)."""


class Expired(SourceError):
    """The connection is gone: no refresh token, or X refused it (the tokens were cleared)."""

    def __init__(self, message: str = "the X connection expired") -> None:
        super().__init__(message, hint=HINT)


def api_url(settings: Any = None) -> str:
    env = os.environ.get("PCRM_X_API_URL", "").strip()
    if env:
        return env.rstrip("/")
    value = (settings or {}).get("twitter.api_url") if settings is not None else None
    return str(value or DEFAULT_API).rstrip("/")


def client_credentials(settings: Any = None) -> tuple[str | None, str | None]:
    """The OAuth client id (setting twitter.client_id or PCRM_X_CLIENT_ID) and optional secret
    (PCRM_X_CLIENT_SECRET or the secret twitter.client_secret)."""
    cid = os.environ.get("PCRM_X_CLIENT_ID", "").strip() or (settings or {}).get("twitter.client_id")
    secret = os.environ.get("PCRM_X_CLIENT_SECRET", "").strip() or secret_store.get("twitter.client_secret")
    return (str(cid) if cid else None), (secret or None)


def _http(timeout: float = TIMEOUT_S) -> Any:
    import httpx

    return httpx.Client(timeout=timeout, headers={"User-Agent": "pcrm"})


def _retry_after(headers: Any) -> int:
    reset = headers.get("x-rate-limit-reset")
    if reset and str(reset).isdigit():
        return int(reset) - int(time.time())
    after = headers.get("retry-after")
    return int(after) if after and str(after).isdigit() else 900  # X's windows are 15 minutes


def _error_text(r: Any) -> str:
    try:
        d = r.json()
    except ValueError:
        return f"HTTP {r.status_code}"
    if isinstance(d, dict):
        for k in ("error_description", "detail", "title", "error"):
            if isinstance(d.get(k), str):
                return str(d[k])[:200]
        errs = d.get("errors")
        if isinstance(errs, list) and errs and isinstance(errs[0], dict):
            return str(errs[0].get("message") or errs[0].get("detail") or "")[:200]
    return f"HTTP {r.status_code}"


# ------------------------------------------------------------------------------------------ OAuth


def _token_request(
    base: str, client_id: str, client_secret: str | None, form: dict[str, str]
) -> dict[str, Any]:
    import httpx

    form = {**form, "client_id": client_id}
    auth = (client_id, client_secret) if client_secret else None
    try:
        with _http() as http:
            r = http.post(f"{base}/2/oauth2/token", data=form, auth=auth)
    except httpx.HTTPError as exc:
        raise SourceError(f"X is not answering ({type(exc).__name__})", hint="try again later") from None
    if r.status_code in (400, 401):
        raise Expired(f"X refused the token request: {_error_text(r)}")
    if r.status_code >= 300:
        raise SourceError(f"X token request failed: {_error_text(r)}", hint="try again later")
    d = r.json()
    if not isinstance(d, dict) or not d.get("access_token"):
        raise SourceError("X answered the token request without a token", hint=HINT)
    return d


def _expiry(d: dict[str, Any]) -> float:
    return time.time() + float(d.get("expires_in") or 7200)


def me(base: str, access_token: str) -> dict[str, str]:
    """/2/users/me: {id, username, name}."""
    with _http() as http:
        r = http.get(f"{base}/2/users/me", headers={"Authorization": f"Bearer {access_token}"})
    if r.status_code >= 300:
        raise SourceError(f"X did not say who is connected: {_error_text(r)}", hint=HINT)
    data = r.json().get("data") or {}
    return {
        "id": str(data.get("id") or ""),
        "username": str(data.get("username") or ""),
        "name": data.get("name") or "",
    }


def exchange_code(
    base: str, client_id: str, client_secret: str | None, code: str, redirect_uri: str, verifier: str
) -> dict[str, Any]:
    """Trade the authorization code for tokens, ask who it is and store everything; returns the user."""
    d = _token_request(
        base,
        client_id,
        client_secret,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
    )
    user = me(base, d["access_token"])
    if not d.get("refresh_token"):
        raise SourceError("X gave no refresh token (the offline.access scope is missing)", hint=HINT)
    save_tokens(d["access_token"], d["refresh_token"], _expiry(d), user)
    return user


def save_tokens(access: str, refresh: str, expires_at: float, user: dict[str, Any] | None = None) -> None:
    old = load_access()
    who = user or {"id": old.get("user_id"), "username": old.get("username")}
    secret_store.put(REFRESH, refresh)
    secret_store.put(
        ACCESS,
        json.dumps(
            {
                "access_token": access,
                "expires_at": expires_at,
                "user_id": who.get("id"),
                "username": who.get("username"),
            }
        ),
    )


def load_access() -> dict[str, Any]:
    raw = secret_store.get(ACCESS)
    try:
        d = json.loads(raw) if raw else {}
    except ValueError:
        d = {}
    return d if isinstance(d, dict) else {}


def clear_tokens() -> None:
    for name in (REFRESH, ACCESS):
        secret_store.delete(name)


@contextlib.contextmanager
def _file_lock() -> Iterator[None]:
    """A lock file in PCRM_HOME shared by every process of this store (O_EXCL; a stale one is taken over)."""
    path = paths.home() / "x-token-refresh.lock"
    deadline = time.monotonic() + LOCK_STALE_S + 5
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > LOCK_STALE_S:
                    path.unlink()
                    continue
            if time.monotonic() > deadline:
                raise SourceError("another process is refreshing the X token", hint="try again") from None
            time.sleep(0.1)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


class SecretTokens:
    """The tokens in the secret store, refreshed with rotation under a lock (see the module docstring)."""

    def __init__(self, base: str, client_id: str, client_secret: str | None) -> None:
        self.base, self.client_id, self.client_secret = base, client_id, client_secret
        self.refreshes = 0  # how many token requests this object made (tests)

    def user_id(self) -> str:
        return str(load_access().get("user_id") or "")

    def access(self) -> str:
        d = load_access()
        if d.get("access_token") and float(d.get("expires_at") or 0) > time.time() + REFRESH_MARGIN_S:
            return str(d["access_token"])
        return self.refresh(str(d.get("access_token") or ""))

    def refresh(self, stale: str) -> str:
        """A fresh access token; `stale` is the one X refused (or that expired): when another thread or
        process stored a newer one while we waited for the lock, that one is used."""
        with _refresh_lock, _file_lock():
            d = load_access()
            current = str(d.get("access_token") or "")
            if (
                current
                and current != stale
                and float(d.get("expires_at") or 0) > time.time() + REFRESH_MARGIN_S
            ):
                return current
            token = secret_store.get(REFRESH)
            if not token:
                raise Expired("X is not connected (no refresh token)")
            try:
                got = _token_request(
                    self.base,
                    self.client_id,
                    self.client_secret,
                    {"grant_type": "refresh_token", "refresh_token": token},
                )
            except Expired:
                clear_tokens()
                raise
            self.refreshes += 1
            # X rotates refresh tokens: the new one is stored before anything else can fail
            save_tokens(got["access_token"], got.get("refresh_token") or token, _expiry(got))
            return str(got["access_token"])


class StaticTokens:
    """A fixed token (tests of the adapter alone, and scripts)."""

    def __init__(self, token: str, user_id: str) -> None:
        self.token, self._user = token, user_id

    def user_id(self) -> str:
        return self._user

    def access(self) -> str:
        return self.token

    def refresh(self, stale: str) -> str:
        return self.token


# ------------------------------------------------------------------------------------------ the API


class XClient:
    """One connected X account over API v2."""

    def __init__(self, base: str, tokens: Any, *, timeout: float = TIMEOUT_S) -> None:
        self.base = base.rstrip("/")
        self.tokens = tokens
        self.timeout = timeout
        self._conn: Any = None  # the httpx client, opened on the first request (again after close)
        self.requests = 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def user_id(self) -> str:
        uid = self.tokens.user_id()
        if not uid:
            uid = self.get("/2/users/me").get("data", {}).get("id", "")
        return str(uid)

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        import httpx

        token = self.tokens.access()
        for attempt in (0, 1):
            self.requests += 1
            try:
                if self._conn is None:
                    self._conn = _http(self.timeout)
                r = self._conn.get(
                    self.base + path, params=params, headers={"Authorization": f"Bearer {token}"}
                )
            except httpx.HTTPError as exc:
                raise SourceError(
                    f"X is not answering ({type(exc).__name__})",
                    hint="check the connection; run the sync again",
                ) from None
            if r.status_code == 401 and attempt == 0:
                token = self.tokens.refresh(token)
                continue
            break
        if r.status_code == 429:
            raise RateLimited(_retry_after(r.headers))
        if r.status_code == 400:
            raise BadRequestAnswer(f"X refused the request: {_error_text(r)}", hint="run the sync again")
        if r.status_code == 401:
            raise Expired("X refused the access token")
        if r.status_code >= 300:
            raise SourceError(
                f"X failed ({r.status_code} on {path}): {_error_text(r)}", hint="run the sync again later"
            )
        try:
            d = r.json()
        except ValueError:
            raise SourceError(
                f"X answered {path} with something that is not JSON", hint="run the sync again later"
            ) from None
        return d if isinstance(d, dict) else {}

    # one method per endpoint

    def dm_events(self, since_id: str | None, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "dm_event.fields": "id,created_at,sender_id,text,dm_conversation_id,participant_ids,event_type",
            "event_types": "MessageCreate",
            "max_results": 100,
            "expansions": "sender_id,participant_ids",
            "user.fields": USER_FIELDS,
        }
        if since_id:
            params["since_id"] = since_id
        if token:
            params["pagination_token"] = token
        return self.get("/2/dm_events", params)

    def conversation_events(self, participant_id: str, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "dm_event.fields": "id,created_at,sender_id,text,dm_conversation_id,participant_ids,event_type",
            "event_types": "MessageCreate",
            "max_results": 100,
            "expansions": "sender_id,participant_ids",
            "user.fields": USER_FIELDS,
        }
        if token:
            params["pagination_token"] = token
        return self.get(f"/2/dm_conversations/with/{participant_id}/dm_events", params)

    def _timeline(self, path: str, since_id: str | None, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id,in_reply_to_user_id",
            "user.fields": USER_FIELDS,
        }
        if since_id:
            params["since_id"] = since_id
        if token:
            params["pagination_token"] = token
        return self.get(path, params)

    def mentions(self, user_id: str, since_id: str | None, token: str | None) -> dict[str, Any]:
        return self._timeline(f"/2/users/{user_id}/mentions", since_id, token)

    def tweets(self, user_id: str, since_id: str | None, token: str | None) -> dict[str, Any]:
        return self._timeline(f"/2/users/{user_id}/tweets", since_id, token)

    def users(self, ids: list[str]) -> list[dict[str, Any]]:
        """Profiles of up to 100 users by id (unknown ids are left out)."""
        if not ids:
            return []
        d = self.get("/2/users", {"ids": ",".join(ids[:100]), "user.fields": USER_FIELDS})
        return [u for u in d.get("data") or [] if isinstance(u, dict)]

    def users_by_name(self, names: list[str]) -> list[dict[str, Any]]:
        """Profiles of up to 100 users by username."""
        if not names:
            return []
        d = self.get("/2/users/by", {"usernames": ",".join(names[:100]), "user.fields": USER_FIELDS})
        return [u for u in d.get("data") or [] if isinstance(u, dict)]


def connect(settings: Any) -> XClient:
    """The client of the connected account, from the secret store and the settings."""
    cid, secret = client_credentials(settings)
    if not cid:
        raise SourceError(
            "the X OAuth client id is not configured",
            hint="pcrm settings set twitter.client_id ID (or PCRM_X_CLIENT_ID); README: Connect X",
        )
    if not secret_store.get(REFRESH):
        raise Expired("X is not connected")
    base = api_url(settings)
    return XClient(base, SecretTokens(base, cid, secret))
