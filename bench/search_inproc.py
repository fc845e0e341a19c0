"""First-time searches in-process: `contacts.list_contacts` over the 2,000 terms of bench/api_load.py, as a
daemon reader answers them (a query-only connection that remembers, one snapshot and the read budget per
call, the envelope encoded), with the pages and contacts the connection remembers forgotten before each term.

    PYTHONPATH=. .venv/bin/python bench/search_inproc.py /tmp/pcrm-real [--profile] [--statements] [--slow 15]
    PYTHONPATH=. .venv/bin/python bench/search_inproc.py /tmp/pcrm-real --words   # terms of two words

Prints CPU per search (thread time), wall p50/p90/p99, the total per term kind, and the slowest terms;
--profile adds cProfile's top functions, --statements apsw's statement profiler (SQLite time by statement).
--threads N / --processes N print the ceiling with no HTTP instead: searches a second with the terms split
over N threads (one GIL, as the daemon's readers) or N processes.
--against CHECKOUT STORE compares with another checkout (its own store: a migration may change it) term by
term instead: two worker processes run this script with --serve, one on this checkout and the store given,
one on CHECKOUT's code and STORE, and each term is answered by both, the order swapped every other term, so
the machine's drift falls on both alike.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pcrm.serialize import encode_envelope
from pcrm.services import contacts, scores
from pcrm.services.context import budgeted, open_context, open_reader, read_only
from pcrm.store import memo


def forget_answers(conn: Any) -> None:
    """Forget the pages and contacts the reader remembers, as the daemon's have by the time a term comes back
    in bench/api_load.py (pushed out by the 1,999 others), keeping the small facts they keep until the store
    changes (the settings, the archived contacts' ids of store.contact_query)."""
    m = memo.current(conn)
    if m is not None:
        m.maps["pages"].clear()
        m.maps["contacts"].clear()


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


def word_terms_of(ctx: Any, n: int) -> list[str]:
    """Terms of two words from the same contacts' names [search-words]: the name reversed ("lovelace ada"),
    the first name and the start of the last one (search-as-you-type: "ada l", "ada lo"), both cut to three
    letters ("ada lov" -> "ada lov", "lov ada"), and the name with a hyphen between its words."""
    rng = random.Random(11)
    total = contacts.list_contacts(ctx, {}, page_size=1).meta["total"]
    pages = max(1, total // 100)
    names: list[tuple[str, str]] = []
    for page in rng.sample(range(1, pages + 1), k=min(20, pages)):
        for c in contacts.list_contacts(ctx, {}, sort="created", page=page, page_size=100).data:
            parts = [w for w in (c.get("full_name") or "").casefold().split() if w.isalpha()]
            if len(parts) >= 2:
                names.append((parts[0], parts[-1]))
    rng.shuffle(names)
    shapes = (
        lambda a, b: f"{b} {a}",
        lambda a, b: f"{a} {b[:1]}",
        lambda a, b: f"{a} {b[:2]}",
        lambda a, b: f"{a[:3]} {b[:3]}",
        lambda a, b: f"{b[:3]} {a[:3]}",
        lambda a, b: f"{a}-{b}",
    )
    return list(dict.fromkeys(shapes[i % len(shapes)](a, b) for i, (a, b) in enumerate(names)))[:n]


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
    ap.add_argument("--words", action="store_true", help="terms of two words instead (word_terms_of)")
    ap.add_argument(
        "--threads", type=int, default=0, help="the ceiling instead: the terms shared by N threads (one GIL)"
    )
    ap.add_argument("--processes", type=int, default=0, help="the ceiling instead: N processes")
    ap.add_argument(
        "--against", nargs=2, type=Path, metavar=("CHECKOUT", "STORE"), help="compare term by term"
    )
    ap.add_argument("--rounds", type=int, default=1, help="--against: times each term is answered")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    db = args.home / "pcrm.db"
    with open_context(db) as w:
        scores.catch_up(w)  # the day's catch-up writes: done once, outside the timing
    ctx = open_reader(db)
    if args.serve:
        serve(ctx)
        return
    if args.only:
        terms = args.only.split(",")
    elif args.words:
        terms = word_terms_of(ctx, args.terms)
    else:
        terms = terms_of(ctx, args.terms)
        if len(terms) < args.terms:
            print(
                f"note: the store's names give {len(terms)} distinct terms, not {args.terms}: few "
                "distinct names (demo pools?), whose tiers are far larger than a real address book's; build "
                "the store with `bench/generate.py --names realistic` for figures that stand for real data",
                file=sys.stderr,
            )
    if args.threads or args.processes:
        ceiling(db, terms, args.threads, args.processes)
        return
    if args.against:
        ctx.close()
        against(args.home, terms, *args.against, rounds=args.rounds)
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
        forget_answers(ctx.conn)
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
        kinds[_kind(t)].append(c)
    for k, v in sorted(kinds.items()):
        print(f"  {k}: {len(v)} terms, CPU mean {statistics.mean(v):.2f} ms, sum {sum(v) / 1000:.2f} s")
    print("slowest:", ", ".join(f"{t} {w:.1f}" for w, _c, t, _n in sorted(walls, reverse=True)[: args.slow]))
    if pr:
        pstats.Stats(pr).sort_stats(args.sort).print_stats(args.top)
    if stmt:
        print("SQLite time by statement (ms total, calls):")
        for sql, (n, ms) in sorted(stmt.items(), key=lambda kv: -kv[1][1])[:15]:
            print(f"  {ms:9.1f} {n:6d}  {sql}")


def _kind(term: str) -> str:
    """A term's kind in the figures: one word of 1-2 or 3+ characters; or words (word_terms_of), by the
    length of the shorter, or joined by a hyphen."""
    words = term.split()
    if len(words) > 1:
        short = min(len(w) for w in words)
        return f"words, {short} and 3+" if short < 3 else "words, 3+ each"
    if "-" in term:
        return "words, hyphenated"
    return "1-2" if len(term) <= 2 else "3+"


def _first_time(ctx: Any, term: str) -> float:
    """The CPU milliseconds of one first-time search (the connection's memo forgotten first)."""
    forget_answers(ctx.conn)
    c0 = time.thread_time()
    search(ctx, term)
    return (time.thread_time() - c0) * 1000


def serve(ctx: Any) -> None:
    """--serve (the worker of --against): a term a line on stdin (JSON), its CPU milliseconds on stdout."""
    for line in sys.stdin:
        print(json.dumps(_first_time(ctx, json.loads(line))), flush=True)


def _worker(checkout: Path, store: Path) -> Any:
    """This script with --serve on `checkout`'s code and `store`, on the first core this process may use
    (both workers on one core: with one each, the core another session loads more told them apart by
    5-6% in a comparison of a checkout with itself)."""
    core = min(os.sched_getaffinity(0))
    return subprocess.Popen(
        ["taskset", "-c", str(core), sys.executable, str(Path(__file__).resolve()), str(store), "--serve"],
        cwd=checkout,
        env=dict(os.environ, PYTHONPATH=str(checkout.resolve()), PYTHONHASHSEED="0"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def against(home: Path, terms: list[str], checkout: Path, store: Path, *, rounds: int) -> None:
    """Each term answered by this checkout on `home` and by CHECKOUT's code on STORE, each in a worker
    process of its own (alike), alternately; the mean CPU a search of each side by term kind."""
    workers = {
        "this": _worker(Path(__file__).resolve().parent.parent, home),
        "other": _worker(checkout, store),
    }

    def answer(side: str, term: str) -> float:
        w = workers[side]
        w.stdin.write(json.dumps(term) + "\n")
        w.stdin.flush()
        return float(json.loads(w.stdout.readline()))

    for t in terms[:20]:  # warm up both
        answer("this", t)
        answer("other", t)
    cpu: dict[str, dict[str, list[float]]] = {"this": defaultdict(list), "other": defaultdict(list)}
    for r in range(rounds):
        for i, t in enumerate(terms):
            for side in ("this", "other") if (i + r) % 2 == 0 else ("other", "this"):
                ms = answer(side, t)
                cpu[side][_kind(t)].append(ms)
                cpu[side]["all"].append(ms)
    for w in workers.values():
        w.stdin.close()
        w.wait()
    print(f"{len(terms)} terms x {rounds}, CPU a search: this checkout against {checkout}")
    for k in sorted(cpu["this"]):
        mine, other = statistics.mean(cpu["this"][k]), statistics.mean(cpu["other"][k])
        n = len(cpu["this"][k]) // rounds
        print(
            f"  {k}: {n} terms, this {mine:.2f} ms, other {other:.2f} ms ({(mine / other - 1) * 100:+.1f}%)"
        )


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
        forget_answers(ctx.conn)
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
