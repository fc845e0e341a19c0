"""Where the tests' files are: the small hand-written inputs in tests/data, and the shared real-format
samples in ../shared/testdata (read from there, never copied into the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
DATA = TESTS / "data"
IMPORT_FILES = DATA / "imports"
TESTDATA = REPO.parent / "shared" / "testdata"


def require_testdata() -> Path:
    """The shared real-format samples; under CI=true their absence fails instead of skipping."""
    if not TESTDATA.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"{TESTDATA} is missing (CI=true): the real-format sample tests need ../shared/testdata"
            )
        pytest.skip(f"{TESTDATA} not present")
    return TESTDATA
