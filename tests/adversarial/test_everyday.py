"""Everyday crashes: `import undo` of a batch over ~16,000 contacts ended in "too many SQL variables", and
`pcrm export json | head` printed a traceback. Undo works at 50,000 contacts; a closed pipe ends the
export quietly with exit 0, as `cat` does [import-undo]."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def test_undo_of_a_50000_contact_import(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "many.csv"
    f.write_text(
        "Name,Email\n" + "".join(f"Person {i},person{i}@example.com\n" for i in range(50_000)),
        encoding="utf-8",
    )
    cli("init")
    rep = cli.json("import", str(f))["data"]
    assert rep["contacts_created"] == 50_000
    out = cli.json("import", "undo", rep["batch_id"], "--yes")["data"]
    assert out["contacts_removed"] == 50_000, out
    assert cli.json("contacts", "list")["meta"]["total"] == 0


def test_export_into_a_closed_pipe_is_quiet(pcrm_home: Path) -> None:
    env = {**os.environ, "PCRM_HOME": str(pcrm_home), "PYTHONPATH": os.getcwd()}
    run = [sys.executable, "-m", "pcrm"]
    subprocess.run([*run, "demo"], env=env, capture_output=True, check=True, timeout=120)
    # `| head -c 100`: the reader goes away after 100 bytes
    cmd = f'{" ".join(run)} export json | head -c 100 >/dev/null; echo "${{PIPESTATUS[0]}}" >&2'
    r = subprocess.run(["bash", "-c", cmd], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "0", r.stderr
