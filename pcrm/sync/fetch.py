"""Downloads from addresses that contact data names (organization websites, favicons) under the SSRF rules
[safe-fetch]: http and https only; the host's every address must be public (private, loopback, link-local,
multicast, reserved and unspecified addresses are refused), and the connection goes to the address that was
checked, so a second DNS answer cannot swap in another; redirects are never followed; a body over the size
limit and a download over the time limit are cut off and refused.

Tests serve pages from 127.0.0.1, which the rules refuse; `PCRM_TEST_ALLOW_ADDRESSES` (a comma-separated
list of addresses) lets them through, and only when `PCRM_ENABLE_TEST_SOURCES=1` is set too, as for the test
sources [source-registry]. `resolve` is the seam for tests of hostnames that resolve to private addresses.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from pcrm.sync.base import why_unanswered

MAX_BYTES = 1_000_000
TIMEOUT = 10.0
ALLOW_ENV = "PCRM_TEST_ALLOW_ADDRESSES"


class FetchRefused(Exception):
    """The URL, its address or its answer broke a rule; nothing was kept."""


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (the test seam)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchRefused(f"{host} does not resolve") from e
    return list(dict.fromkeys(str(i[4][0]) for i in infos))


def _allowed_for_tests() -> set[str]:
    if os.environ.get("PCRM_ENABLE_TEST_SOURCES") != "1":
        return set()
    return {a.strip() for a in os.environ.get(ALLOW_ENV, "").split(",") if a.strip()}


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def checked_address(host: str, port: int) -> str:
    """The address to connect to, after every address of the host passed the rules."""
    allowed = _allowed_for_tests()
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        addresses = resolve(host, port)
    if not addresses:
        raise FetchRefused(f"{host} does not resolve")
    for a in addresses:
        if a not in allowed and not public(a):
            raise FetchRefused(f"{host} resolves to a non-public address ({a})")
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the host's name for SNI and the certificate check."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def get(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT) -> Answer:
    """GET under the rules above; raises FetchRefused (a redirect, a refused address, too big, too slow,
    a network error)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"only http and https URLs are fetched, not {url[:100]!r}")
    if parts.username or parts.password:
        raise FetchRefused("URLs with credentials are not fetched")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(host, port)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = _PinnedHTTPS(host, address, port, timeout)
    else:
        conn = http.client.HTTPConnection(address, port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + timeout
    try:
        conn.request("GET", path, headers={"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": "pcrm"})
        resp = conn.getresponse()
        if 300 <= resp.status < 400:
            raise FetchRefused(f"{url[:100]} redirects; redirects are not followed")
        length = resp.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchRefused(f"{url[:100]} is larger than {max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise FetchRefused(f"{url[:100]} took longer than {timeout:g} s")
            chunk = resp.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchRefused(f"{url[:100]} is larger than {max_bytes} bytes")
            chunks.append(chunk)
        return Answer(resp.status, (resp.getheader("Content-Type") or "").lower(), b"".join(chunks))
    except (OSError, http.client.HTTPException) as e:
        raise FetchRefused(f"{url[:100]} could not be fetched: {why_unanswered(e, timeout)}") from e
    finally:
        conn.close()
