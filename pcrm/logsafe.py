"""Log lines that say what happened and nothing more [safe-logs]: control characters in anything logged
(a request path with `%0a` in it, a frontend error report, a contact's name in a job's message) are
written as escapes, so no input can forge or split a log line or send terminal escape sequences; and
anything shaped like a secret (pcrm's tokens, a JWT, an Authorization header's credentials, a
`password=` value) is replaced by `[redacted]` [log-redaction], whatever logged it."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any, TextIO

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators and bidi overrides
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


REDACTED = "[redacted]"

# names whose value is a secret, in `name=value`, `name: value`, `"name": "value"` or `'name': 'value'`;
# matched by their end, so access_token, client_secret, x-api-key and db_password are names too
_SECRET_NAMES = (
    r"(?:password|passwd|passphrase|pwd|token|secret(?:[_-]?key)?|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|api[_-]?hash|auth[_-]?code|session[_-]?id|signature|credentials?|cookie)"
)
_SECRETS = re.compile(
    "|".join(
        (
            # pcrm's own tokens, whatever the kind: pcrm_tok_, pcrm_cal_, pcrm_mcp_ and any later prefix
            # (case-sensitive, its random part with a capital or a digit: PCRM_STOP_GRACE_SECONDS=120 and the
            # SQL function pcrm_umlaut_spelling are no tokens)
            r"(?P<pcrm>(?-i:\bpcrm_[a-z]{2,10}_(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]+))",
            # a JWT (the web UI's and the extension's tokens): base64url '{"' header, payload, signature
            r"(?P<jwt>(?-i:\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*))",
            # third-party key shapes pcrm holds: Google OAuth tokens and API keys, AI keys, Meta (WhatsApp)
            (
                r"(?P<third>(?-i:\b(?:ya29\.[A-Za-z0-9_-]{10,}|AIza[A-Za-z0-9_-]{30,}|sk-[A-Za-z0-9_-]{16,}"
                r"|EAA[A-Za-z0-9]{30,})))"
            ),
            # an Authorization header's credentials: "Bearer X", "Basic X", "Authorization: <scheme> X"
            (
                r"(?P<scheme>(?>\b(?:bearer|basic)\s+|authorization['\"]?\s*[:=]\s*['\"]?(?:[a-z]+\s+)?))"
                r"(?P<cred>[A-Za-z0-9._~+/=:-]{6,})"
            ),
            # user:password@ in a URL
            r"(?P<userinfo>://[^\s/:@]*:)(?!\[redacted\])(?P<pw>[^\s/@]+)(?=@)",
            # name=value / name: value / 'name': 'value' / "name": "value"
            rf"(?P<name>{_SECRET_NAMES}['\"]?\s*[:=]\s*['\"]?)(?!\[redacted\])(?P<value>[^\s'\"&,;}}\]\)]+)",
        )
    ),
    re.IGNORECASE,
)


def _redact(m: re.Match[str]) -> str:
    for lead in ("scheme", "userinfo", "name"):
        if m.group(lead) is not None:
            return m.group(lead) + REDACTED
    return REDACTED


def _may_hold_secret(text: str) -> bool:
    """False when no pattern of _SECRETS can match: each needs one of these (lower-cased) bits. A
    tenth of the search's cost on an access-log line, which has none of them [lean-path]."""
    t = text.lower()
    return (
        "=" in t
        or ":" in t
        or "pcrm_" in t
        or "eyj" in t
        or "bearer" in t
        or "basic" in t
        or "ya29." in t
        or "aiza" in t
        or "sk-" in t
        or "eaa" in t
    )


def redact(text: str) -> str:
    """`text` with everything shaped like a secret replaced by [redacted] [log-redaction]."""
    return _SECRETS.sub(_redact, text) if _may_hold_secret(text) else text


def clean(text: str) -> str:
    """What a log line may say of `text`: secrets redacted, control characters escaped."""
    return escape(redact(text))


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
        record.message = clean(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:
        text = super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join(clean(line) for line in text.split("\n"))

    def formatStack(self, stack_info: str) -> str:
        return "\n".join(clean(line) for line in stack_info.split("\n"))


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
        h.queue(f"{self._stamp},{ns // 1_000_000:03d} INFO {lg.name}: {clean(fmt % args)}")

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


def _redacting(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it when a handler formats the record
            return record
        safe = redact(message)
        if safe != message:
            record.msg, record.args = safe, ()
        return record

    make.pcrm_redacts = True  # type: ignore[attr-defined]
    return make


def install() -> None:
    """Every LogRecord made in this process is redacted when it is made [log-redaction], so no handler
    (the daemon's stderr, a test's capture, a library's own) is given a secret: a handler-level filter
    would leave out any handler pcrm did not add. Idempotent."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "pcrm_redacts", False):
        logging.setLogRecordFactory(_redacting(current))


install()
