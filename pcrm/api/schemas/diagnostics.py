"""Health and client error reports."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class Health(Out):
    status: Literal["ok"]


class ErrorReportIn(In):
    message: str = Field(max_length=1000)
    source: str | None = Field(default=None, max_length=500)
    lineno: int | None = None
    colno: int | None = None
    stack: str | None = Field(default=None, max_length=5000)
    url: str | None = Field(default=None, max_length=500)
    component: str | None = Field(default=None, max_length=200)


class Received(Out):
    received: bool
