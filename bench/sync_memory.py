"""The sync engine's throughput: the memory source delivering INTERACTIONS messages for CONTACTS people in
batches of 500, into a fresh store, then an unchanged rerun (from the saved cursor) and a full re-fetch of
everything (cursor forgotten: every record matched again, nothing written).

    .venv/bin/python bench/sync_memory.py --contacts 20000 --interactions 100000

Targets (issue "one ingest engine"): first run <= 20 s, unchanged rerun <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", type=int, default=20_000)
    ap.add_argument("--interactions", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--refetch", action="store_true", help="also time a full re-fetch (cursor forgotten)")
    args = ap.parse_args()
    os.environ["PCRM_ENABLE_TEST_SOURCES"] = "1"
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        from pcrm.services import sync
        from pcrm.services.context import open_context
        from pcrm.sync.memory import MemoryClient

        client = MemoryClient.generate(args.contacts, args.interactions, seed=1, batch_size=args.batch)
        with open_context(Path(home) / "pcrm.db") as ctx:
            for label in ("first run", "unchanged rerun"):
                t0, c0 = time.perf_counter(), time.process_time()
                row = sync.run(ctx, "memory", client=client).data
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                print(f"{label:16} {wall:6.2f} s wall {cpu:6.2f} s CPU  created {row['records_created']:>7}")
            if args.refetch:
                sync.reset(ctx, "memory")
                t0 = time.perf_counter()
                row = sync.run(ctx, "memory", client=client).data
                wall = time.perf_counter() - t0
                print(f"{'full re-fetch':16} {wall:6.2f} s wall  created {row['records_created']:>7}")
            n = ctx.conn.execute("SELECT count(*) FROM interactions").fetchall()[0][0]
            print(f"stored interactions: {n}")


if __name__ == "__main__":
    main()
