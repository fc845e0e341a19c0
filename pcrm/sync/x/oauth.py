"""The start of X's OAuth 2.0 PKCE flow [x-api] and the CLI's ways to receive its end: the authorization URL
(S256 challenge, scopes `tweet.read users.read dm.read offline.access`), a one-shot receiver on a
localhost port, and the redirect URL pasted back by hand (for a browser on another machine)."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets as pyrandom
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from pcrm.sync.base import SourceError

AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
SCOPES = ("tweet.read", "users.read", "dm.read", "offline.access")
CALLBACK_PATH = "/callback"
DONE_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>pcrm</title><p>pcrm received X's answer. "
    b"You can close this tab and return to the terminal.</p>"
)


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = pyrandom.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization_url(client_id: str, redirect_uri: str, state: str, challenge: str) -> str:
    q = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    base = os.environ.get("PCRM_X_AUTHORIZE_URL", "").strip() or AUTHORIZE_URL  # tests and mirrors
    return f"{base}?{urlencode(q)}"


def redirect_uri(port: int) -> str:
    """The callback URL to register in the X developer portal (the same for the CLI and the daemon)."""
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def parse_redirect(url: str) -> dict[str, str]:
    """{code, state, error} of the URL X redirected the browser to (pasted back by the user)."""
    q = parse_qs(urlsplit(url.strip()).query)
    return {k: q[k][0] for k in ("code", "state", "error") if q.get(k)}


def wait_for_redirect(port: int, timeout: float = 300.0) -> dict[str, str]:
    """Serve one request on 127.0.0.1:`port` (the redirect from X) and return its {code, state, error}."""
    got: dict[str, str] = {}
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:  # the code is in the query string: never logged
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != CALLBACK_PATH:
                self.send_response(404)
                self.end_headers()
                return
            got.update(parse_redirect(self.path))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(DONE_PAGE)))
            self.end_headers()
            self.wfile.write(DONE_PAGE)
            done.set()

    try:
        server = HTTPServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise SourceError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror})",
            hint="pick another port: pcrm auth x --port N",
        ) from None
    server.timeout = 0.5
    try:
        waited = 0.0
        while not done.is_set() and waited < timeout:
            server.handle_request()
            waited += server.timeout
    finally:
        server.server_close()
    if not done.is_set():
        raise SourceError("X did not redirect back in time", hint="run pcrm auth x again")
    return got
