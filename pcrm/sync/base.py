"""The contract of a live source [sync-engine]: what an adapter under `pcrm/sync/` provides and what the
sync engine (`services/sync.py`) does with it.

An adapter is a class with
- `spec`: its entry in the one list of sources (`domain/sources.py`: name, label, platform, the secrets it
  needs and the command that stores them);
- `capabilities`: what it can bring or do (`contacts`, `interactions`, `bios`, `avatars`, `send`,
  `per_contact`);
- `connect(secrets, settings)`: builds the ready client from the stored secrets (this is where a platform
  library is imported, lazily, in the adapter's own `client.py`); tests skip it and hand a fake client
  to the constructor instead: the client is the seam;
- `fetch(cursor)`: yields `Batch`es, each holding the records of one batch (`domain.records.Records`) and
  the cursor to resume from once that batch is written. `cursor` is what the last committed batch
  returned (None on the first run). A batch is self-contained: an interaction points at a contact record
  of the same batch (or a `Counterpart` to look up), so a source sends the person with their messages.

Adapters never touch the store or the services: they fetch and return records. They may raise
`SourceError` with a hint for the user (an expired token, a rate limit); anything else they raise is
reported as an unexpected failure of that source. `metadata_only` sources and the `metadata_only.<name>`
setting keep no message text; the engine enforces it, adapters may skip fetching the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from pcrm import clock
from pcrm.domain.dates import zone
from pcrm.domain.records import Records
from pcrm.domain.sources import SourceSpec

CAPABILITIES = frozenset({"contacts", "interactions", "bios", "avatars", "send", "per_contact"})


@dataclass
class Batch:
    """One batch of a fetch: written in one transaction together with `cursor`."""

    records: Records
    cursor: str | None  # where the next fetch resumes once this batch is written
    done: int | None = None  # progress after this batch (items of the source's own counting) ...
    total: int | None = None  # ... out of this many, when the source knows
    details: dict[str, Any] = field(default_factory=dict)  # counters the source reports (phases, skips)


class SourceError(Exception):
    """A failure the user can act on: the message and hint are shown as they are. `some_synced`: part of
    the source was synced before or beside the failure (another account), so the run is partial even when
    it had nothing new to write."""

    def __init__(self, message: str, *, hint: str | None = None, some_synced: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.some_synced = some_synced


def why_unanswered(exc: BaseException, timeout: float) -> str:
    """Why an outbound HTTP request got no answer, in words a user can act on, never an exception class name
    [sync-engine]: timed out, connection refused, a TLS failure, a host name that does not resolve, a
    connection closed before the answer. Every outbound request says it this way: syncs, the geocoder,
    Apollo, and the SSRF-safe fetcher of logos and photos (httpx's errors, or http.client's and the OS's
    raised directly); the reason is read from the OS error an httpx error wraps."""
    import http.client
    import socket
    import ssl

    import httpx

    causes = _causes(exc)
    if any(isinstance(c, (httpx.TimeoutException, TimeoutError)) for c in causes):
        return f"timed out (no answer within {timeout:g} s)"
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in causes):
        return "TLS failure: its certificate is not trusted"
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return "TLS failure: no secure connection could be set up"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "the host name does not resolve"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused (nothing accepts connections there)"
    if isinstance(exc, httpx.ConnectError):
        return "no connection could be made"
    closed = (httpx.RemoteProtocolError, ConnectionResetError, http.client.IncompleteRead)
    if any(isinstance(c, closed) for c in causes):
        return "the connection closed before an answer"
    if any(isinstance(c, http.client.HTTPException) for c in causes):
        return "the answer was not valid HTTP"
    return "the connection failed"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during, in order (a cycle ends the walk)."""
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and all(cur is not s for s in seen):
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def each_account(
    accounts: Iterable[Any], fetch_one: Callable[[Any], Iterator[Batch]], *, name: Callable[[Any], str] = str
) -> Iterator[Batch]:
    """The batches of every account in turn, one account's failure contained: the others are still
    synced, and the run then ends with an error naming the accounts that failed (the engine records it as
    partial when any account was synced, even one with nothing new; what was written stays, and the failed
    account resumes from its cursor next time)."""
    failed: list[tuple[str, SourceError]] = []
    accounts = list(accounts)
    for acct in accounts:
        try:
            yield from fetch_one(acct)
        except SourceError as exc:
            failed.append((name(acct), exc))
    if failed:
        first = failed[0][1]
        who = ", ".join(n for n, _ in failed)
        raise SourceError(
            f"{len(failed)} of {len(accounts)} accounts failed ({who}): {first.message}"
            + ("; the others were synced" if len(failed) < len(accounts) else ""),
            hint=first.hint,
            some_synced=len(failed) < len(accounts),
        )


class Source:
    """Base class of the adapters; see the module docstring for the contract."""

    spec: ClassVar[SourceSpec]
    capabilities: ClassVar[frozenset[str]] = frozenset()
    metadata_only: ClassVar[bool] = False  # the source never brings message text

    def __init__(self, client: Any, settings: Mapping[str, Any] | None = None) -> None:
        self.client = client
        self.settings = dict(settings or {})

    @classmethod
    def connect(cls, secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
        """The ready client, built from the stored secrets and the settings."""
        raise NotImplementedError

    @classmethod
    def unready(cls, settings: Mapping[str, Any]) -> SourceError | None:
        """What keeps the connected source from syncing that its stored secrets do not show (a setting it
        needs, such as X's client id), as the error `connect` would raise; None when nothing does."""
        return None

    def fetch(self, cursor: str | None) -> Iterator[Batch]:
        raise NotImplementedError

    def now(self) -> datetime:
        """The clock as the store reads it (Context.now): a pinned time without a zone ($PCRM_NOW, --now)
        in the `timezone` setting the adapter was given, else the system's [pinned-clock]."""
        return clock.now(lambda: zone(self.settings.get("timezone")))
