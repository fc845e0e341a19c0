"""Log injection: `%0a` in a request path forged access-log lines. Everything the daemon (and the MCP
server) logs has its control characters escaped [safe-logs]. Secrets in what the daemon logs: a frontend
error report carried a live script token in its message and a web JWT in its stack, and both were
written to the daemon's log in clear; every log record is now redacted when it is made [log-redaction],
so neither the daemon's stderr nor any other handler (pytest's caplog here) is given a secret."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest

from pcrm import logsafe
from pcrm.logsafe import escape
from tests.support.api import bearer, script_token, web_token

pytestmark = pytest.mark.anyio


def test_escape_leaves_no_control_characters() -> None:
    evil = "a\nb\rc\x1b[31md\x00e\x85f\u2028g\u202eh\ti"
    out = escape(evil)
    assert out.isprintable() and "\\x0a" in out and "\\x1b" in out and "\\u202e" in out
    assert escape("Zoë Ω 名前") == "Zoë Ω 名前"


@pytest.fixture(params=[False, True], ids=["stream", "buffered"])
def daemon_log(monkeypatch: pytest.MonkeyPatch, request: Any) -> Any:
    """The daemon's own logging set-up, writing into a buffer; restored afterwards. Both handlers: `pcrm
    serve` batches its lines, and its access lines are then formatted without logging (logsafe.LineLog)."""
    from pcrm.daemon import server

    buf = io.StringIO()
    monkeypatch.setattr("sys.stderr", buf)
    saved = {
        n: (lg.handlers[:], lg.level, lg.propagate)
        for n in ("pcrm", "uvicorn.error")
        for lg in [logging.getLogger(n)]
    }
    for flag in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):  # process-wide: put back
        monkeypatch.setattr(logging, flag, getattr(logging, flag))
    server._configure_logging("info", buffered=request.param)
    yield Flushed(buf)
    logging.getLogger("pcrm").handlers[0].close()
    for n, (handlers, level, propagate) in saved.items():
        lg = logging.getLogger(n)
        lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate


class Flushed:
    """The buffer, read after the handler has written what it holds."""

    def __init__(self, buf: io.StringIO) -> None:
        self.buf = buf

    def getvalue(self) -> str:
        logging.getLogger("pcrm").handlers[0].flush()
        return self.buf.getvalue()

    def alone(self) -> None:
        """Only the daemon's handler, as in `pcrm serve`: pytest adds its capture handlers to the logger
        when the test starts (with them, every line goes through logging)."""
        from pcrm.api import lean, middleware
        from pcrm.logsafe import BufferedHandler

        lg = logging.getLogger("pcrm")
        lg.handlers[:] = lg.handlers[:1]
        if isinstance(lg.handlers[0], BufferedHandler):  # access lines now skip logging: that path is tested
            assert lean.access_log._handler() is middleware.access_log._handler() is lg.handlers[0]


async def test_a_newline_in_the_path_cannot_forge_an_access_log_line(
    client: Any, daemon_log: Flushed
) -> None:
    daemon_log.alone()
    await client.get("/api/health%0a2026-01-01 00:00:00,000 INFO pcrm.access: GET /api/v1/admin 200 1.0ms x")
    await client.post(
        "/api/v1/errors", json={"message": "boom\r\nINFO pcrm.access: forged", "url": "http://127.0.0.1/x"}
    )
    lines = daemon_log.getvalue().splitlines()
    assert len(lines) == 3, lines  # two access lines and the frontend report, nothing forged
    assert all(line[:4].isdigit() for line in lines)
    assert "\\x0a2026-01-01" in lines[0]


async def test_no_secret_of_a_frontend_error_report_reaches_the_log(
    client: Any, account: dict[str, Any], daemon_log: Flushed, caplog: pytest.LogCaptureFixture
) -> None:
    from pcrm.services import tokens
    from tests.support.api import ctx

    script = script_token("qa")
    with ctx() as c:
        calendar = tokens.create_script_token(c, "feed", calendar=True).data["token"]
        mcp = tokens.mcp_key_create(c).data["key"]
    jwt = web_token(account["id"])
    basic = "QWxhZGRpbjpvcGVuc2VzYW1l"
    secrets = [script, calendar, mcp, jwt, "hunter2-pw", "s3cr3t-value", basic, "k3y-v4lue"]
    report = {
        "message": f"fetch failed Authorization: Bearer {script}",
        "url": f"http://127.0.0.1/calendar.ics?token={calendar}",
        "stack": f"Error at token={jwt}\n  at login (password=hunter2-pw&next=/)",
        "source": f"app.js {mcp}",
        "component": f"Basic {basic} with client_secret: s3cr3t-value and {{'api_key': 'k3y-v4lue'}}",
    }
    with caplog.at_level(logging.INFO):
        r = await client.post("/api/v1/errors", json=report, headers=bearer(jwt))
        await client.get(f"/api/v1/{script}")  # a token in a path: the access line
        logging.getLogger("pcrm.sync").warning("refresh failed: %s", {"access_token": jwt})
    assert r.status_code == 200
    written = daemon_log.getvalue()
    assert "frontend error" in written and "frontend error" in caplog.text
    assert "fetch failed Authorization: Bearer [redacted]" in written
    for secret in secrets:
        assert secret not in written, secret
        assert secret not in caplog.text, secret
    for record in caplog.records:
        assert not any(s in record.getMessage() for s in secrets)


def test_redact_keeps_what_is_not_a_secret() -> None:
    """Words that name a secret without giving one stay as they are."""
    for text in (
        "GET /api/v1/contacts/0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e 200 1.2ms 9f3a2b1c",
        "job google-sync failed: token expired, run pcrm auth google",
        "the password was changed",
        "tokens: 3",
        "run `PCRM_STOP_GRACE_SECONDS=120 pcrm daemon install` to give the service 135 s",
        "pcrm_fold and pcrm_umlaut_spelling are SQL functions",
    ):
        assert logsafe.redact(text) == text
    assert logsafe.redact("x pcrm_cal_X y pcrm_tok_abc123") == "x [redacted] y [redacted]"
    assert logsafe.redact("PCRM_SECRET_KEY=hunter2hunter2") == "PCRM_SECRET_KEY=[redacted]"
    assert logsafe.redact("https://ada:pw1234@example.com/x") == "https://ada:[redacted]@example.com/x"
