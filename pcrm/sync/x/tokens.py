"""X's OAuth 2.0 tokens [x-api], kept in the secret store only.

- `exchange_code`: the end of the PKCE flow: the code and verifier for tokens, then `/2/users/me`.
- `SecretTokens`: what `XClient` asks for a token. The access token is refreshed when it expires within 5
  minutes or X refuses it; X rotates refresh tokens, so the new one is stored at once, and the refresh runs
  under an OS file lock (`flock`) on a file in PCRM_HOME (and a thread lock), so two processes never spend
  the same refresh token: the one that waited re-reads the store and uses what the other stored. The OS
  releases the lock when its holder ends, however it ends, so no lock is guessed stale or taken over. A
  refresh X refuses clears the tokens (`Expired`: reconnect with `pcrm auth x`), but only while the store
  still holds the refresh token that was spent: when another process stored new ones meanwhile (a
  reconnect), those are used.
- `StaticTokens`: a fixed token (tests of the adapter alone).
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
from pcrm.sync.base import SourceError, why_unanswered
from pcrm.sync.x.client import HINT, TIMEOUT_S, Expired, _error_text, _http

REFRESH_MARGIN_S = 300  # refresh when the access token expires within 5 minutes
LOCK_WAIT_S = 120.0  # how long a refresh waits for another process's refresh before giving up
# secret names: the refresh token is what makes the source "connected" (domain/sources.py)
REFRESH = "twitter.refresh_token"
ACCESS = "twitter.oauth"  # JSON {access_token, expires_at, user_id, username}

_refresh_lock = threading.Lock()


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
        raise SourceError(
            f"X is not answering: {why_unanswered(exc, TIMEOUT_S)}", hint="try again later"
        ) from None
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
    """An exclusive `flock` on a file in PCRM_HOME, shared by every process of this store. The file stays;
    the lock goes with the descriptor, so a holder that dies releases it too."""
    home = paths.private_dir(paths.home())  # [private-files]
    fd = os.open(home / "x-token-refresh.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if not paths.lock_within(fd, LOCK_WAIT_S):
            raise SourceError("another process is refreshing the X token", hint="try again")
        yield
    finally:
        os.close(fd)  # releases the lock


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
            while True:
                if not token:
                    raise Expired("X is not connected (no refresh token)")
                try:
                    got = _token_request(
                        self.base,
                        self.client_id,
                        self.client_secret,
                        {"grant_type": "refresh_token", "refresh_token": token},
                    )
                    break
                except Expired:
                    stored = secret_store.get(REFRESH)
                    if stored == token:  # the token X refused is still ours: the connection is gone
                        clear_tokens()
                        raise
                # another process stored new tokens while this one was spent: use them
                d = load_access()
                if d.get("access_token") and float(d.get("expires_at") or 0) > time.time() + REFRESH_MARGIN_S:
                    return str(d["access_token"])
                token = stored
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
