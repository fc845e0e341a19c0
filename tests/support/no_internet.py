"""What the suite puts in place of the socket calls that reach other machines (conftest's `_no_internet`):
only this machine's addresses and names get through; the rest fails at once, the way it fails offline."""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

_REAL_GETADDRINFO = socket.getaddrinfo
_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class InternetBlocked(OSError):
    """A test tried to reach another machine."""


def _text(host: Any) -> str:
    return (host.decode() if isinstance(host, bytes) else str(host)).strip("[]").split("%", 1)[0]


def _address(host: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(_text(host))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def local(host: Any) -> bool:
    """Whether `host` (a name or an address) is this machine."""
    if host is None or _text(host).lower() in {"", *_LOCAL_NAMES}:
        return True
    ip = _address(host)
    return ip is not None and (ip.is_loopback or ip.is_unspecified)


def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    """Names of this machine and addresses (which need no look-up; `connect` judges them) only."""
    if not local(host) and _address(host) is None:
        raise socket.gaierror(socket.EAI_NONAME, f"tests never resolve {host!r}: they stay on this machine")
    return _REAL_GETADDRINFO(host, *args, **kwargs)


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not local(address[0]):
        raise InternetBlocked(errno.ENETUNREACH, f"tests never connect to {address[0]}: only to 127.0.0.1")


def connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _REAL_CONNECT(self, address)


def connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return int(_REAL_CONNECT_EX(self, address))
