"""The pure parsers of pcrm/formats as a test calls them: a sample file as a parser receives it, and
parse options."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pcrm.domain.records import Me
from pcrm.formats.base import Input, Options


def sample(corpus: Path, rel: str) -> Input:
    """A sample file as a parser receives it."""
    path = corpus / rel
    return Input(path.read_bytes(), path.name)


def options(*, me: list[str] | None = None, tz: str = "UTC", **kw: Any) -> Options:
    return Options(tz=ZoneInfo(tz), me=Me(names=list(me or [])), **kw)
