"""The suite never reaches the internet (conftest's `_no_internet`): other machines fail at once, this one
answers. Only documentation addresses and reserved names are tried, so nothing leaves even without it."""

from __future__ import annotations

import http.client
import socket

import pytest

from pcrm.sync import fetch
from tests.support.http_fake import serve
from tests.support.no_internet import InternetBlocked


def test_other_machines_are_out_of_reach() -> None:
    with pytest.raises(socket.gaierror, match="never resolve"):
        socket.getaddrinfo("example.invalid", 443)
    for address in (("192.0.2.1", 80), ("2001:db8::1", 443)):
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family) as s, pytest.raises(InternetBlocked):
            s.connect(address)
        with socket.socket(family) as s, pytest.raises(InternetBlocked):
            s.connect_ex(address)
    conn = http.client.HTTPConnection("192.0.2.1", 80, timeout=1)
    with pytest.raises(InternetBlocked):
        conn.request("GET", "/")
    conn.close()
    with pytest.raises(fetch.FetchRefused, match="does not resolve"):
        fetch.get("https://www.example.com/favicon.ico")


def test_this_machine_answers() -> None:
    with serve({"/": (200, {}, b"here")}) as (base, seen):
        port = int(base.rsplit(":", 1)[1])
        for host in ("127.0.0.1", "localhost"):
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/")
            assert conn.getresponse().read() == b"here"
            conn.close()
    assert len(seen) == 2
