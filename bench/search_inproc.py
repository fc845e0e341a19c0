"""First-time searches in-process: `contacts.list_contacts` over the 2,000 terms of bench/api_load.py, as a
daemon reader answers them (a query-only connection that remembers, one snapshot and the read budget per
call, the envelope encoded), with the connection's memo forgotten before each term.

    PYTHONPATH=. .venv/bin/python bench/search_inproc.py /tmp/pcrm-real [--profile] [--statements] [--slow 15]

Prints CPU per search (thread time), wall p50/p90/p99, the total per term kind, and the slowest terms;
--profile adds cProfile's top functions, --statements apsw's statement profiler (SQLite time by statement).
--threads N / --processes N print the ceiling with no HTTP instead: searches a second with the terms split
over N threads (one GIL, as the daemon's readers) or N processes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pcrm.serialize import encode_envelope
from pcrm.services import contacts, scores
from pcrm.services.context import budgeted, open_context, open_reader, read_only
from pcrm.store import memo


def terms_of(ctx: Any, n: int) -> list[str]:
    """The terms of bench/api_load.py (_first_time_terms, same seed), read through the service."""
    rng = random.Random(7)
    total = contacts.list_contacts(ctx, {}, page_size=1).meta["total"]
    pages = max(1, total // 100)
    words: list[str] = []
    for page in rng.sample(range(1, pages + 1), k=min(20, pages)):
        for c in contacts.list_contacts(ctx, {}, sort="created", page=page, page_size=100).data:
            words += [w for w in (c.get("full_name") or "").casefold().split() if w.isalpha()]
    short = sorted({w[:k] for w in words for k in (1, 2) if len(w) >= k})
    longer = sorted({w[:k] for w in words for k in range(3, 7) if len(w) >= k} - set(short))
    rng.shuffle(longer)
    terms = short[:n] + longer[: max(0, n - len(short))]
    rng.shuffle(terms)
    return terms


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="tottime", help="--profile's order (cumulative, tottime, ...)")
    ap.add_argument("--top", type=int, default=25, help="--profile's rows")
    ap.add_argument("--statements", action="store_true")
    ap.add_argument("--slow", type=int, default=10, help="show the N slowest terms")
    ap.add_argument("--only", default=None, help="comma-separated terms instead of the bench's")
    ap.add_argument(
        "--threads", type=int, default=0, help="the ceiling instead: the terms shared by N threads (one GIL)"
    )
    ap.add_argument("--processes", type=int, default=0, help="the ceiling instead: N processes")
    args = ap.parse_args()
    db = args.home / "pcrm.db"
    with open_context(db) as w:
        scores.catch_up(w)  # the day's catch-up writes: done once, outside the timing
    ctx = open_reader(db)
    terms = args.only.split(",") if args.only else terms_of(ctx, args.terms)
    if args.threads or args.processes:
        ceiling(db, terms, args.threads, args.processes)
        return
    stmt: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    if args.statements:

        def prof(sql: str, ns: int) -> None:
            s = stmt[" ".join(sql.split())[:160]]
            s[0] += 1
            s[1] += ns / 1e6

        ctx.conn.set_profile(prof)

    def one(term: str) -> bytes:
        return search(ctx, term)

    for t in terms[:20]:  # warm up: code paths and the page cache
        one(t)
    walls: list[tuple[float, float, str, int]] = []
    pr = cProfile.Profile() if args.profile else None
    cpu0 = time.thread_time()
    for t in terms:
        memo.forget(ctx.conn)
        c0, w0 = time.thread_time(), time.perf_counter()
        if pr:
            pr.enable()
        out = one(t)
        if pr:
            pr.disable()
        walls.append(((time.perf_counter() - w0) * 1000, (time.thread_time() - c0) * 1000, t, len(out)))
    cpu = (time.thread_time() - cpu0) * 1000 / len(terms)
    ws = sorted(w for w, *_ in walls)

    def pct(p: float) -> float:
        return ws[min(len(ws) - 1, int(p * len(ws)))]

    print(
        f"{len(terms)} terms: CPU {cpu:.2f} ms a search; wall p50 {pct(0.5):.1f} p90 {pct(0.9):.1f} "
        f"p99 {pct(0.99):.1f} max {ws[-1]:.1f} ms; mean {statistics.mean(ws):.2f}"
    )
    kinds: dict[str, list[float]] = defaultdict(list)
    for _w, c, t, _n in walls:
        kinds["1-2" if len(t) <= 2 else "3+"].append(c)
    for k, v in sorted(kinds.items()):
        print(f"  {k}: {len(v)} terms, CPU mean {statistics.mean(v):.2f} ms, sum {sum(v) / 1000:.2f} s")
    print("slowest:", ", ".join(f"{t} {w:.1f}" for w, _c, t, _n in sorted(walls, reverse=True)[: args.slow]))
    if pr:
        pstats.Stats(pr).sort_stats(args.sort).print_stats(args.top)
    if stmt:
        print("SQLite time by statement (ms total, calls):")
        for sql, (n, ms) in sorted(stmt.items(), key=lambda kv: -kv[1][1])[:15]:
            print(f"  {ms:9.1f} {n:6d}  {sql}")


def search(ctx: Any, term: str) -> bytes:
    """One search as a daemon reader answers it: one snapshot, the read budget, the envelope encoded."""

    def fn(c: Any) -> bytes:
        r = contacts.list_contacts(c, {"search": term})
        return encode_envelope(r.data, r.meta)

    return bytes(read_only(ctx, budgeted(fn)))


def _searches(db: Path, terms: list[str]) -> None:
    """Each term once over a reader of this thread's or process's own, its memo forgotten before each."""
    ctx = open_reader(db)
    for term in terms:
        memo.forget(ctx.conn)
        search(ctx, term)
    ctx.close()


def ceiling(db: Path, terms: list[str], threads: int, processes: int) -> None:
    """Searches a second with no HTTP at all: the terms split over N threads of this process (sharing one
    GIL, as the daemon's readers do) or over N processes (started inside the timing)."""
    import multiprocessing
    import threading

    n = threads or processes
    parts = [terms[i::n] for i in range(n)]
    workers: list[Any] = [
        threading.Thread(target=_searches, args=(db, p))
        if threads
        else multiprocessing.get_context("fork").Process(target=_searches, args=(db, p))
        for p in parts
    ]
    cpu, wall = time.process_time(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - wall
    kind = "threads" if threads else "processes"
    line = f"{len(terms)} first-time searches over {n} {kind}: {len(terms) / wall:.0f} a second"
    if threads:
        line += f", {(time.process_time() - cpu) * 1000 / len(terms):.2f} ms of CPU each"
    print(line)


if __name__ == "__main__":
    main()
