"""Log lines that say what happened and nothing more [safe-logs]: control characters in anything logged
(a request path with `%0a` in it, a frontend error report, a contact's name in a job's message) are
written as escapes, so no input can forge or split a log line or send terminal escape sequences."""

from __future__ import annotations

import logging
import re
import time
from typing import TextIO

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators and bidi overrides
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape(text: str) -> str:
    """`text` with every control character written as \\xNN or \\uNNNN."""
    return _CONTROL.sub(_escape, text)


class SafeFormatter(logging.Formatter):
    """A Formatter whose message is escaped whole; a traceback keeps its own line breaks (each of its
    lines escaped), since those come from the code, not the input."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:
        text = super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join(escape(line) for line in text.split("\n"))

    def formatStack(self, stack_info: str) -> str:
        return "\n".join(escape(line) for line in stack_info.split("\n"))


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def handler(stream: TextIO) -> logging.Handler:
    """A stream handler writing escaped lines in pcrm's format."""
    h = logging.StreamHandler(stream)
    h.setFormatter(SafeFormatter(FORMAT))
    return h


class BufferedHandler(logging.StreamHandler):
    """A stream handler that writes its lines in batches [lean-path]: a busy daemon logs a line per request,
    and a write (a system call that lets go of the GIL, then waits for it back) per line stalled the event
    loop. Lines are written by a small thread every `interval` seconds, at once for WARNING and above (an
    error is seen when it happens), and on close."""

    def __init__(self, stream: TextIO, interval: float = 0.2) -> None:
        super().__init__(stream)
        self.interval = interval
        self._pending: list[str] = []
        import threading

        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="pcrm-log", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except Exception:
            self.handleError(record)
            return
        self._pending.append(line)  # list.append is atomic: no lock on the request path (flush never
        # replaces the list, so a line appended while it writes is kept for the next batch)
        if record.levelno >= logging.WARNING:
            self.flush()

    def queue(self, line: str) -> None:
        """A formatted INFO line (LineLog), queued as emit queues one."""
        self._pending.append(line + self.terminator)

    def flush(self) -> None:
        self.acquire()
        try:
            n = len(self._pending)
            if n:
                lines = self._pending[:n]
                del self._pending[:n]
                self.stream.write("".join(lines))
            if hasattr(self.stream, "flush"):
                self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stream: lost, as StreamHandler's would be
            return
        finally:
            self.release()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            if self._pending:
                self.flush()

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        self.flush()
        super().close()


class LineLog:
    """`info(fmt, *args)` of one logger, for a line per request [lean-path]: when the line would end in one
    BufferedHandler in pcrm's format (no filter, no other handler on the way), it is formatted here as that
    handler would and queued, without a LogRecord (~13 us a line through logging, a twentieth of a by-id
    request); otherwise, or once logging is set up differently, it goes through `logging` as usual."""

    def __init__(self, name: str) -> None:
        self.logger = logging.getLogger(name)
        self._second = -1
        self._stamp = ""

    def info(self, fmt: str, *args: object) -> None:
        lg = self.logger
        if not lg.isEnabledFor(logging.INFO):
            return
        h = self._handler()
        if h is None:
            lg.info(fmt, *args)
            return
        second, ns = divmod(time.time_ns(), 1_000_000_000)  # integers: no float rounding of the milliseconds
        if second != self._second:  # logging.Formatter.formatTime's text, made once a second
            self._second, self._stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        h.queue(f"{self._stamp},{ns // 1_000_000:03d} INFO {lg.name}: {escape(fmt % args)}")

    def _handler(self) -> BufferedHandler | None:
        """The one handler this logger's INFO lines reach, when it is a plain BufferedHandler in FORMAT."""
        found: list[logging.Handler] = []
        lg: logging.Logger | None = self.logger
        while lg is not None:
            if lg.filters:
                return None
            found += lg.handlers
            if not lg.propagate:
                break
            lg = lg.parent
        if len(found) != 1:
            return None
        h = found[0]
        if (
            type(h) is not BufferedHandler
            or h.filters
            or h.level > logging.INFO
            or type(h.formatter) is not SafeFormatter
            or h.formatter._fmt != FORMAT
            or h.formatter.datefmt is not None
        ):
            return None
        return h


def buffered_handler(stream: TextIO, interval: float = 0.2) -> logging.Handler:
    """A BufferedHandler writing escaped lines in pcrm's format."""
    h = BufferedHandler(stream, interval)
    h.setFormatter(SafeFormatter(FORMAT))
    return h
