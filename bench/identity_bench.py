"""Time `pcrm identity scan` on a large store ([bench-targets] target: 100k contacts <= 30 s, <= 1 GB).

Builds (or reuses) a store of N contacts from pcrm.services.demo.generate with `duplicates` planted
records (the same person again with a nickname and another address), then runs the real command,
`pcrm identity scan --json`, in a child process and reports its wall time and peak memory (ru_maxrss
of the child), then the review queue it left (pairs and questions per 1,000 contacts, from
`pcrm identity matches`). The store is copied first so every run starts from the same data.

    .venv/bin/python bench/identity_bench.py /tmp/pcrm-idbench --contacts 100000 --duplicates 2000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def build(home: Path, contacts: int, interactions: int, duplicates: int) -> None:
    os.environ["PCRM_HOME"] = str(home)
    from pcrm import clock
    from pcrm.services import demo
    from pcrm.services.context import open_context

    clock.set_now(NOW)
    t0 = time.perf_counter()
    data = demo.generate(3, contacts, interactions, NOW, duplicates=duplicates)
    with open_context() as ctx:
        counts = demo.load(ctx, data)
    print(f"built {counts} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", type=Path)
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=300_000)
    ap.add_argument("--duplicates", type=int, default=2_000)
    ap.add_argument(
        "--dry-run", action="store_true", help="time `scan --dry-run` instead (no merges, no backup)"
    )
    args = ap.parse_args()
    base = args.home / "base"
    if not (base / "pcrm.db").exists():
        build(base, args.contacts, args.interactions, args.duplicates)
    run_home = args.home / "run"
    shutil.rmtree(run_home, ignore_errors=True)
    run_home.mkdir(parents=True)
    for f in base.iterdir():
        if f.is_file():
            shutil.copy2(f, run_home / f.name)
    env = dict(os.environ, PCRM_HOME=str(run_home), PCRM_NOW=NOW.isoformat())
    cmd = [str(Path(sys.executable).with_name("pcrm")), "identity", "scan", "--json"]
    if args.dry_run:
        cmd.append("--dry-run")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime  # the scan and its scoring workers: what an idle machine needs
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        sys.exit(1)
    out = json.loads(proc.stdout)
    meta = {k: v for k, v in out["meta"].items() if not k.endswith("_ids") and k != "would_merge"}
    print(
        f"pcrm identity scan{' --dry-run' if args.dry_run else ''}: {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"peak RSS {peak_mb:.0f} MB (load average now {os.getloadavg()[0]:.1f})"
    )
    print(f"  data {out['data']}")
    print(f"  meta {meta}")
    if not args.dry_run:
        # the queue a person would read: pairs, and questions (clusters of pairs asked together)
        q = subprocess.run(
            [*cmd[:2], "matches", "--json", "--limit", "1"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        qm = json.loads(q.stdout)["meta"]
        n = out["meta"].get("contacts") or args.contacts + args.duplicates
        print(
            f"  queue {qm['total_pairs']} pairs ({1000 * qm['total_pairs'] / n:.1f} per 1,000 contacts), "
            f"{qm['total_clusters']} questions ({1000 * qm['total_clusters'] / n:.1f} per 1,000)"
        )


if __name__ == "__main__":
    main()
