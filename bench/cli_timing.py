"""Time whole `pcrm` processes against a big store (make one with bench/generate.py first).

    .venv/bin/python bench/cli_timing.py /tmp/pcrm-bench            # hyperfine if installed
    .venv/bin/python bench/cli_timing.py /tmp/pcrm-bench --runs 30 --json bench/out/cli.json

Each command is run once first (it must exit 0; a command this pcrm does not have yet is skipped, and
said so), then timed with `hyperfine -N` (no shell), or with a subprocess loop when hyperfine is
missing. Reported per command: mean ± σ, min and median wall time, user + system CPU, the 1-minute load
average when it started, and the verdict against the target (on the median). On a shared machine wall
times stretch with the load; min and user+sys show what the process itself costs (--max-load waits for a
quieter moment).

Before timing, the daily score catch-up (pcrm/services/scores.catch_up: the first command of a day
recomputes every score) is warmed up, and its own cost is measured separately: one full recompute
(`scores.refresh`) in a fresh process on a copy of the store.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1, and pcrm is installed editable, so every
process would compile pcrm's ~60 modules from source (+40-150 ms) which no installed pcrm does. By
default the timed processes get PYTHONPYCACHEPREFIX=<tmp> with writing allowed, so they run from
cached bytecode as a user's would; --no-pycache measures the environment as it is.

Which pcrm (--install): the development venv's pcrm is an editable install, whose import hook (a
`.pth` file that site runs at every start, importing pathlib and importlib.util) costs every process
~10-16 ms that a user's `pipx install .` / `uv tool install .` does not pay. `--install copy` times a
non-editable install of this checkout instead: a fresh venv (`python -m venv --without-pip`) holding a
copy of the `pcrm` package (the files a wheel installs) and the console script pip writes for
`[project.scripts]`; the dependencies come from the running interpreter's site-packages through a
`.pth` line (a directory entry only: the `.pth` hooks in there, the editable finder among them, do not
run). `--install both` (the default) times each command both ways, back to back; `editable` only the
--pcrm executable. PYTHONPATH is dropped for the copy, so it runs the copied files.

Before/after (--compare CHECKOUT): the other checkout is timed the same ways, and without hyperfine the
runs of every pcrm alternate (one of each per round), so the load of a shared machine weighs on both
alike; sequential runs a minute apart differed by more than the change being measured.

    PYTHONPATH=$PWD .venv/bin/python bench/cli_timing.py /tmp/pcrm-bench --compare ../main --no-recompute
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (label, argv after `pcrm`, target in ms or None, issue)
COMMANDS: list[tuple[str, list[str], float | None, str]] = [
    ("pcrm --help", ["--help"], 100, "#2"),
    (
        "pcrm contacts list --search lovelace --json",
        ["contacts", "list", "--search", "lovelace", "--json"],
        150,
        "#2",
    ),
    ("pcrm contacts list --search ada --json", ["contacts", "list", "--search", "ada", "--json"], 150, "#2"),
    ("pcrm contacts list --json", ["contacts", "list", "--json"], None, "(reference)"),
    (
        "pcrm contacts list --search al --json",
        ["contacts", "list", "--search", "al", "--json"],
        None,
        "(2-char scan, reference)",
    ),
    ("pcrm contacts overdue --json", ["contacts", "overdue", "--json"], 150, "#3"),
    ("pcrm contacts stats --json", ["contacts", "stats", "--json"], 150, "#3"),
    (
        "pcrm contacts map --bbox=-0.3,51.4,0.1,51.6 --json (London)",
        ["contacts", "map", "--bbox=-0.3,51.4,0.1,51.6", "--json"],
        100,
        "#3",
    ),
    ("pcrm version", ["version"], None, "(reference: start-up only)"),
]


def _env(home: Path, pycache: str | None) -> dict[str, str]:
    env = {**os.environ, "PCRM_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PCRM_NOW", None)
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


# what pip writes for a [project.scripts] entry point (pip/_vendor/distlib/scripts.py)
_SCRIPT = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from pcrm.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def _install_copy(where: Path, checkout: Path) -> str:
    """A non-editable install of `checkout` in a fresh venv under `where`; returns its `pcrm`."""
    import site

    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies: this interpreter's site-packages, as plain directories on sys.path
    Path(purelib, "_pcrm_bench_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    shutil.copytree(checkout / "pcrm", Path(purelib) / "pcrm", ignore=shutil.ignore_patterns("__pycache__"))
    script = venv / "bin" / "pcrm"
    script.write_text(_SCRIPT.format(python=python))
    script.chmod(0o755)
    return str(script)


def _exists(pcrm: str, argv: list[str], env: dict[str, str]) -> bool:
    """Does this pcrm have the command? (`--help` on the command path exits 0 only if it does)"""
    path = [a for a in argv if not a.startswith("-")]
    if not path:
        return True
    r = subprocess.run([pcrm, *path, "--help"], env=env, capture_output=True, text=True, check=False)
    return r.returncode == 0


def _hyperfine(cmd: list[str], env: dict[str, str], runs: int, warmup: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                "hyperfine",
                "-N",
                "--style",
                "none",
                "--warmup",
                str(warmup),
                "--runs",
                str(runs),
                "--export-json",
                out.name,
                " ".join(_quote(c) for c in cmd),
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with open(out.name) as f:
            r = json.load(f)["results"][0]
    return {
        "mean": r["mean"],
        "stddev": r["stddev"] or 0.0,
        "min": r["min"],
        "median": r["median"],
        "max": r["max"],
        "user": r["user"],
        "system": r["system"],
        "runs": len(r["times"]),
    }


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _loop_interleaved(
    runs_of: list[tuple[list[str], dict[str, str]]], runs: int, warmup: int
) -> list[dict[str, float]]:
    """_loop for several commands at once, one run of each per round, so that a change of load on a shared
    machine hits them alike (what a before/after comparison needs)."""
    for _ in range(warmup):
        for cmd, env in runs_of:
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times: list[list[float]] = [[] for _ in runs_of]
    cpu: list[list[tuple[float, float]]] = [[] for _ in runs_of]
    for _ in range(runs):
        for i, (cmd, env) in enumerate(runs_of):
            before = os.times()
            t = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[i].append(time.perf_counter() - t)
            after = os.times()
            cpu[i].append(
                (after.children_user - before.children_user, after.children_system - before.children_system)
            )
    return [
        {
            "mean": statistics.fmean(ts),
            "stddev": statistics.stdev(ts) if runs > 1 else 0.0,
            "min": min(ts),
            "median": statistics.median(ts),
            "max": max(ts),
            "user": sum(u for u, _ in cs) / runs,
            "system": sum(s for _, s in cs) / runs,
            "runs": runs,
        }
        for ts, cs in zip(times, cpu, strict=True)
    ]


_RECOMPUTE = """
import json, sys, time
from pcrm.services.context import open_context
from pcrm.services import scores
ctx = open_context(sys.argv[1], create=False)
w, c = time.perf_counter(), time.process_time()
n = scores.refresh(ctx)
print(json.dumps({"written": n, "wall": time.perf_counter() - w, "cpu": time.process_time() - c}))
"""


def _recompute_cost(pcrm: str, home: Path, env: dict[str, str]) -> dict[str, float]:
    """One full score recompute (what the day's first command pays), on a copy of the store."""
    with tempfile.TemporaryDirectory(dir=home.parent) as tmp:
        db = Path(tmp) / "pcrm.db"
        subprocess.run([pcrm, "db", "backup", str(db)], env=env, check=True, capture_output=True)
        # the day's first command, as a whole process: pretend it is tomorrow, so the catch-up runs. A store
        # whose last catch-up left no mark (one from before the incremental catch-up) recomputes everything
        # then; the day after is the everyday case: only contacts near a [score-freshness] boundary
        from datetime import datetime, timedelta

        firsts = []
        for days in (1, 2):
            when = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
            t = time.perf_counter()
            subprocess.run(
                [pcrm, "contacts", "list", "--json"],
                env={**env, "PCRM_HOME": tmp, "PCRM_NOW": when},
                check=True,
                capture_output=True,
            )
            firsts.append(time.perf_counter() - t)
        r = subprocess.run(
            [sys.executable, "-c", _RECOMPUTE, str(db)], env=env, capture_output=True, text=True, check=True
        )
        return {
            **json.loads(r.stdout.strip().splitlines()[-1]),
            "first_command_of_day_s": firsts[0],
            "first_command_of_next_day_s": firsts[1],
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME of the store to time against (see bench/generate.py)")
    ap.add_argument("--pcrm", default=str(REPO / ".venv" / "bin" / "pcrm"), help="the pcrm executable")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--only", action="append", default=[], help="only commands whose label contains this")
    ap.add_argument(
        "--no-hyperfine", action="store_true", help="use the subprocess loop even if hyperfine exists"
    )
    ap.add_argument("--no-pycache", action="store_true", help="run with the environment's bytecode settings")
    ap.add_argument("--no-recompute", action="store_true", help="skip measuring the full score recompute")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument(
        "--max-load",
        type=float,
        help="before each command, wait (up to --wait s) until the 1-minute "
        "load average is below this (a shared machine)",
    )
    ap.add_argument("--wait", type=float, default=300)
    ap.add_argument(
        "--compare",
        help="another checkout (e.g. /path/to/main) timed the same ways, its runs interleaved with this "
        "checkout's (subprocess loop): before/after figures under the same load",
    )
    ap.add_argument(
        "--install",
        choices=("both", "editable", "copy"),
        default="both",
        help="time --pcrm (editable), a non-editable copy of this checkout, or both (see the module doc)",
    )
    ap.add_argument(
        "--checkout",
        default=str(REPO),
        help="the checkout whose pcrm package --install copy installs (default: the one holding this "
        "script); "
        "to time another branch's code the same way, with PYTHONPATH=<it> for the editable run",
    )
    args = ap.parse_args(argv)

    home = Path(args.home).expanduser().resolve()
    if not (home / "pcrm.db").exists():
        print(f"error: no store at {home / 'pcrm.db'}; make one with bench/generate.py", file=sys.stderr)
        return 1
    pycache = None if args.no_pycache else str(Path(tempfile.gettempdir()) / "pcrm-bench-pycache")
    env = _env(home, pycache)
    # (name, pcrm, env) for each way pcrm is installed; the first also warms up and measures the recompute
    targets: list[tuple[str, str, dict[str, str]]] = []
    install_dir = tempfile.TemporaryDirectory(prefix="pcrm-bench-install-")
    copy_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    checkouts = [("", Path(args.checkout).resolve())]
    if args.compare:
        checkouts.append((f" @ {Path(args.compare).name}", Path(args.compare).resolve()))
    for n, (suffix, checkout) in enumerate(checkouts):
        if args.install in ("both", "editable"):
            # the editable pcrm runs the checkout PYTHONPATH names; the compared one gets its own
            run_env = env if n == 0 else {**env, "PYTHONPATH": str(checkout)}
            targets.append((f"editable{suffix}", args.pcrm, run_env))
        if args.install in ("both", "copy"):
            where = Path(install_dir.name) / str(n)
            targets.append((f"installed{suffix}", _install_copy(where, checkout), copy_env))
    args.pcrm, env = targets[0][1], targets[0][2]
    use_hyperfine = shutil.which("hyperfine") is not None and not args.no_hyperfine
    timer = "hyperfine -N" if use_hyperfine else "subprocess loop"

    report: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cores": os.cpu_count(),
        "timer": timer,
        "bytecode": "cached (PYTHONPYCACHEPREFIX)" if pycache else "environment as is",
        "store": str(home),
        "runs": args.runs,
        "installs": {name: pcrm for name, pcrm, _ in targets},
        "checkout": args.checkout,
        "compare": args.compare,
    }
    print(
        f"# {report['date']} · {os.cpu_count()} cores · {timer} · {args.runs} runs · bytecode "
        f"{report['bytecode']} · store {home}"
    )
    for name, pcrm, _ in targets:
        print(f"# {name}: {pcrm}")

    # The first command of the day recomputes every score: pay it now, outside the timings.
    t = time.perf_counter()
    first = subprocess.run(
        [args.pcrm, "contacts", "list", "--json"], env=env, capture_output=True, text=True, check=False
    )
    report["first_command_of_day_s"] = round(time.perf_counter() - t, 3)
    if first.returncode != 0:
        print(f"error: `pcrm contacts list --json` failed:\n{first.stderr}", file=sys.stderr)
        return 1
    total = json.loads(first.stdout)["meta"].get("total")
    print(
        f"warm-up: first `pcrm contacts list --json` (runs the score catch-up if none ran today): "
        f"{report['first_command_of_day_s'] * 1000:.0f} ms; {total} contacts listed"
    )
    if not args.no_recompute:
        rc = _recompute_cost(args.pcrm, home, env)
        report["full_recompute"] = rc
        print(
            f"one full score recompute (scores.refresh; it returned {rc['written']}): "
            f"{rc['wall'] * 1000:.0f} ms wall, {rc['cpu'] * 1000:.0f} ms CPU; the first "
            f"`pcrm contacts list --json` of a new day (catch-up included): "
            f"{rc['first_command_of_day_s'] * 1000:.0f} ms, of the day after (incremental): "
            f"{rc['first_command_of_next_day_s'] * 1000:.0f} ms"
        )
    load_before = os.getloadavg()[0]

    rows = []
    print("\n| command | install | target | mean ± σ (ms) | min | median | user+sys (ms) | load | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, cmd_args, target, issue in COMMANDS:
        if args.only and not any(o in label for o in args.only):
            continue
        rows.extend(_time_command(label, cmd_args, target, issue, targets, args))
    report["loadavg_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(
        f"\nload average (1 min) before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores; verdicts use the median"
    )
    report["results"] = rows
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    install_dir.cleanup()
    return 0


def _time_command(
    label: str,
    cmd_args: list[str],
    target: float | None,
    issue: str,
    targets: list[tuple[str, str, dict[str, str]]],
    args: argparse.Namespace,
) -> list[dict[str, object]]:
    """Time one command with each pcrm (interleaved without hyperfine), print a table row for each and
    return their figures."""
    rows: list[dict[str, object]] = []
    ready: list[tuple[str, str, dict[str, str]]] = []
    for install, pcrm, env in targets:
        if not _exists(pcrm, cmd_args, env):
            print(
                f"| `{label}` | {install} | {target or '-'} | skipped: this pcrm has no such command "
                "yet |||||"
            )
            rows.append({"label": label, "install": install, "skipped": "no such command"})
            continue
        probe = subprocess.run([pcrm, *cmd_args], env=env, capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            print(
                f"| `{label}` | {install} | {target or '-'} | skipped: exit {probe.returncode}: "
                f"{probe.stderr.strip().splitlines()[-1:]} |||||"
            )
            rows.append(
                {
                    "label": label,
                    "install": install,
                    "skipped": f"exit {probe.returncode}",
                    "stderr": probe.stderr[-500:],
                }
            )
            continue
        ready.append((install, pcrm, env))
    if not ready:
        return rows
    if args.max_load is not None:
        deadline = time.monotonic() + args.wait
        while os.getloadavg()[0] >= args.max_load and time.monotonic() < deadline:
            time.sleep(5)
    load_at = os.getloadavg()[0]
    if shutil.which("hyperfine") is not None and not args.no_hyperfine:
        results = [_hyperfine([pcrm, *cmd_args], env, args.runs, args.warmup) for _, pcrm, env in ready]
    else:
        results = _loop_interleaved(
            [([pcrm, *cmd_args], env) for _, pcrm, env in ready], args.runs, args.warmup
        )
    for (install, _, _), r in zip(ready, results, strict=True):
        ms = {k: v * 1000 for k, v in r.items() if k != "runs"}
        if target is None:
            verdict = "-"
        else:
            verdict = "ok" if ms["median"] <= target else f"over by {ms['median'] - target:.0f} ms"
        print(
            f"| `{label}` | {install} | {f'≤ {target:.0f} ms {issue}' if target else issue} | "
            f"{ms['mean']:.0f} ± {ms['stddev']:.0f} | {ms['min']:.0f} | {ms['median']:.0f} | "
            f"{ms['user'] + ms['system']:.0f} | {load_at:.1f} | {verdict} |"
        )
        rows.append(
            {
                "label": label,
                "install": install,
                "argv": cmd_args,
                "target_ms": target,
                "issue": issue,
                **{k: round(v, 1) for k, v in ms.items()},
                "runs": r["runs"],
                "verdict": verdict,
                "loadavg_1m": round(load_at, 2),
            }
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
