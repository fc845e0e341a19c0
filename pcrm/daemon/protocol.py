"""The daemon's HTTP protocol: uvicorn's own (httptools), with one write per response [coalesced-writes].

An ASGI response arrives in two messages, its status line and headers, then its body, and uvicorn writes each
to the socket as it comes: two system calls and two TCP segments for a 1 KB answer, and a client woken twice.
Here what the protocol writes during one turn of the event loop leaves in one write at the end of that turn
(or at once, past FLUSH_AT bytes), so a small answer is one segment.

Imported by `pcrm serve` only (it imports uvicorn).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# what may wait for the end of the loop's turn; more is written at once (a large or streamed body)
FLUSH_AT = 64 * 1024


class CoalescingTransport:
    """An asyncio transport whose writes within one turn of the event loop reach the real one as one write.

    Everything else is the real transport's: closing flushes first, aborting drops what waits (as the real
    transport drops its own buffer), and once the real transport is closing nothing more is written."""

    __slots__ = ("_loop", "_pending", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))  # the caller may reuse a bytearray once write returns
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        """Hand what waits to the real transport (a no-op when nothing waits or it is closing)."""
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending = []
        self._size = 0
        if not self._transport.is_closing():
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
    """uvicorn's httptools protocol writing through a CoalescingTransport. Its flow control keeps the real
    transport, so pausing and resuming writes follow the socket's own buffer."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]
