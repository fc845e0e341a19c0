"""The daemon's batched log handler [lean-path] [safe-logs]: lines keep their order and escaping, and none is
lost: WARNING and above are written at once, the rest by the next flush or on close."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

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


def test_a_line_log_writes_what_logging_would_and_defers_to_logging_otherwise(caplog: Any) -> None:
    """LineLog formats the access line itself only where the line ends in one plain BufferedHandler, and then
    byte for byte as logging would (timestamp, level, name, escaped message); with a filter, a second handler
    (pytest's caplog) or another format the line goes through logging."""
    buf = io.StringIO()
    h = logsafe.buffered_handler(buf, interval=3600)
    lg = _logger(h)
    fast = logsafe.LineLog(lg.name)
    assert fast._handler() is h
    fast.info("%s %s %s %.1fms", "GET", "/a\nforged", 200, 1.25)
    lg.info("%s %s %s %.1fms", "GET", "/a\nforged", 200, 1.25)
    h.flush()
    ours, theirs = buf.getvalue().splitlines()
    stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
    assert stamp.match(ours) and stamp.match(theirs)
    assert stamp.sub("", ours) == stamp.sub("", theirs) == f"INFO {lg.name}: GET /a\\x0aforged 200 1.2ms"
    assert abs(_when(ours) - _when(theirs)) < 1.0

    lg.setLevel("WARNING")
    fast.info("not logged")
    lg.setLevel("INFO")
    lg.addFilter(lambda r: True)
    assert fast._handler() is None
    lg.filters.clear()
    h.setFormatter(logsafe.SafeFormatter("%(message)s"))
    assert fast._handler() is None
    h.setFormatter(logsafe.SafeFormatter(logsafe.FORMAT))
    lg.propagate = True  # the root logger has caplog's handler: two handlers now
    with caplog.at_level(logging.INFO, logger=lg.name):
        assert fast._handler() is None
        fast.info("through %s", "logging")
    assert [r.getMessage() for r in caplog.records] == ["through logging"]
    h.flush()
    assert "not logged" not in buf.getvalue() and buf.getvalue().endswith(": through logging\n")
    lg.propagate = False
    h.close()


def _when(line: str) -> float:
    import datetime

    return datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
