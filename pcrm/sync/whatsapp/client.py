"""The sidecar's local HTTP API [whatsapp-sidecar]: the only module that talks to it (httpx, imported lazily).

The sidecar (Node, whatsapp-web.js) holds one WhatsApp Web session per user id and answers
- `POST /sessions/{id}/start` -> 202 `{status, qr}` (it waits up to 2 s for a QR);
- `GET /sessions/{id}/qr` -> `{qr, status}` (404 for an unknown session);
- `GET /sessions/{id}/status` -> `{userId, status}`;
- `POST /sessions/{id}/backfill {daysBack, batchSize}` -> 202 (the messages come later, by webhook);
- `GET /sessions/{id}/contacts`;
- `DELETE /sessions/{id}`.
Failures become `SidecarError`s a user can read: the sidecar not running (`down`), or an answer it should not
give (`bad_answer`), never an exception class.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from pcrm.sync.base import SourceError, why_unanswered

DEFAULT_URL = "http://127.0.0.1:3001"
TIMEOUT_S = 10.0  # start waits up to 2 s for a QR; backfill answers at once
STATUSES = ("initializing", "qr_pending", "authenticated", "connected", "disconnected")
HINT_DOWN = "start the WhatsApp sidecar, or point pcrm at it: pcrm settings set whatsapp.sidecar_url URL"


class SidecarError(SourceError):
    """The sidecar could not be reached (`down`) or answered something unexpected (`bad_answer`)."""

    def __init__(self, message: str, *, kind: Literal["down", "bad_answer"], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind


class Sidecar:
    """One session (`session`) at the sidecar at `url`. `transport` is the tests' seam (an httpx
    transport); by default real HTTP."""

    def __init__(self, url: str, session: str, *, transport: Any = None, timeout: float = TIMEOUT_S) -> None:
        import httpx

        self.url = url.rstrip("/")
        self.session = session
        self.timeout = timeout
        self._http = httpx.Client(base_url=self.url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Sidecar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, tail: str = "", body: dict[str, Any] | None = None) -> tuple[int, Any]:
        import httpx

        path = f"/sessions/{quote(self.session, safe='')}{tail}"
        try:
            r = self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise SidecarError(
                f"the WhatsApp sidecar at {self.url} is not answering: {why_unanswered(exc, self.timeout)}",
                kind="down",
                hint=HINT_DOWN,
            ) from None
        try:
            data = r.json() if r.content else None
        except ValueError:
            data = None
        if r.status_code >= 500:
            raise SidecarError(
                f"the WhatsApp sidecar failed ({r.status_code} on {method} {path})", kind="bad_answer"
            )
        return r.status_code, data

    @staticmethod
    def _status(data: Any) -> str:
        s = data.get("status") if isinstance(data, dict) else None
        return s if isinstance(s, str) and s else "disconnected"

    @staticmethod
    def _qr(data: Any) -> str | None:
        q = data.get("qr") if isinstance(data, dict) else None
        return q if isinstance(q, str) and q else None

    def start(self) -> dict[str, Any]:
        """Start (or resume) the session: `{status, qr}`; qr is None once linked."""
        code, data = self._call("POST", "/start")
        if code >= 400:
            raise SidecarError(f"the WhatsApp sidecar refused to start a session ({code})", kind="bad_answer")
        return {"status": self._status(data), "qr": self._qr(data)}

    def qr(self) -> dict[str, Any]:
        """The current QR: `{status, qr}`; an unknown session is disconnected with no QR."""
        code, data = self._call("GET", "/qr")
        if code == 404:
            return {"status": "disconnected", "qr": None}
        if code >= 400:
            raise SidecarError(f"the WhatsApp sidecar answered {code} for the QR", kind="bad_answer")
        return {"status": self._status(data), "qr": self._qr(data)}

    def status(self) -> str:
        """The session's status (an unknown session is `disconnected`)."""
        code, data = self._call("GET", "/status")
        if code == 404:
            return "disconnected"
        if code >= 400:
            raise SidecarError(f"the WhatsApp sidecar answered {code} for the status", kind="bad_answer")
        return self._status(data)

    def backfill(self, days_back: int = 30, batch_size: int = 50) -> None:
        """Ask for the last `days_back` days; the sidecar sends them as `backfill_batch` webhooks."""
        code, _ = self._call("POST", "/backfill", {"daysBack": days_back, "batchSize": batch_size})
        if code >= 400:
            raise SidecarError(
                f"the WhatsApp sidecar refused the backfill ({code})",
                kind="bad_answer",
                hint="link WhatsApp first: pcrm auth whatsapp connect",
            )

    def contacts(self) -> list[dict[str, Any]]:
        """The session's address book as the sidecar lists it (a list, or `{contacts: [...]}`)."""
        code, data = self._call("GET", "/contacts")
        if code >= 400:
            raise SidecarError(f"the WhatsApp sidecar answered {code} for the contacts", kind="bad_answer")
        if isinstance(data, dict):
            data = data.get("contacts")
        return [c for c in data if isinstance(c, dict)] if isinstance(data, list) else []

    def destroy(self) -> None:
        """End the session at the sidecar (an unknown one is already gone)."""
        self._call("DELETE")
