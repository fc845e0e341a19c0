"""Import/export benchmarks [bench-targets]. Not a test: prints figures and whether they meet the budgets.

    .venv/bin/python bench/imports_bench.py            # both
    .venv/bin/python bench/imports_bench.py linkedin   # 30k-row Connections.csv, whole process, budget 3 s
    .venv/bin/python bench/imports_bench.py json       # 100k contacts: export json + import json, budget 30 s
    .venv/bin/python bench/imports_bench.py linkedin --runs 3 --no-pycache

Each measured step is a real `pcrm` process (start-up included) on a fresh PCRM_HOME in a temp folder.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1 and pcrm is installed editable, so each process
would compile ~100 of pcrm's modules from source (~0.2 s) where an installed pcrm loads its bytecode. As in
cli_timing.py, the timed processes get PYTHONPYCACHEPREFIX (a warm-up import fills it first);
`--no-pycache` measures the environment as it is.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PCRM = [sys.executable, "-m", "pcrm"]
NOW = "2026-06-01T12:00:00Z"


CPU: dict[str, float] = {}
PYCACHE = "/tmp/pcrm-bench-pycache"  # None with --no-pycache


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _pcrm(home: Path, *args: str) -> float:
    """Wall time of one pcrm process; its CPU time (user + system) goes to CPU[last step]."""
    env = dict(os.environ, PCRM_HOME=str(home), PCRM_NOW=NOW, NO_COLOR="1")
    if PYCACHE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    t0, c0 = time.perf_counter(), _cpu()
    res = subprocess.run([*PCRM, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    CPU["last"] = _cpu() - c0
    if res.returncode != 0:
        raise SystemExit(f"pcrm {' '.join(args)} failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return took


def connections_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A LinkedIn Connections.csv with the notes preamble, `rows` distinct people, ~2k companies."""
    from pcrm.services.demo import FIRST, LAST, TITLES

    rng = random.Random(seed)
    companies = [
        f"{rng.choice(LAST)} {rng.choice(('Labs', 'Systems', 'Ventures', 'Health', 'Foods'))} {i}"
        for i in range(2000)
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            'Notes:\n"When exporting your connection data, you may notice that some of the email '
            'addresses are missing."\n\n'
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            slug = f"{first}-{last}-{i}".lower().replace("'", "")
            email = f"{slug}@example.com" if rng.random() < 0.3 else ""
            w.writerow(
                [
                    first,
                    last,
                    f"https://www.linkedin.com/in/{slug}",
                    email,
                    rng.choice(companies),
                    rng.choice(TITLES),
                    "15 Jan 2024",
                ]
            )


def bench_linkedin(rows: int = 30_000, runs: int = 1) -> bool:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "Connections.csv"
        connections_csv(f, rows)
        if PYCACHE:  # the warm-up: one small import compiles what the timed ones load
            small = Path(tmp) / "small.csv"
            connections_csv(small, 10)
            _pcrm(Path(tmp) / "warm", "import", str(small))
        for run in range(runs):
            home = Path(tmp) / f"home{run}"
            _pcrm(home, "init")
            first = _pcrm(home, "import", str(f))
            first_cpu = CPU["last"]
            again = _pcrm(home, "import", str(f))
            again_cpu = CPU["last"]
            ok = ok and first <= 3.0
            print(
                f"linkedin: {rows:,}-row Connections.csv into an empty store: {first:.2f} s wall, "
                f"{first_cpu:.2f} s CPU, whole process (budget 3 s: {'ok' if first <= 3.0 else 'OVER'}); "
                f"rerun (all unchanged): {again:.2f} s wall, {again_cpu:.2f} s CPU; "
                f"load average {os.getloadavg()[0]:.1f}; bytecode {'cached' if PYCACHE else 'compiled'}",
                flush=True,
            )
    return ok


def bench_json(contacts: int = 100_000, interactions: int = 1_000_000) -> bool:
    from pcrm.clock import parse_iso, set_now
    from pcrm.services import demo
    from pcrm.services.context import open_context

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        dst = Path(tmp) / "dst"
        t0 = time.perf_counter()
        set_now(parse_iso(NOW))
        data = demo.generate(11, contacts, interactions, parse_iso(NOW), duplicates=contacts // 100)
        os.environ["PCRM_HOME"] = str(src)
        with open_context(src / "pcrm.db") as ctx:
            demo.load(ctx, data)
        built = time.perf_counter() - t0
        out = Path(tmp) / "export.json"
        exp = _pcrm(src, "export", "json", "--output", str(out))
        exp_cpu = CPU["last"]
        size = out.stat().st_size
        _pcrm(dst, "init")
        imp = _pcrm(dst, "import", str(out))
        imp_cpu = CPU["last"]
    total = exp + imp
    ok = total <= 30.0
    print(
        f"json: store of {contacts:,} contacts + {interactions:,} interactions (built in {built:.1f} s): "
        f"export {exp:.2f} s ({size / 1e6:.0f} MB) + import {imp:.2f} s = {total:.2f} s wall "
        f"(budget 30 s: {'ok' if ok else 'OVER'}); CPU {exp_cpu:.2f} + {imp_cpu:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return ok


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    argv = sys.argv[1:]
    if "--no-pycache" in argv:
        argv.remove("--no-pycache")
        PYCACHE = None
    runs = 1
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        del argv[i : i + 2]
    which = argv or ["linkedin", "json"]
    results = []
    if "linkedin" in which:
        results.append(bench_linkedin(runs=runs))
    if "json" in which:
        results.append(bench_json())
    sys.exit(0 if all(results) else 1)
