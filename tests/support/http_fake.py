"""A local HTTP server on 127.0.0.1 answering from a dict of routes (favicons, Apollo, the geocoder)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# path -> (status, headers, body) or a function of the request returning that
Route = tuple[int, dict[str, str], bytes] | Callable[[Any], tuple[int, dict[str, str], bytes]]


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(base URL, requests seen: {method, path, headers, body})."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            req = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
            seen.append(req)
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                status, headers, out = 404, {}, b"not found"
            else:
                status, headers, out = route(req) if callable(route) else route
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = _answer
        do_POST = _answer
        do_DELETE = _answer

        def log_message(self, *a: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


def json_answer(obj: Any, status: int = 200) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(obj).encode()


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (bound, then let go): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
