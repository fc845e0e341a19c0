"""What opening the store costs with many photos in avatars/, and the walk that makes them private
[private-files]. Not a test: figures.

    PYTHONPATH=. .venv/bin/python bench/store_open.py /tmp/pcrm-open                 # 5,000 photos, 200 opens
    PYTHONPATH=. .venv/bin/python bench/store_open.py /tmp/pcrm-open --photos 50000
    PYTHONPATH=/work/other-checkout .venv/bin/python bench/store_open.py /tmp/pcrm-open-before   # compare

1. A fresh store at HOME (`pcrm init` in process) and `--photos` small files in HOME/avatars, 0600 (as pcrm
   writes them); kept when HOME already holds them.
2. Opening and closing the store (store.db.connect, as every command does) `--opens` times.
3. Where this pcrm has it, the walk of every file in pcrm's folders (paths.tighten_all, nothing to change),
   `--opens` times, and one opening of a store that has never walked them (the first after an upgrade).

Printed: median and 90th percentile wall ms of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def _times(fn: Callable[[], object], n: int) -> str:
    got = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        got.append((time.perf_counter() - t) * 1000)
    got.sort()
    return f"median {statistics.median(got):.2f} ms, p90 {got[int(len(got) * 0.9)]:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("--photos", type=int, default=5000)
    ap.add_argument("--opens", type=int, default=200)
    a = ap.parse_args()
    os.environ["PCRM_HOME"] = str(a.home)
    from pcrm import paths
    from pcrm.services import admin
    from pcrm.services.context import open_context
    from pcrm.store import db

    with open_context() as ctx:
        admin.init(ctx)
    avatars = paths.avatars_dir()
    have = sum(1 for _ in avatars.iterdir())
    for i in range(have, a.photos):
        paths.write_private(avatars / f"{i:08d}.jpg", b"\xff\xd8\xff\xe0" + b"0" * 64)
    print(f"{sum(1 for _ in avatars.iterdir())} files in {avatars}")

    def open_close() -> None:
        db.connect(paths.db_path()).close()

    open_close()
    print("open + close:", _times(open_close, a.opens))
    walk = getattr(paths, "tighten_all", None)
    key = getattr(db, "ALL_PRIVATE_AT", None)
    if walk is None or key is None:
        return
    print("the walk (tighten_all):", _times(lambda: walk(paths.db_path()), a.opens))

    def first_open() -> None:
        conn = db.connect(paths.db_path())
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        conn.close()
        t = time.perf_counter()
        db.connect(paths.db_path()).close()
        firsts.append((time.perf_counter() - t) * 1000)

    firsts: list[float] = []
    for _ in range(20):
        first_open()
    print(f"first open (walks): median {statistics.median(firsts):.2f} ms, max {max(firsts):.2f} ms")


if __name__ == "__main__":
    main()
