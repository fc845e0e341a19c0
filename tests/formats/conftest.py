"""Parser-level tests: the pure parsers of pcrm/formats run on the real-format samples in
../shared/testdata (read from there, never copied), with no store and no services."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pcrm.domain.records import Me
from pcrm.formats.base import Input, Options

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"


@pytest.fixture
def corpus() -> Path:
    """The shared real-format samples; under CI=true their absence fails instead of skipping."""
    if not TESTDATA.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{TESTDATA} is missing (CI=true): the parser tests need ../shared/testdata")
        pytest.skip(f"{TESTDATA} not present")
    return TESTDATA


def sample(corpus: Path, rel: str) -> Input:
    """A sample file as a parser receives it."""
    path = corpus / rel
    return Input(path.read_bytes(), path.name)


def options(*, me: list[str] | None = None, tz: str = "UTC", **kw: Any) -> Options:
    return Options(tz=ZoneInfo(tz), me=Me(names=list(me or [])), **kw)


@pytest.fixture
def opts() -> Callable[..., Options]:
    return options
