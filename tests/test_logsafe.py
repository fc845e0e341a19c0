"""The daemon's batched log handler [lean-path] [safe-logs]: lines keep their order and escaping, and none is
lost: WARNING and above are written at once, the rest by the next flush or on close."""

from __future__ import annotations

import io
import logging

from pcrm import logsafe


def _logger(handler: logging.Handler) -> logging.Logger:
    lg = logging.getLogger("pcrm.test-buffered")
    lg.handlers[:] = [handler]
    lg.setLevel("INFO")
    lg.propagate = False
    return lg


def test_info_lines_wait_for_a_flush_and_keep_their_order() -> None:
    buf = io.StringIO()
    h = logsafe.buffered_handler(buf, interval=3600)  # the thread never flushes during the test
    lg = _logger(h)
    lg.info("GET /a 200")
    lg.info("GET /b\nforged 200")
    assert buf.getvalue() == ""  # batched: nothing written per line
    h.flush()
    lines = buf.getvalue().splitlines()
    assert [ln.split(": ", 1)[1] for ln in lines] == ["GET /a 200", "GET /b\\x0aforged 200"]
    h.close()


def test_warnings_are_written_at_once_with_what_came_before() -> None:
    buf = io.StringIO()
    h = logsafe.buffered_handler(buf, interval=3600)
    lg = _logger(h)
    lg.info("first")
    lg.error("broken")
    assert [ln.split(": ", 1)[1] for ln in buf.getvalue().splitlines()] == ["first", "broken"]
    h.close()


def test_close_writes_what_is_pending() -> None:
    buf = io.StringIO()
    h = logsafe.buffered_handler(buf, interval=3600)
    _logger(h).info("last words")
    h.close()
    assert buf.getvalue().endswith(": last words\n")


def test_the_thread_flushes_on_its_own() -> None:
    import threading

    written = threading.Event()

    class Stream(io.StringIO):
        def flush(self) -> None:
            if self.getvalue():
                written.set()

    h = logsafe.buffered_handler(Stream(), interval=0.01)
    _logger(h).info("soon")
    assert written.wait(10)
    h.close()
