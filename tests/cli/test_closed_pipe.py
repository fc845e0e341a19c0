"""`pcrm ... | head -1`: a reader that goes away ends any command quietly with exit 0 [pipe-friendly-output].
Tables, plain rows and --json already did; what rich prints line by line (`paths`, an import's summary,
`identity scan`, `orgs show`, `suggestions generate`) exited 1 with no message, so a `set -o pipefail`
script failed on `pcrm paths | head -1`.

The pipe is a real one whose reading end is closed before the command runs, as after `head` has exited:
every write to it fails with EPIPE, so the result does not depend on timing."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.support.crm import Crm
from tests.support.paths import require_testdata


class _ClosedPipeRunner(CliRunner):
    """CliRunner whose command writes its stdout into a pipe nobody reads any more."""

    @contextlib.contextmanager
    def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with super().isolation(*args, **kwargs) as streams:
            read_end, write_end = os.pipe()
            os.close(read_end)
            pipe = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 (closed below, whatever happens)
            # the runner's own stdout is kept: unreferenced, it would close the buffer read at the end
            captured, sys.stdout = sys.stdout, pipe
            try:
                yield streams
            finally:
                sys.stdout = captured
                with contextlib.suppress(BrokenPipeError):
                    pipe.close()


def _into_closed_pipe(*args: str) -> Any:
    from pcrm.cli import app

    return _ClosedPipeRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "args",
    [
        ["paths"],
        ["identity", "scan", "--dry-run"],
        ["orgs", "show", "Analytical Engines"],
        ["suggestions", "generate"],
        ["contacts", "stats"],
        ["contacts", "list"],  # plain rows: exit 0 before too
    ],
    ids=" ".join,
)
def test_a_closed_pipe_ends_a_command_quietly(crm: Crm, args: list[str]) -> None:
    ada = crm.add("Ada Lovelace", "--email", "ada@analytical.io", "--company", "Analytical Engines")
    crm.add("Ada Lovelace", "--email", "ada.l@analytical.io", "--company", "Analytical Engines")
    crm.cli("log", ada["id"], "--platform", "email", "--direction", "inbound", "--at", "400d ago")
    r = _into_closed_pipe(*args)
    assert r.exit_code == 0, (r.exit_code, r.stderr, r.exception)
    assert "Traceback" not in r.stderr and "Broken pipe" not in r.stderr, r.stderr


def test_an_import_summary_into_a_closed_pipe_still_imports(crm: Crm) -> None:
    """The import is written before its summary is printed: a closed pipe changes the exit code only, and
    not to a failure."""
    f = require_testdata() / "linkedin" / "kawsay__Connections.csv"
    r = _into_closed_pipe("import", str(f))
    assert r.exit_code == 0, (r.exit_code, r.stderr, r.exception)
    assert sorted(crm.names()) == ["José García", "Æsop Fontaine"]
