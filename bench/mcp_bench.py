"""Time the MCP tool `search_contacts` inside the server on a big store: target <= 50 ms [bench-targets].

    .venv/bin/python bench/generate.py /tmp/pcrm-bench --contacts 100000 --interactions 1000000 \\
        --now 2026-11-28T12:00:00Z
    .venv/bin/python bench/mcp_bench.py /tmp/pcrm-bench --runs 40 --json bench/out/mcp.json

"Inside the server" is the tool as the SDK runs it for a `tools/call`, without a transport:
MCPServer.call_tool validates the arguments, the tool calls contacts.list_contacts (the service of
`pcrm contacts list` and GET /contacts), renders the Markdown and the structured content, and the SDK
checks that against the output schema. It is timed behind both lanes the server has:

- `stdio`: LocalLane, as `pcrm mcp` runs (a worker thread over one connection);
- `daemon`: the API's Runtime, as `/mcp` on `pcrm serve` runs (a read in its pool of reader threads, each
  over its own query-only connection [read-pool]).

Each lane answers the same queries: `first-time` (distinct 3-6 character pieces of the store's names and
companies, never asked twice, so the store's page memory never helps: what a search typed for the first
time costs), `repeated` (one term asked again and again), `top` (no query: the best scores), `tag`,
`tier` (score=warm), `short` (one 2-character term, asked again) and `short-first` (distinct 1- and
2-character terms, never asked before: the word-prefix index [contact-search]). `service` is
list_contacts alone over a connection that remembers nothing, for the first-time terms: the share the
tool adds; `client` is one whole in-memory round trip through the SDK's client (JSON-RPC both ways) per
query, for context.

The clock is pinned (PCRM_NOW, default the store's --now) so the day's score catch-up does not run inside
a timed call; the first call, which would run it, is made and reported before the timing starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

TARGET_MS = 50.0


def _terms(db: Path, n: int, seed: int) -> list[str]:
    """n distinct 3-6 character pieces of names and companies, in a fixed random order."""
    from pcrm.services.context import open_context

    with open_context(db) as ctx:
        words = {
            w.lower()
            for (name, company) in ctx.conn.execute(
                "SELECT full_name, company FROM contacts ORDER BY id LIMIT 20000"
            )
            for w in f"{name or ''} {company or ''}".split()
            if len(w) >= 4 and w.isalpha()
        }
    rng = random.Random(seed)
    pieces: set[str] = set()
    for w in sorted(words):
        size = rng.randint(3, min(6, len(w)))
        start = rng.randint(0, len(w) - size)
        pieces.add(w[start : start + size])
    out = sorted(pieces)
    rng.shuffle(out)
    return out[:n]


def _shorts(terms: list[str], n: int) -> list[str]:
    """n distinct 1- and 2-character terms (about half each), from the first letters of the terms."""
    ones = list(dict.fromkeys(t[:1] for t in terms))[: n // 2]
    twos = list(dict.fromkeys(t[:2] for t in terms))[: n - len(ones)]
    return [t for pair in zip(ones, twos, strict=False) for t in pair] + twos[len(ones) :]


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 2),
        "max": round(ms[-1], 2),
        "mean": round(statistics.fmean(ms), 2),
    }


async def _time_tool(server: Any, args: list[dict[str, Any]]) -> dict[str, float]:
    """Wall ms per call (p50, p95, max, mean) and the process's CPU ms per call (cpu_p50: every thread,
    so the worker lane counts; steadier than wall time on a shared machine)."""
    wall, cpu = [], []
    for a in args:
        t, c = time.perf_counter(), time.process_time()
        result = await server.call_tool("search_contacts", a)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        if result.is_error:
            raise SystemExit(f"search_contacts {a} failed: {result.content[0].text}")
    return {**_stats(wall), "cpu_p50": round(statistics.median(cpu), 2)}


async def run(home: Path, runs: int, seed: int) -> dict[str, Any]:
    from mcp import Client

    from pcrm.api.runtime import Runtime
    from pcrm.mcp.lane import LocalLane
    from pcrm.mcp.server import build_server
    from pcrm.services import contacts
    from pcrm.services.context import open_context

    db = home / "pcrm.db"
    terms = _terms(db, runs * 3 + 1, seed)
    queries: dict[str, list[dict[str, Any]]] = {
        "repeated": [{"query": terms[0]}] * runs,
        "top": [{}] * runs,
        "tag": [{"tag": "friend"}] * runs,
        "tier": [{"score": "warm"}] * runs,
        "short": [{"query": "an"}] * max(5, runs // 4),
    }
    figures: dict[str, Any] = {}

    local = LocalLane(db)
    rt = Runtime(db_path=db, allowed_hosts=frozenset())
    rt.open()
    try:
        lanes = {"stdio": build_server(local), "daemon": build_server(rt)}
        t = time.perf_counter()
        await lanes["stdio"].call_tool("search_contacts", {"limit": 1})
        figures["first_call_ms"] = round((time.perf_counter() - t) * 1000, 1)
        await lanes["daemon"].call_tool("search_contacts", {"limit": 1})
        # the same first-time terms on each lane: each connection remembers only its own answers
        fresh = [{"query": q} for q in terms[1 : 1 + runs]]
        shorts = [{"query": q} for q in _shorts(terms, max(10, runs // 2))]
        for lane, server in lanes.items():
            figures[lane] = {"first-time": await _time_tool(server, fresh)}
            for kind, args in queries.items():
                await _time_tool(server, args[:1])  # seen once before the clock starts
                figures[lane][kind] = await _time_tool(server, args)
            figures[lane]["short-first"] = await _time_tool(server, shorts)

        ms = []
        with open_context(db) as ctx:  # a connection that remembers nothing
            for a in fresh:
                t = time.perf_counter()
                contacts.list_contacts(ctx, {"search": a["query"]}, sort="score", page_size=20)
                ms.append((time.perf_counter() - t) * 1000)
        figures["service_first_time"] = _stats(ms)

        async with Client(lanes["stdio"]) as client:
            ms = []
            for a in queries["repeated"]:
                t = time.perf_counter()
                await client.call_tool("search_contacts", a)
                ms.append((time.perf_counter() - t) * 1000)
        figures["client_repeated"] = _stats(ms)
    finally:
        local.close()
        rt.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME of a big store (bench/generate.py)")
    ap.add_argument("--runs", type=int, default=40, help="calls per query kind (default 40)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--now", help="pin the clock (default: $PCRM_NOW, else the store's newest timestamp)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)

    home = Path(args.home).expanduser()
    if not (home / "pcrm.db").exists():
        print(f"error: no store at {home}; make one with bench/generate.py", file=sys.stderr)
        return 1
    os.environ["PCRM_HOME"] = str(home)
    if args.now:
        os.environ["PCRM_NOW"] = args.now
    elif "PCRM_NOW" not in os.environ:
        from pcrm.services.context import open_context

        with open_context(home / "pcrm.db") as ctx:
            (stamp,) = ctx.conn.execute("SELECT max(score_computed_at) FROM contacts").fetchone()
        os.environ["PCRM_NOW"] = stamp
    load = os.getloadavg()
    figures = asyncio.run(run(home, args.runs, args.seed))
    figures["load_before_after"] = [round(load[0], 2), round(os.getloadavg()[0], 2)]
    figures["now"] = os.environ["PCRM_NOW"]

    load_note = f"load {figures['load_before_after']}"
    print(f"search_contacts inside the server, ms (target <= {TARGET_MS:g}); {load_note}")
    print(f"first call of the day (catch-up): {figures['first_call_ms']} ms")
    print(f"{'lane':8} {'query':11} {'p50':>8} {'p95':>8} {'max':>8} {'cpu p50':>8}")
    for lane in ("stdio", "daemon"):
        for kind, s in figures[lane].items():
            flag = "" if s["p95"] <= TARGET_MS else "  over"
            cols = f"{s['p50']:8.2f} {s['p95']:8.2f} {s['max']:8.2f} {s['cpu_p50']:8.2f}"
            print(f"{lane:8} {kind:11} {cols}{flag}")
    for name in ("service_first_time", "client_repeated"):
        s = figures[name]
        print(f"{name:20} {s['p50']:8.2f} {s['p95']:8.2f} {s['max']:8.2f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
