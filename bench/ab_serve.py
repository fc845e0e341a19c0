"""Two checkouts' daemons on one store, measured in turns: `pcrm serve` from each checkout, wrk against one
at a time, alternating, so a change is compared with main under the same minute's machine speed.

    PYTHONPATH=. .venv/bin/python bench/ab_serve.py /tmp/pcrm-real /work/main /work/wt-change \\
        [--scenario contact|search|search_cached] [--rounds 8] [--duration 3] [--connections 32]

Both daemons start first (each with its checkout on PYTHONPATH, same interpreter); each round runs wrk once
against each, the order swapped every round. `contact`: 200 real ids, each fetched once by each daemon before
its run (as bench/api_load.py does); `search`: the 2,000 first-time terms of bench/api_load.py, shuffled anew
every round (the same order for both daemons); `search_cached`: the 62 repeated terms of bench/api_load.py,
each asked once by each daemon before its run. Prints per checkout the median req/s, requests per daemon CPU
second and p99, the daemon's RSS 3 s after the last round, and every round's req/s. Needs wrk.
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
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_load  # a sibling script, not a package


def _spawn(checkout: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = api_load._free_port()
    with open(log, "w") as out:  # the daemon keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
            cwd=checkout,
            env={**env, "PYTHONPATH": checkout},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, f"http://127.0.0.1:{port}"


def _wait(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"pcrm serve ({base}) did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME of a store to serve (e.g. one built by bench/generate.py)")
    ap.add_argument("checkouts", nargs=2, help="two checkouts of pcrm (e.g. main and a worktree)")
    ap.add_argument("--scenario", choices=("contact", "search", "search_cached"), default="contact")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--duration", type=int, default=3, help="seconds per run")
    ap.add_argument("--connections", "-c", type=int, default=32)
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt install wrk)", file=sys.stderr)
        return 1
    env = {**os.environ, "PCRM_HOME": str(Path(args.home).expanduser()), "NO_COLOR": "1"}
    token_name = f"ab-serve-{os.getpid()}"
    token = api_load._pcrm(env, "token", "create", token_name).strip()
    tmp = Path(tempfile.mkdtemp(prefix="pcrm-ab-"))
    daemons: list[tuple[str, subprocess.Popen[bytes], str]] = []
    try:
        # both spawned before either is up: a daemon refuses to start beside a running one for the same store,
        # and checks only as it starts
        for i, checkout in enumerate(args.checkouts):
            daemons.append((checkout, *_spawn(checkout, env, tmp / f"serve{i}.log")))
        for i, (_checkout, proc, url) in enumerate(daemons):
            _wait(proc, url, tmp / f"serve{i}.log")
        base = daemons[0][2]
        total, sample = api_load.sample_contacts(base, token)
        if args.scenario == "contact":
            paths = [f"/api/v1/contacts/{c['id']}" for c in sample][:200]
        elif args.scenario == "search_cached":
            paths = [f"/api/v1/contacts?search={quote(t)}" for t in api_load.cached_terms(sample)]
        else:
            terms = api_load._first_time_terms(base, token, total, 2000, exclude=set())
            paths = [f"/api/v1/contacts?search={quote(t)}" for t in terms]
        runs: dict[str, list[dict[str, Any]]] = {c: [] for c in args.checkouts}
        for r in range(args.rounds):
            if args.scenario == "search":
                random.Random(r).shuffle(paths)
            for checkout, proc, url in daemons if r % 2 == 0 else daemons[::-1]:
                if args.scenario != "search":  # the steady state: each path once before the clock starts
                    for p in paths:
                        api_load._get(url + p, token)
                cpu = api_load._cpu_s(proc.pid)
                res = api_load._wrk(
                    url, token, paths, args.connections, min(2, args.connections), args.duration, tmp
                )
                cpu = api_load._cpu_s(proc.pid) - cpu
                res["per_cpu_s"] = res.get("requests", 0) / cpu if cpu else 0.0
                runs[checkout].append(res)
                time.sleep(0.5)
        time.sleep(3.0)  # quiet, as after api_load's scenarios
        rss = {checkout: api_load._rss_mb(proc.pid) for checkout, proc, _url in daemons}
        for checkout, done in runs.items():
            rps = [x.get("rps", 0.0) for x in done]
            print(
                f"{checkout}: {args.scenario}@{args.connections} median {statistics.median(rps):.0f} req/s, "
                f"{statistics.median(x['per_cpu_s'] for x in done):.0f} req per daemon CPU s, "
                f"p99 {statistics.median(x.get('p99_ms', 0.0) for x in done):.1f} ms, "
                f"RSS after {rss[checkout]:.1f} MB; "
                f"rounds: {' '.join(f'{x:.0f}' for x in rps)}"
            )
    finally:
        _clean_up([proc for _checkout, proc, _url in daemons], env, token_name, tmp)
    return 0


def _clean_up(procs: list[subprocess.Popen[bytes]], env: dict[str, str], token_name: str, tmp: Path) -> None:
    """Stop the daemons, revoke the run's token, remove its scratch folder."""
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    api_load._pcrm(env, "token", "revoke", token_name, "--yes")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
