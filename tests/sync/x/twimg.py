"""A fake X image CDN: an HTTPS server on 127.0.0.1 with a self-signed certificate for `pbs.twimg.com` and
`abs.twimg.com`, which the fetcher trusts through SSL_CERT_FILE; every host name resolves to 127.0.0.1
through the fetcher's test seam (`fetch.resolve`) and the test switch lets that address through. So the real
path is taken: the allow-list, the address check, TLS with SNI and the certificate's name checked."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pcrm.sync import fetch

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x01" * 300
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 200
HOSTS = ("pbs.twimg.com", "abs.twimg.com", "evil.example")

Route = tuple[int, dict[str, str], bytes]


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pbs.twimg.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in HOSTS]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cdn.pem", folder / "cdn.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class Cdn:
    """`routes`: path -> (status, headers, body); `seen`: (Host header, path) of every request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, str]] = []

    def url(self, path: str, host: str = "pbs.twimg.com", scheme: str = "https") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def photo(self, path: str, body: bytes = JPEG, status: int = 200, **headers: str) -> str:
        """Serve `body` at `path`; returns the `_normal` URL X would name for it (the path ends in
        `_400x400.ext`, the size pcrm asks for)."""
        self.routes[path] = (status, {"Content-Type": "image/jpeg", **headers}, body)
        return self.url(path.replace("_400x400", "_normal"))


@contextmanager
def cdn(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cdn]:
    cert_file, key_file = _certificate(folder)
    box: list[Cdn] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            me = box[0]
            me.seen.append((str(self.headers.get("Host")).split(":")[0], self.path))
            status, headers, body = me.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    box.append(Cdn(server.server_address[1]))
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)
