"""The Google client [google-sources]: the only module that imports the Google libraries
(googleapiclient, google-auth, google-auth-oauthlib), and only inside the functions that need them.

- `GoogleClient`: what the three adapters (gmail, google_contacts, google_calendar) are built with: the
  connected accounts (email and refresh token each) and the OAuth client. For each account it builds the
  real API services from the bundled discovery documents (no network for discovery) over an
  `AuthorizedHttp`, which refreshes the access token through the same HTTP object. Tests hand in
  `http=` (an httplib2-compatible fake answering Google's URLs): that is the library's real boundary.
- `execute`: runs one API request with the retries Google asks for (429 and 5xx, exponential backoff,
  `Retry-After` honoured; the sleep is `_sleep`, patched by tests) and turns refused tokens into a
  `SourceError` naming `pcrm auth google`.
- The OAuth flows: `authorization_url` / `exchange_code` for the daemon's redirect flow and
  `run_loopback` for `pcrm auth google` (the installed-app loopback flow, which works over SSH port
  forwarding because it only prints the URL).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pcrm.sync.base import SourceError

SCOPES = [
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
    "https://www.googleapis.com/auth/contacts.readonly",
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
]
AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
TOKEN_URI = "https://oauth2.googleapis.com/token"
RETRIES = 5  # attempts of one request on 429 / 5xx
HINT = "connect the account again: pcrm auth google"

_sleep: Callable[[float], None] = time.sleep  # the retry backoff (tests patch it)


@dataclass
class Account:
    """One connected Google account: its email and the services built for it (lazily, once)."""

    email: str
    refresh_token: str
    client_id: str
    client_secret: str
    http: Any = None  # an httplib2.Http (or a test's fake) under the authorized one
    _services: dict[str, Any] = field(default_factory=dict)

    def service(self, name: str, version: str) -> Any:
        key = f"{name}/{version}"
        if key not in self._services:
            self._services[key] = _build(self, name, version)
        return self._services[key]

    def gmail(self) -> Any:
        return self.service("gmail", "v1")

    def people(self) -> Any:
        return self.service("people", "v1")

    def calendar(self) -> Any:
        return self.service("calendar", "v3")


def _build(account: Account, name: str, version: str) -> Any:
    import google_auth_httplib2
    import httplib2
    from googleapiclient.discovery import build

    from google.oauth2.credentials import Credentials

    creds = Credentials(
        token=None,
        refresh_token=account.refresh_token,
        client_id=account.client_id,
        client_secret=account.client_secret,
        token_uri=TOKEN_URI,
        scopes=SCOPES,
    )
    base = account.http if account.http is not None else httplib2.Http(timeout=60)
    authed = google_auth_httplib2.AuthorizedHttp(creds, http=base)
    return build(name, version, http=authed, static_discovery=True, cache_discovery=False)


@dataclass
class GoogleClient:
    """The connected accounts, as the adapters see them. `http`: the transport under every account's
    authorized HTTP (None: a real httplib2.Http per account)."""

    accounts: list[Account]

    @classmethod
    def from_secrets(
        cls, tokens: dict[str, str], client_id: str, client_secret: str, http: Any = None
    ) -> GoogleClient:
        return cls(
            [
                Account(email, token, client_id, client_secret, http)
                for email, token in sorted(tokens.items())
                if token
            ]
        )


def parse_tokens(raw: str | None) -> dict[str, str]:
    """The stored refresh tokens, `{email: refresh_token}` (one secret for every account, so a source is
    connected exactly when at least one account is) [google-sources]."""
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items() if v} if isinstance(data, dict) else {}


def status_of(exc: Exception) -> int | None:
    resp = getattr(exc, "resp", None)
    status = getattr(resp, "status", None)
    return int(status) if status is not None else None


def execute(request: Any, *, account: str, what: str) -> Any:
    """`request.execute()` with Google's retry rules; a refused or revoked token, a missing scope or
    retries running out become a SourceError with the command that fixes it. Other HTTP errors (404 a
    caller handles, 410 an expired sync token) propagate as googleapiclient's HttpError."""
    from googleapiclient.errors import HttpError

    from google.auth.exceptions import RefreshError

    delay = 1.0
    for attempt in range(RETRIES):
        try:
            return request.execute()
        except RefreshError:
            raise SourceError(
                f"Google refused the stored token of {account} (revoked, or expired after 7 days while "
                "the OAuth client is in Testing)",
                hint=HINT,
            ) from None
        except HttpError as exc:
            status = status_of(exc)
            if status == 401:
                raise SourceError(f"Google refused the token of {account} for {what}", hint=HINT) from None
            if status == 403 and _reason(exc) not in ("rateLimitExceeded", "userRateLimitExceeded"):
                raise SourceError(
                    f"Google denied {what} for {account}: {_message(exc)}",
                    hint="grant pcrm every scope it asks for: pcrm auth google",
                ) from None
            if status in (403, 429) or (status is not None and status >= 500):
                if attempt == RETRIES - 1:
                    raise SourceError(
                        f"Google kept refusing {what} for {account} (HTTP {status}) after {RETRIES} tries",
                        hint="Google limits requests per minute: run the sync again later",
                    ) from None
                after = _retry_after(exc)
                _sleep(after if after is not None else delay)
                delay = min(delay * 2, 32.0)
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _error_json(exc: Any) -> dict[str, Any]:
    try:
        data = json.loads(exc.content)
        return data.get("error") or {} if isinstance(data, dict) else {}
    except (ValueError, TypeError, AttributeError):
        return {}


def _reason(exc: Any) -> str:
    err = _error_json(exc)
    errors = err.get("errors") or [{}]
    return str(errors[0].get("reason") or "")


def _message(exc: Any) -> str:
    return str(_error_json(exc).get("message") or f"HTTP {status_of(exc)}")[:200]


def _retry_after(exc: Any) -> float | None:
    value = (getattr(exc, "resp", None) or {}).get("retry-after")
    try:
        return min(float(value), 120.0) if value is not None else None
    except ValueError:
        return None


def pages(
    make: Callable[[str | None], Any], *, account: str, what: str, start: str | None = None
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each page of a paged list call, with the token of the page after it (None after the last)."""
    token = start
    while True:
        page = execute(make(token), account=account, what=what)
        token = page.get("nextPageToken")
        yield page, token
        if not token:
            return


# ---------------------------------------------------------------------------------------- OAuth flows


def client_config(client_id: str, client_secret: str, redirect_uri: str | None = None) -> dict[str, Any]:
    """The OAuth client as google-auth-oauthlib reads it (a Desktop client's downloaded JSON)."""
    conf: dict[str, Any] = {
        "client_id": client_id,
        "client_secret": client_secret,
        "auth_uri": AUTH_URI,
        "token_uri": TOKEN_URI,
    }
    if redirect_uri:
        conf["redirect_uris"] = [redirect_uri]
    return {"installed": conf}


def read_client_file(text: str) -> tuple[str, str]:
    """(client_id, client_secret) from the JSON Google's console downloads for an OAuth client."""
    try:
        data = json.loads(text)
        conf = data.get("installed") or data.get("web") or data
        return str(conf["client_id"]), str(conf["client_secret"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValueError(
            "not an OAuth client file (expected the JSON Google Cloud console downloads for a Desktop client)"
        ) from None


def _flow(client_id: str, client_secret: str, redirect_uri: str, verifier: str | None = None) -> Any:
    from google_auth_oauthlib.flow import Flow

    return Flow.from_client_config(
        client_config(client_id, client_secret, redirect_uri),
        scopes=SCOPES,
        redirect_uri=redirect_uri,
        code_verifier=verifier,
        autogenerate_code_verifier=verifier is None,
    )


def authorization_url(client_id: str, client_secret: str, redirect_uri: str, state: str) -> tuple[str, str]:
    """(the consent URL, the PKCE verifier to keep with the state until the code comes back)."""
    flow = _flow(client_id, client_secret, redirect_uri)
    url, _ = flow.authorization_url(
        access_type="offline", prompt="consent", include_granted_scopes="true", state=state
    )
    return url, str(flow.code_verifier)


def exchange_code(
    client_id: str, client_secret: str, redirect_uri: str, code: str, verifier: str | None
) -> tuple[str, str]:
    """Trade the authorization code for tokens: (the account's email, its refresh token)."""
    flow = _flow(client_id, client_secret, redirect_uri, verifier)
    try:
        flow.fetch_token(code=code)
    except Exception as exc:  # oauthlib raises many kinds; the message says enough
        raise SourceError(f"Google did not accept the authorization code: {exc}", hint=HINT) from None
    return _identity(flow.credentials)


def _identity(creds: Any) -> tuple[str, str]:
    refresh = creds.refresh_token
    if not refresh:
        raise SourceError(
            "Google sent no refresh token",
            hint="remove pcrm's access at https://myaccount.google.com/permissions and connect again",
        )
    email = email_from_id_token(creds.id_token)
    if not email:
        raise SourceError("Google did not say which account this is (no email)", hint=HINT)
    return email, str(refresh)


def email_from_id_token(token: str | None) -> str | None:
    """The `email` claim of the ID token Google's token endpoint returned. It came straight from Google
    over TLS in answer to our own request, so its signature is not checked (OpenID Connect allows this
    for tokens from the token endpoint) and no key needs fetching."""
    if not token:
        return None
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    email = claims.get("email") if isinstance(claims, dict) else None
    return str(email).strip().lower() if email else None


def run_loopback(
    client_id: str, client_secret: str, *, port: int, open_browser: bool, say: Callable[[str], None]
) -> tuple[str, str]:
    """The installed-app loopback flow: print the consent URL, wait for Google's redirect to
    http://localhost:PORT/, trade the code. Over SSH, forward PORT first (ssh -L PORT:localhost:PORT)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_config(client_config(client_id, client_secret), scopes=SCOPES)
    try:
        creds = flow.run_local_server(
            host="localhost",
            port=port,
            open_browser=open_browser,
            authorization_prompt_message="Open this URL in a browser to connect a Google account:\n{url}",
            success_message="pcrm is connected. You may close this window.",
            access_type="offline",
            prompt="consent",
        )
    except OSError as exc:
        raise SourceError(
            f"cannot listen on localhost:{port}: {exc}", hint="pick another port: pcrm auth google --port N"
        ) from None
    say("Google answered; storing the account.")
    return _identity(creds)
