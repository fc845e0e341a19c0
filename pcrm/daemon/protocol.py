"""The daemon's HTTP protocol: uvicorn's own (httptools), with one write per response [coalesced-writes].

An ASGI response arrives in two messages, its status line and headers, then its body, and uvicorn writes each
to the socket as it comes: two system calls and two TCP segments for a 1 KB answer, and a client woken twice.
Here what the protocol writes is held until the response is complete (or the end of the event loop's turn, for
a response still streaming, or FLUSH_AT bytes), so a small answer is one write and one segment.

Imported by `pcrm serve` only (it imports uvicorn).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# what may wait for the end of the loop's turn; more is written at once (a large or streamed body)
FLUSH_AT = 64 * 1024


class CoalescingTransport:
    """An asyncio transport whose writes reach the real one as one write: at the end of a response
    (HttpProtocol), at the end of the event loop's turn, or at once past FLUSH_AT bytes.

    Everything else is the real transport's. Closing flushes first; aborting drops what waits (as the real
    transport drops its own buffer). Once the real transport is closing (the client half-closed, say) writes
    go straight to it, which sends them until the connection is lost, as it would without this wrapper."""

    __slots__ = ("_loop", "_pending", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        chunk = bytes(data)  # the caller may reuse a bytearray once write returns
        if not chunk:
            return
        if self._transport.is_closing() or len(chunk) >= FLUSH_AT:
            self.flush()  # what waits goes first; a large chunk is not copied into a joined buffer
            self._transport.write(chunk)
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(chunk)
        self._size += len(chunk)
        if self._size >= FLUSH_AT:
            self.flush()

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        """Hand what waits to the real transport (a no-op when nothing waits)."""
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending = []
        self._size = 0
        self._transport.write(data)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending = []
        self._size = 0
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading, ...
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing through a CoalescingTransport: a complete response is flushed as
    it completes; what the client's end of file closes is flushed before. Its flow control keeps the real
    transport, so pausing and resuming writes follow the socket's own buffer."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()

    def eof_received(self) -> None:
        # the event loop closes the real transport next (uvicorn keeps nothing open): what waits goes first
        self.transport.flush()  # type: ignore[attr-defined]
        super().eof_received()
