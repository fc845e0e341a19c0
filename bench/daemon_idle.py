"""The idle daemon with its scheduler running [scheduled-jobs]: RSS and CPU while nothing is asked of it.

    .venv/bin/python bench/daemon_idle.py                        # a fresh `pcrm demo` store in a temp folder
    .venv/bin/python bench/daemon_idle.py --copy-from /tmp/pcrm-bench --idle 30 --json bench/out/idle.json

It starts `pcrm serve` on a free 127.0.0.1 port, waits until it answers and until the start-up catch-up tick
has run every job that was due (the store's `job_runs` rows), lets it settle, then reads from /proc, over
--idle seconds with nobody calling it: VmRSS at the start and end, and the CPU seconds (utime + stime) the
process used. It does this twice: with the default tick (one heartbeat a minute, what users run) and with
a one-second tick, which gives the cost of one tick (so the default's cost per hour is 60 of them).
`--copy-from HOME` copies that store (SQLite's online backup) instead of building a demo store, so the
original is never written to. Target ([bench-targets]): RSS <= 120 MB, CPU ~ 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

RSS_TARGET_MB = 120.0
FIXED_JOBS = 5  # meetings, snoozes, scores, suggestions, digest: all due on a store that never ran them


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _jobs_done(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT count(*) FROM job_runs WHERE last_success_at IS NOT NULL OR last_error IS NOT NULL"
        ).fetchone()
        return int(row[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _prepare(home: Path, copy_from: Path | None) -> None:
    home.mkdir(parents=True)
    env = {**os.environ, "PCRM_HOME": str(home), "NO_COLOR": "1"}
    if copy_from is None:
        subprocess.run([sys.executable, "-m", "pcrm", "demo"], env=env, check=True, capture_output=True)
        return
    src = sqlite3.connect(f"file:{copy_from / 'pcrm.db'}?mode=ro", uri=True)
    dst = sqlite3.connect(home / "pcrm.db")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _measure(home: Path, idle: float, tick: str | None, *, jobs: bool = True) -> dict[str, Any]:
    env = {**os.environ, "PCRM_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PCRM_JOBS_TICK_SECONDS", None)
    if tick is not None:
        env["PCRM_JOBS_TICK_SECONDS"] = tick
    port = _free_port()
    log = open(home / f"serve-{port}.log", "w+")  # noqa: SIM115 - closed in `finally`
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcrm", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    out: dict[str, Any] = {"tick_s": float(tick) if tick else 60.0, "idle_s": idle}
    try:
        t0 = time.perf_counter()
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 60:
                    log.seek(0)
                    raise SystemExit("pcrm serve did not start:\n" + log.read()) from None
                time.sleep(0.1)
        out["startup_s"] = round(time.perf_counter() - t0, 2)
        while jobs and _jobs_done(home / "pcrm.db") < FIXED_JOBS:
            if time.perf_counter() - t0 > 300:
                raise SystemExit("the catch-up tick did not finish within 300 s")
            time.sleep(0.2)
        out["catch_up_done_s"] = round(time.perf_counter() - t0, 2)
        out["cpu_through_catch_up_s"] = round(_cpu_s(proc.pid), 2)
        time.sleep(2.0)  # settle
        rss0, cpu0, w0 = _rss_mb(proc.pid), _cpu_s(proc.pid), time.perf_counter()
        time.sleep(idle)
        rss1, cpu1, w1 = _rss_mb(proc.pid), _cpu_s(proc.pid), time.perf_counter()
        out.update(
            rss_idle_start_mb=round(rss0, 1),
            rss_idle_end_mb=round(rss1, 1),
            idle_cpu_s=round(cpu1 - cpu0, 3),
            idle_cpu_percent=round(100 * (cpu1 - cpu0) / (w1 - w0), 3),
        )
        if tick is not None:
            out["cpu_per_tick_ms"] = round(1000 * (cpu1 - cpu0) / ((w1 - w0) / float(tick)), 2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idle", type=float, default=30.0, help="seconds of idleness measured (default 30)")
    ap.add_argument("--copy-from", type=Path, help="copy this PCRM_HOME's store instead of a demo store")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--baseline",
        action="store_true",
        help="the pcrm on the path has no scheduler (an older checkout): do not wait for job runs",
    )
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pcrm-idle-"))
    try:
        home = tmp / "home"
        t0 = time.perf_counter()
        _prepare(home, args.copy_from)
        report: dict[str, Any] = {
            "store": str(args.copy_from) if args.copy_from else "pcrm demo",
            "store_mb": round((home / "pcrm.db").stat().st_size / 1e6, 1),
            "prepare_s": round(time.perf_counter() - t0, 1),
            "cpus": os.cpu_count(),
            "load_before": round(os.getloadavg()[0], 2),
        }
        if args.baseline:
            runs = {"no scheduler": _measure(home, args.idle, None, jobs=False)}
        else:
            runs = {"default tick (60 s)": _measure(home, args.idle, None)}
            runs["1 s tick"] = _measure(home, args.idle, "1")
        report["runs"] = runs
        report["load_after"] = round(os.getloadavg()[0], 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, r in report["runs"].items():
        extra = f", {r['cpu_per_tick_ms']} ms CPU per tick" if "cpu_per_tick_ms" in r else ""
        print(
            f"{name}: start-up {r['startup_s']} s, catch-up done at {r['catch_up_done_s']} s "
            f"({r['cpu_through_catch_up_s']} CPU s so far); idle {r['idle_s']:g} s: "
            f"RSS {r['rss_idle_start_mb']} -> {r['rss_idle_end_mb']} MB (target <= {RSS_TARGET_MB:.0f}), "
            f"CPU {r['idle_cpu_s']} s "
            f"({r['idle_cpu_percent']} %){extra}"
        )
    print(
        f"store {report['store']} ({report['store_mb']} MB); "
        f"load {report['load_before']} -> {report['load_after']}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
