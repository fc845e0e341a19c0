"""Peak memory of a big CSV import [streamed-imports]. Not a test: prints figures.

    PYTHONPATH=. .venv/bin/python bench/import_memory.py                 # 50 MB and 200 MB, dry run and real
    PYTHONPATH=. .venv/bin/python bench/import_memory.py 50 --dry-run    # one size, the dry run only
    PYTHONPATH=. .venv/bin/python bench/import_memory.py 200 --limit 4096  # under a 4 GB address-space limit

Each run is a real `pcrm import FILE` process on a fresh PCRM_HOME; its peak resident set (ru_maxrss, from
`os.wait4`) and wall time are printed. The file is a generic contacts CSV of distinct people (~330 bytes a
row: name, email, phone, company, title, tags, notes), written once per size into a temp folder.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T12:00:00Z"


def write_csv(path: Path, megabytes: int, seed: int = 7) -> int:
    """A generic contacts CSV of about `megabytes` MB; the number of rows."""
    from pcrm.services.demo import FIRST, LAST, TITLES

    rng = random.Random(seed)
    target = megabytes << 20
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("full_name,email,phone,company,title,tags,notes\n")
        size = 0
        while size < target:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            note = " ".join(rng.choice(LAST).lower() for _ in range(24))
            line = (
                f"{first} {last},{first.lower()}.{last.lower()}.{rows}@example.org,"
                f"+4930{rows:09d},{last} GmbH {rows % 997},{rng.choice(TITLES)},"
                f'"friends;work",{note}\n'
            )
            fh.write(line)
            size += len(line)
            rows += 1
    return rows


def run(csv_path: Path, *, dry_run: bool, limit_mb: int | None) -> tuple[int, float, int, str]:
    """(peak RSS in MB, seconds, exit code, last stderr line) of one `pcrm import` process."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PCRM_HOME=home, PCRM_NOW=NOW, NO_COLOR="1")
        cmd = [sys.executable, "-m", "pcrm", "import", str(csv_path), "--json"]
        if dry_run:
            cmd.append("--dry-run")

        def cap() -> None:
            if limit_mb:
                resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

        t0 = time.perf_counter()
        p = subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=cap,  # noqa: PLW1509 (a plain rlimit, no threads in this process)
        )
        assert p.stderr is not None
        err = p.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(p.pid, 0)
        took = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        tail = err.strip().splitlines()[-1] if err.strip() else ""
        return usage.ru_maxrss >> 10, took, p.returncode, tail


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", type=int, default=[50, 200], help="file sizes in MB")
    ap.add_argument("--dry-run", action="store_true", help="only the dry run")
    ap.add_argument("--limit", type=int, default=None, help="RLIMIT_AS for the import, in MB")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for mb in a.sizes:
            path = Path(tmp) / f"contacts-{mb}mb.csv"
            rows = write_csv(path, mb)
            real = path.stat().st_size >> 20
            for dry in (True,) if a.dry_run else (True, False):
                rss, took, code, tail = run(path, dry_run=dry, limit_mb=a.limit)
                kind = "dry run" if dry else "import "
                print(
                    f"{real:4d} MB, {rows:>9,} rows, {kind}: peak RSS {rss:6,} MB "
                    f"({rss / max(real, 1):.1f}x the file), {took:6.1f} s, exit {code}"
                    + (f"  [{tail[:120]}]" if code else ""),
                    flush=True,
                )


if __name__ == "__main__":
    main()
