"""Health, frontend error reports [public-routes], the OpenAPI document, the docs page and the version
check."""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import HTMLResponse, Response

from pcrm.api import responses
from pcrm.api import schemas as s
from pcrm.api.declare import Call, op, svc
from pcrm.services import idle
from pcrm.services.context import Result

T = "diagnostics"
frontend_log = logging.getLogger("pcrm.frontend")


async def health(request: Any, call: Call) -> Any:
    """Answered on the event loop, touching neither the store nor a thread: it says the daemon is
    responsive whatever the reader pool and the writer lane are busy with [read-pool]."""
    return responses.ok({"status": "ok"})


def report_error(ctx: Any, call: Call) -> Any:
    """Write a frontend error report to the log (never to the store). URLs lose their query strings; any
    secret in any field is redacted as in every log line [log-redaction]."""
    report = dict(call.body)
    for key in ("url", "source"):
        if report.get(key):
            report[key] = str(report[key]).split("?", 1)[0].split("#", 1)[0]
    frontend_log.warning("frontend error: %s", report)
    return Result({"received": True})


async def openapi_json(request: Any, call: Call) -> Any:
    return Response(request.app.state.openapi_bytes(), media_type="application/json")


async def docs(request: Any, call: Call) -> Any:
    return HTMLResponse(
        request.app.state.docs_html(),
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "no-store",
        },
    )


OPS = [
    op("GET", "/api/health", "Liveness probe", T, public=True, raw=health, response=s.Health),
    op(
        "POST",
        "/errors",
        "Frontend error reporting",
        T,
        public=True,
        rate_limit="errors",
        call=report_error,
        body=s.ErrorReportIn,
        response=s.Received,
        description=(
            "Written to the daemon's log (logger pcrm.frontend); at most 10 reports a minute per client."
        ),
    ),
    op(
        "GET", "/openapi.json", "This API's OpenAPI 3.1 document", T, public=True, pcrm=True, raw=openapi_json
    ),
    op("GET", "/api/docs", "This API's documentation page", T, public=True, pcrm=True, raw=docs),
    op(
        "GET",
        "/version",
        "Installed and latest pcrm versions",
        T,
        read=True,
        call=svc(idle.version),
        response=s.VersionInfo,
        pcrm=True,
        description="From the installed package only: pcrm never looks for updates over the network.",
    ),
]
