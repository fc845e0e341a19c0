"""Relationship-intelligence benchmark: full score recompute and `suggestions generate` at scale.

    .venv/bin/python bench/intelligence_bench.py [--contacts 100000] [--interactions 1000000] [--cache DIR]

Builds a store with pcrm.services.demo.generate + load (cached in --cache, default /tmp/pcrm-intel-bench,
keyed by the sizes, since loading 1M interactions takes a minute), copies it, then times on the copy:
- `score recalc` (POST /contacts/scores/recalculate): one grouped query + the pure [score-formula] functions;
- `suggestions generate` (POST /suggestions/generate), with the daily score catch-up already done.
Targets [bench-targets]: recompute <= 5 s, generate <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pcrm import clock

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def build(path: Path, contacts: int, interactions: int) -> None:
    from pcrm.services import demo
    from pcrm.services.context import open_context

    t = time.perf_counter()
    data = demo.generate(11, contacts, interactions, NOW)
    with open_context(path) as ctx:
        counts = demo.load(ctx, data)
        ctx.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"built {counts} in {time.perf_counter() - t:.1f} s", file=sys.stderr)


CPU: dict[str, list[float]] = {}


def timed(fn, runs: int, label: str) -> list[float]:
    """Wall-clock seconds per run; CPU seconds of this process go to CPU[label] (a fairer figure on a
    shared, loaded machine)."""
    out = []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - t)
        CPU.setdefault(label, []).append(time.process_time() - c)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--cache", default="/tmp/pcrm-intel-bench")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    clock.set_now(NOW)
    cache = Path(args.cache)
    base = cache / f"intel-{args.contacts}-{args.interactions}.db"
    if not base.exists():
        cache.mkdir(parents=True, exist_ok=True)
        build(base, args.contacts, args.interactions)
    work = cache / "intel-work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(base, work)

    from pcrm.services import activity, scores, suggestions
    from pcrm.services.context import open_context
    from pcrm.store import settings as sstore

    with open_context(work) as ctx:
        n_contacts = ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        n_inter = ctx.conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
        print(f"store: {n_contacts} contacts, {n_inter} interactions")
        recalc = timed(lambda: activity.recalculate_scores(ctx), args.runs, "recalc")
        updated = activity.recalculate_scores(ctx).data["updated"]
        scores.catch_up(ctx)
        sstore.put(ctx.conn, "timezone", "UTC", clock.now_iso())
        ctx.invalidate_settings()

        def gen() -> None:
            r = suggestions.generate(ctx)
            gen.count = r.meta["generated"]  # type: ignore[attr-defined]
            # leave the queue as it was so every run does the same work
            ctx.conn.execute("DELETE FROM follow_up_suggestions")

        runs = timed(gen, args.runs, "generate")
    print(
        f"score recalc ({updated} contacts): median {statistics.median(recalc):.2f} s, "
        f"runs {', '.join(f'{x:.2f}' for x in recalc)}, cpu median {statistics.median(CPU['recalc']):.2f} s "
        "(target <= 5 s)"
    )
    print(
        f"suggestions generate ({gen.count} created): median {statistics.median(runs):.2f} s, "  # type: ignore[attr-defined]
        f"runs {', '.join(f'{x:.2f}' for x in runs)}, cpu median {statistics.median(CPU['generate']):.2f} s "
        "(target <= 2 s)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
