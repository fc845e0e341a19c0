"""In-memory sliding-window rate limits (the reference kept them in Redis; one daemon needs no more)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from pcrm.errors import PcrmError


def client_key(host: str | None) -> str:
    """The key a client is limited by [login-limits]: every loopback address (127.0.0.0/8, ::1, and IPv4
    loopback mapped into IPv6) is one client, so rotating the source address inside 127/8 gains nothing."""
    import ipaddress

    if not host:
        return "?"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    mapped = getattr(ip, "ipv4_mapped", None)
    if ip.is_loopback or (mapped is not None and mapped.is_loopback):
        return "loopback"
    return str(ip)


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        what: str = "requests",
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.what = what
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one request for `key`; raise 429 rate_limited when over the limit."""
        now = self.clock()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                retry = max(1, math.ceil(q[0] + self.window - now))
                raise PcrmError(
                    f"too many {self.what}; try again in {retry} s",
                    code="rate_limited",
                    hint=f"at most {self.limit} {self.what} per {int(self.window)} s",
                    details={"retry_after": retry},
                )
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle clients
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[k]


def default_limiters() -> dict[str, RateLimiter]:
    return {
        "login": RateLimiter(10, 60, what="login attempts"),
        "errors": RateLimiter(10, 60, what="error reports"),
    }
