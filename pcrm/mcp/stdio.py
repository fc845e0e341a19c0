"""`pcrm mcp`'s stdin and stdout, relayed so that the end of input waits for the answers [mcp-server].

The SDK ends its session as soon as stdin closes and cancels the requests still running, answering each
"Connection closed": `printf '...initialize...\\n...tools/call...\\n' | pcrm mcp` lost the answer to its
tool call. pcrm sits between the real stdin/stdout and the SDK instead: the SDK's fd 0 and fd 1 become
pipes, and two threads copy each line across, noting the id of each request read and of each answer
written. When the real stdin ends, the SDK's stdin is closed only once every request read has its answer
on the real stdout, or after `DRAIN_SECONDS` (the SDK then answers what is left "Connection closed", as
before). A request the client cancels (`notifications/cancelled`) gets no answer and is not waited for.
A line that is no JSON-RPC message (not JSON, a batch, a method that is no string) the SDK drops without
a word; the relay answers it instead, with the JSON-RPC error `/mcp` gives such a body (pcrm/mcp/wire.py),
and a request sent before the handshake (initialize) the SDK answered "Invalid request parameters": the
relay says to begin with the handshake.

Only the file descriptors change, not the SDK: it reads fd 0 and writes fd 1 as it always does, and
reads each line with its own parser, as the relay does to note ids, so both see the same messages.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from mcp_types import (
    PROTOCOL_VERSION_META_KEY,
    JSONRPCError,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    jsonrpc_message_adapter,
)

from pcrm.mcp import wire

DRAIN_SECONDS = 30.0
"""How long requests still running when stdin ends may take to answer before the server stops."""

# written by pcrm after the SDK has stopped, to end the stdout relay: the SDK writes JSON, which never
# holds a raw NUL byte, and keeps its copy of the pipe open, so the relay never sees the pipe's end
_END = b"\x00pcrm-mcp-end\n"

log = logging.getLogger(__name__)


def _request_key(value: Any) -> str | None:
    # ids are compared as text: 7 and "7" are one id to the drain, which at worst waits for both
    return None if value is None else str(value)


class _Pending:
    """The requests read from the client and not yet answered on its stdout."""

    def __init__(self) -> None:
        self._ids: Counter[str] = Counter()
        self._changed = threading.Condition()

    def asked(self, key: str) -> None:
        with self._changed:
            self._ids[key] += 1

    def settled(self, key: str) -> None:
        with self._changed:
            if self._ids[key] > 0:
                self._ids[key] -= 1
            if self._ids[key] <= 0:
                del self._ids[key]
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> int:
        """Wait until no request is pending or `timeout` passes; the number still pending."""
        with self._changed:
            self._changed.wait_for(lambda: not self._ids, timeout)
            return sum(self._ids.values())


def _parsed(line: bytes) -> Any:
    try:
        return jsonrpc_message_adapter.validate_json(line, by_name=False)
    except ValueError:  # the SDK answers nothing to what it cannot read either
        return None


def _note_inbound(message: Any, pending: _Pending) -> None:
    if isinstance(message, JSONRPCRequest):
        key = _request_key(message.id)
        if key is not None:
            pending.asked(key)
    elif isinstance(message, JSONRPCNotification) and message.method == "notifications/cancelled":
        key = _request_key((message.params or {}).get("requestId"))
        if key is not None:  # a cancelled request is never answered
            pending.settled(key)


def _opens(message: Any) -> bool:
    """Whether the SDK opens the session for requests on reading `message`: an initialize request, a
    notifications/initialized sent without one, or a request of the MCP revision that has no handshake
    (its params' `_meta` names the protocol version; the SDK serves such a client from its first request)."""
    if isinstance(message, JSONRPCRequest):
        meta = (message.params or {}).get("_meta")
        return message.method == "initialize" or (
            isinstance(meta, dict) and PROTOCOL_VERSION_META_KEY in meta
        )
    return isinstance(message, JSONRPCNotification) and message.method == "notifications/initialized"


def _note_outbound(line: bytes, pending: _Pending) -> None:
    message = _parsed(line)
    if isinstance(message, JSONRPCResponse | JSONRPCError):
        key = _request_key(message.id)
        if key is not None:
            pending.settled(key)


class _ClientOut:
    """The client's stdout, written line by line by both relays (an answer of the SDK's, or pcrm's own
    refusal of a line the SDK cannot read)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._open = True

    def write(self, line: bytes) -> None:
        with self._lock:
            if not self._open:
                return
            try:
                self._stream.write(line)
                self._stream.flush()
            except (OSError, ValueError):  # the client stopped reading: the answers have nowhere to go
                self._open = False

    def close(self) -> None:
        """Write nothing more (the descriptor is about to be closed)."""
        with self._lock:
            self._open = False


def _relay_in(
    client: IO[bytes], sdk: IO[bytes], out: _ClientOut, pending: _Pending, drain_seconds: float
) -> None:
    """Client's stdin -> the SDK's, then, at its end, close the SDK's once the answers are out. A line
    that is no JSON-RPC message is answered here, in pcrm's words: the SDK drops it without a word. So is
    a request sent before the handshake opened the session, which the SDK answered "Invalid request
    parameters"."""
    opened = False  # an initialize request (or a bare notifications/initialized) was handed on
    try:
        for chunk in iter(client.readline, b""):
            # split as the SDK reads its stdin (universal newlines: a bare CR ends a line too), and each
            # line handed on with its newline: a last line without one would wait in the SDK for the end of
            # input, which comes only once its own answer is out
            for line in chunk.splitlines():
                if not line.strip():
                    continue
                refused = wire.refusal(line, unit="line", what="line")
                message = _parsed(line) if refused is None else None
                opened = opened or _opens(message)
                if refused is None and not opened and isinstance(message, JSONRPCRequest):
                    refused = wire.before_handshake(message.method, message.id)
                if refused is not None:
                    out.write(refused.body() + b"\n")
                    continue
                _note_inbound(message, pending)
                sdk.write(line + b"\n")
            sdk.flush()
        left = pending.wait_idle(drain_seconds)
        if left:
            requests = "1 request" if left == 1 else f"{left} requests"
            log.warning(
                "stdin closed; %s still running after %g s ended unanswered or answered 'Connection closed'",
                requests,
                drain_seconds,
            )
    except (OSError, ValueError):  # the SDK stopped reading (it exited): nothing more to hand it
        pass
    finally:
        with contextlib.suppress(OSError, ValueError):
            sdk.close()


def _relay_out(sdk: IO[bytes], out: _ClientOut, pending: _Pending) -> None:
    """The SDK's stdout -> the client's, noting each answer once it is written, until pcrm's end mark."""
    for line in iter(sdk.readline, b""):
        if line == _END:
            break
        out.write(line)
        _note_outbound(line, pending)


@contextlib.contextmanager
def relayed(drain_seconds: float = DRAIN_SECONDS) -> Iterator[None]:
    """Within: fd 0 and fd 1 are pipes to the real stdin and stdout, relayed as the module says. On the
    way out, everything the server wrote has reached the real stdout, fd 1 is the real stdout again and
    fd 0 reads /dev/null (the real stdin is the relay's, which may still be blocked reading it)."""
    try:
        wire_in, wire_out = os.dup(0), os.dup(1)
    except OSError:  # no stdin or stdout to relay: the SDK meets them as they are
        yield
        return
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    os.dup2(in_r, 0)
    os.dup2(out_w, 1)
    os.close(in_r)
    pending = _Pending()
    out = _ClientOut(os.fdopen(wire_out, "wb", closefd=False))
    # daemon threads: the stdin relay may block on a client that never closes, which must not keep the
    # process alive once the server has stopped (on an error, or Ctrl-C)
    inbound = threading.Thread(
        target=_relay_in,
        args=(os.fdopen(wire_in, "rb"), os.fdopen(in_w, "wb"), out, pending, drain_seconds),
        name="pcrm-mcp-stdin",
        daemon=True,
    )
    outbound = threading.Thread(
        target=_relay_out,
        args=(os.fdopen(out_r, "rb"), out, pending),
        name="pcrm-mcp-stdout",
        daemon=True,
    )
    inbound.start()
    outbound.start()
    try:
        yield
    finally:
        # the SDK has returned, so each of its writes is in the pipe already, before this mark; written from
        # a thread of its own, since a client that reads nothing could leave the pipe full for ever
        ender = threading.Thread(target=_write_end, args=(out_w,), name="pcrm-mcp-end", daemon=True)
        ender.start()
        outbound.join(timeout=60)  # a safety net: the mark arrives right after the last answer
        os.dup2(wire_out, 1)
        if not ender.is_alive():
            os.close(out_w)
        if not outbound.is_alive():
            out.close()
            os.close(wire_out)
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)


def _write_end(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.write(fd, _END)
