"""Search over several daemon processes on one store: what worker processes could give at most, measured in
turns against one daemon, so each set of daemons meets the same minute's machine speed.

    PYTHONPATH=. .venv/bin/python bench/api_processes.py /tmp/pcrm-real /work/main:1 /work/main:2 \\
        [/tmp/other-checkout:2] [--rounds 4] [--duration 6] [--connections 32]

Each SET is CHECKOUT:N, N `pcrm serve` processes of that checkout on the store in HOME, each on its own port
(all spawned before any is up: a daemon refuses to start beside a running one, and checks only as it starts).
A round runs, for each set in turn (the order reversed every other round), one wrk per daemon at the same
time, the connections split between them (32 over 2 daemons: 16 each) and the 2,000 first-time terms of
bench/api_load.py dealt between them, shuffled anew every round; no hand-over between the daemons, so the
figures are the ceiling of worker processes behind one port. Prints per set the median total req/s, the
median of the worst daemon's p99, requests per CPU second of all its daemons and their RSS. Needs wrk.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ab_serve  # siblings, not a package
import api_load


def _parse_set(text: str) -> tuple[str, int]:
    checkout, _, n = text.rpartition(":")
    if not checkout or not n.isdigit() or int(n) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected CHECKOUT:N, e.g. /work/main:2")
    return checkout, int(n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME of a store to serve (e.g. one built by bench/generate.py)")
    ap.add_argument("sets", nargs="+", type=_parse_set, help="CHECKOUT:N, N daemons of that checkout")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--duration", type=int, default=6, help="seconds per run")
    ap.add_argument("--connections", "-c", type=int, default=32)
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt install wrk)", file=sys.stderr)
        return 1
    env = {**os.environ, "PCRM_HOME": str(Path(args.home).expanduser()), "NO_COLOR": "1"}
    token_name = f"api-processes-{os.getpid()}"
    token = api_load._pcrm(env, "token", "create", token_name).strip()
    tmp = Path(tempfile.mkdtemp(prefix="pcrm-procs-"))
    sets: list[tuple[str, list[tuple[subprocess.Popen[bytes], str]]]] = []
    try:
        k = 0
        for checkout, n in args.sets:
            daemons = []
            for _ in range(n):
                daemons.append(ab_serve._spawn(checkout, env, tmp / f"serve{k}.log"))
                k += 1
            sets.append((f"{checkout}:{n}", daemons))
        k = 0
        for _name, daemons in sets:
            for proc, url in daemons:
                ab_serve._wait(proc, url, tmp / f"serve{k}.log")
                k += 1
        base = sets[0][1][0][1]
        total, _sample = api_load.sample_contacts(base, token)
        terms = api_load._first_time_terms(base, token, total, 2000, exclude=set())
        paths = [f"/api/v1/contacts?search={quote(t)}" for t in terms]
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _d in sets}
        for r in range(args.rounds):
            random.Random(r).shuffle(paths)
            for name, daemons in sets if r % 2 == 0 else sets[::-1]:
                n = len(daemons)
                results: list[dict[str, Any]] = [{} for _ in daemons]

                def one(i: int, url: str, n: int = n, results: list[dict[str, Any]] = results) -> None:
                    conns = max(1, args.connections // n + (1 if i < args.connections % n else 0))
                    sub = tmp / f"wrk{i}"
                    sub.mkdir(exist_ok=True)
                    results[i] = api_load._wrk(
                        url, token, paths[i::n], conns, min(2, conns), args.duration, sub
                    )

                cpu = [api_load._cpu_s(p.pid) for p, _u in daemons]
                threads = [threading.Thread(target=one, args=(i, u)) for i, (_p, u) in enumerate(daemons)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                spent = sum(api_load._cpu_s(p.pid) - c for (p, _u), c in zip(daemons, cpu, strict=True))
                runs[name].append(
                    {
                        "rps": sum(x.get("rps", 0.0) for x in results),
                        "p99_ms": max(x.get("p99_ms", 0.0) for x in results),
                        "per_cpu_s": sum(x.get("requests", 0) for x in results) / spent if spent else 0.0,
                        "non_2xx": sum(x.get("non_2xx", 0) for x in results),
                    }
                )
                time.sleep(0.5)
        time.sleep(3.0)
        for name, daemons in sets:
            res = runs[name]
            rss = " + ".join(f"{api_load._rss_mb(p.pid):.1f}" for p, _u in daemons)
            rounds = " ".join(f"{x['rps']:.0f}" for x in res)
            print(
                f"{name}: search@{args.connections} median {statistics.median(x['rps'] for x in res):.0f} "
                f"req/s, worst p99 {statistics.median(x['p99_ms'] for x in res):.1f} ms, "
                f"{statistics.median(x['per_cpu_s'] for x in res):.0f} req per daemon CPU s, RSS {rss} MB, "
                f"non-2xx {sum(x['non_2xx'] for x in res)}; rounds: {rounds}"
            )
    finally:
        ab_serve._clean_up([proc for _name, daemons in sets for proc, _url in daemons], env, token_name, tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
