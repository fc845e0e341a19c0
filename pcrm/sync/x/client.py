"""The X API v2 client [x-api]: the only module that talks to X (httpx, imported lazily).

- `XClient`: one connected account. Every request carries the OAuth 2.0 user access token its `Tokens`
  hands out; a 401 asks `Tokens` for a fresh one once and repeats the request. A 429 becomes
  `RateLimited` with the seconds until `x-rate-limit-reset` (the engine closes the source's gate for that
  long); a 400 becomes `BadRequestAnswer` (the DM sync's stale-cursor retry catches it); other failures a
  `SourceError` a user can read.
- The tokens (the secret store, refresh with rotation under a lock, the code exchange) are in `tokens.py`;
  the start of the OAuth 2.0 PKCE flow and the CLI's redirect receiver in `oauth.py`.

The base URL is the `twitter.api_url` setting (PCRM_X_API_URL overrides it), so tests point the real
code at a fake X API on 127.0.0.1.
"""

from __future__ import annotations

import os
import time
from typing import Any

from pcrm import secrets as secret_store
from pcrm.sync.base import SourceError, why_unanswered

DEFAULT_API = "https://api.x.com"
TIMEOUT_S = 20.0
HINT = "connect X again: pcrm auth x"
USER_FIELDS = "username,name,description,location,profile_image_url"
TWEET_FIELDS = "id,created_at,author_id,text,conversation_id,in_reply_to_user_id,referenced_tweets"
# what every DM listing asks for: messages only, with the people in them
DM_PARAMS: dict[str, Any] = {
    "dm_event.fields": "id,created_at,sender_id,text,dm_conversation_id,participant_ids,event_type",
    "event_types": "MessageCreate",
    "max_results": 100,
    "expansions": "sender_id,participant_ids",
    "user.fields": USER_FIELDS,
}


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
                    f"X is not answering: {why_unanswered(exc, self.timeout)}",
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
        params: dict[str, Any] = dict(DM_PARAMS)
        if since_id:
            params["since_id"] = since_id
        if token:
            params["pagination_token"] = token
        return self.get("/2/dm_events", params)

    def conversation_events(self, participant_id: str, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = dict(DM_PARAMS)
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


def no_client_id(settings: Any) -> SourceError | None:
    """The error of a connection that cannot sync for want of the app's client id (the tokens are
    refreshed with it), or None when it is set."""
    if client_credentials(settings)[0]:
        return None
    return SourceError(
        "the X OAuth client id is not configured",
        hint="pcrm settings set twitter.client_id ID (or PCRM_X_CLIENT_ID); README: Connect X",
    )


def connect(settings: Any) -> XClient:
    """The client of the connected account, from the secret store and the settings."""
    missing = no_client_id(settings)
    if missing is not None:
        raise missing
    cid, secret = client_credentials(settings)
    assert cid is not None
    from pcrm.sync.x.tokens import REFRESH, SecretTokens

    if not secret_store.get(REFRESH):
        raise Expired("X is not connected")
    base = api_url(settings)
    return XClient(base, SecretTokens(base, cid, secret))
