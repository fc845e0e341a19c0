"""The daemon's HTTP protocol [coalesced-writes]: a response leaves in one write, and nothing is lost,
reordered or written after close; on a recording transport and on a real uvicorn server over loopback."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import pytest
import uvicorn

from pcrm.daemon.protocol import FLUSH_AT, CoalescingTransport, HttpProtocol


class Recording:
    """An asyncio transport that records what reaches it (and when it was closing)."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.after_close: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        (self.after_close if self.closed else self.writes).append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = self.closed = True

    def get_write_buffer_size(self) -> int:
        return 7

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default


def _on_a_loop(body: Any) -> Any:
    async def run() -> Any:
        real = Recording()
        return await body(real, CoalescingTransport(real, asyncio.get_running_loop()))  # type: ignore[arg-type]

    return asyncio.run(run())


def test_writes_of_one_turn_reach_the_socket_as_one_write_in_order() -> None:
    async def body(real: Recording, t: CoalescingTransport) -> None:
        buf = bytearray(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(buf)
        buf[:] = b"reused by the caller"  # what was written is already kept
        t.write(b"")
        t.write(memoryview(b'{"data": 1}'))
        assert real.writes == [] and t.get_write_buffer_size() == 7 + 30
        await asyncio.sleep(0)
        assert real.writes == [b'HTTP/1.1 200 OK\r\n\r\n{"data": 1}']
        t.writelines([b"a", b"b"])
        await asyncio.sleep(0)
        assert real.writes[1:] == [b"ab"]
        await asyncio.sleep(0)
        assert len(real.writes) == 2  # nothing more: the later turn had nothing to flush

    _on_a_loop(body)


def test_a_large_chunk_is_written_at_once_after_what_waits_not_joined() -> None:
    async def body(real: Recording, t: CoalescingTransport) -> None:
        t.write(b"head")
        t.write(b"x" * FLUSH_AT)
        assert real.writes == [b"head", b"x" * FLUSH_AT]
        t.write(b"a" * (FLUSH_AT // 2))
        t.write(b"b" * (FLUSH_AT // 2))  # together they reach the limit: written at once, as one
        assert real.writes[2:] == [b"a" * (FLUSH_AT // 2) + b"b" * (FLUSH_AT // 2)]
        t.write(b"tail")
        await asyncio.sleep(0)
        assert real.writes[3:] == [b"tail"]

    _on_a_loop(body)


def test_close_flushes_first_abort_drops_and_a_closing_socket_gets_writes_at_once() -> None:
    async def body(real: Recording, t: CoalescingTransport) -> None:
        t.write(b"last words")
        t.close()
        assert real.writes == [b"last words"] and real.closed
        t.write(b"late")  # straight through: a closing socket still sends until the connection is lost
        assert real.after_close == [b"late"]
        await asyncio.sleep(0)
        assert real.writes == [b"last words"] and real.after_close == [b"late"]
        assert t.get_extra_info("peername") == ("127.0.0.1", 1)  # the rest is the real transport's

    _on_a_loop(body)

    async def aborted(real: Recording, t: CoalescingTransport) -> None:
        t.write(b"dropped")
        t.abort()
        await asyncio.sleep(0)
        assert real.writes == [] and real.after_close == [] and real.aborted

    _on_a_loop(aborted)


# -- a real server -------------------------------------------------------------------------------------------

WRITES: list[int] = []  # the real transport's write calls, per connection


class Spy:
    def __init__(self, transport: Any) -> None:
        self._t = transport
        self.n = len(WRITES)
        WRITES.append(0)

    def write(self, data: bytes) -> None:
        WRITES[self.n] += 1
        self._t.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._t, name)


class Counted(HttpProtocol):
    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(Spy(transport))


BIG = b"0123456789" * 30_000  # 300 KB, streamed in 3 chunks


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await receive()
    if scope["path"] == "/big":
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"300000")]}
        )
        for i in range(3):
            await send(
                {
                    "type": "http.response.body",
                    "body": BIG[i * 100_000 : (i + 1) * 100_000],
                    "more_body": i < 2,
                }
            )
        return
    body = scope["path"].encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def server() -> Any:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, http=Counted, lifespan="off", log_config=None, access_log=False
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    yield port
    srv.should_exit = True
    thread.join(10)


def _read_response(f: Any) -> tuple[bytes, bytes]:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = f.read(1)
        assert byte, f"the connection closed before an answer (after {head!r})"
        head += byte
    length = int(
        next(
            line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
    )
    return head, f.read(length)


def test_a_real_server_answers_each_small_request_in_one_write_and_streams_a_large_body(server: int) -> None:
    WRITES.clear()
    with socket.create_connection(("127.0.0.1", server), timeout=10) as s, s.makefile("rb") as f:
        for path in ("/one", "/two"):
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head, body = _read_response(f)
            assert head.startswith(b"HTTP/1.1 200") and body == path.encode()
        assert WRITES == [2]  # one write per response (uvicorn's own protocol makes two)
        # two requests at once on the connection (pipelined): both answered, in order
        s.sendall(b"GET /three HTTP/1.1\r\nHost: x\r\n\r\nGET /four HTTP/1.1\r\nHost: x\r\n\r\n")
        assert [_read_response(f)[1] for _ in range(2)] == [b"/three", b"/four"]
        s.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        head, body = _read_response(f)
        assert body == BIG
        s.sendall(b"GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert _read_response(f)[1] == b"/bye"
        assert f.read() == b""  # closed after its answer was flushed


def test_a_client_that_half_closes_after_its_request_gets_the_answer(server: int) -> None:
    """`printf 'GET ...' | nc`: the request, then the client's end of file at once; the event loop closes the
    socket, and what the answer had written must still leave."""
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server), timeout=3) as s, s.makefile("rb") as f:
            s.sendall(b"GET /half HTTP/1.1\r\nHost: x\r\n\r\n")
            s.shutdown(socket.SHUT_WR)
            head, body = _read_response(f)
            assert head.startswith(b"HTTP/1.1 200") and body == b"/half"
