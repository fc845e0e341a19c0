"""Fill a fresh pcrm store with N generated contacts and about M interactions, and time the bulk load.

    .venv/bin/python bench/generate.py /tmp/pcrm-bench --contacts 100000 --interactions 1000000

The data come from pcrm.services.demo.generate (deterministic for seed, sizes and --now; only the
UUIDs are random) and go in through the bulk load path (pcrm.store.bulk) in ONE write transaction,
as pcrm.services.demo.load does, followed by the score computation. Printed:

- generate: building the records in Python (not part of the load rate);
- contacts: contacts with their emails, phones, tags, identities, R*Tree points and their search
  documents (FTS5 trigram), i.e. everything a contact needs to be found;
- interactions: the rows, their FTS5 index, indexes rebuilt;
- scores: the first score computation for every contact (what `scores.refresh` costs);
- commit: writing the transaction out (WAL + checkpoint);
- then `pcrm db check` on the result, unless --no-check.

Rates are rows per second of their own phase; "load" is contacts / (contacts+interactions+scores+commit).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def _parse_now(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME for the new store (must not hold a database yet)")
    ap.add_argument("--contacts", "-n", type=int, default=100_000)
    ap.add_argument(
        "--interactions",
        "-m",
        type=int,
        default=1_000_000,
        help="about this many (the generator rounds per contact)",
    )
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--now", help="generate relative to this instant (ISO 8601); default: the real now")
    ap.add_argument("--duplicates", type=int, default=0, help="extra near-duplicate contacts, as in the demo")
    ap.add_argument(
        "--names",
        choices=("demo", "realistic"),
        default="demo",
        help="demo: the demo's ~80x80 name pools; realistic: census-weighted names (bench/names.py, Faker)",
    )
    ap.add_argument("--no-check", action="store_true", help="skip `pcrm db check` afterwards")
    ap.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = ap.parse_args(argv)

    home = Path(args.home).expanduser()
    db = home / "pcrm.db"
    if db.exists():
        print(f"error: {db} already exists; give an empty folder", file=sys.stderr)
        return 1
    os.environ["PCRM_HOME"] = str(home)
    now = _parse_now(args.now)

    t_start = time.perf_counter()
    fig: dict[str, float] = {}
    cpu: dict[str, float] = {}

    class phase:
        """Wall and CPU (user+sys of this process) time of a block: CPU stays honest on a busy machine."""

        def __init__(self, name: str) -> None:
            self.name = name

        def __enter__(self) -> None:
            self.w, self.c = time.perf_counter(), time.process_time()

        def __exit__(self, *exc: object) -> None:
            fig[self.name] = time.perf_counter() - self.w
            cpu[self.name] = time.process_time() - self.c

    from pcrm import clock
    from pcrm.services import demo, scores
    from pcrm.services.context import open_context
    from pcrm.store import bulk, search
    from pcrm.store.db import write

    clock.set_now(now)
    with phase("generate"):
        data = demo.generate(args.seed, args.contacts, args.interactions, now, duplicates=args.duplicates)
        if args.names == "realistic":
            _rename(data.contacts, args.seed)
    n_gen = sum(len(x) for x in data.interactions)

    ctx = open_context(db)
    conn = ctx.conn
    stamp = ctx.now_iso()
    with phase("load"):
        tx = write(conn)
        tx.__enter__()
        try:
            with phase("contacts"):
                orgs = bulk.insert_organizations(conn, data.organizations, stamp)
                for rec in data.contacts:
                    rec["organization_id"] = orgs.get(rec.get("company") or "")
                ids = bulk.insert_contacts(conn, data.contacts, stamp)
                search.flush_dirty(conn)  # write() would do it at COMMIT; here so it counts for contacts
            with phase("interactions"):
                n = bulk.insert_interactions(
                    conn,
                    ((cid, it) for cid, items in zip(ids, data.interactions, strict=False) for it in items),
                    stamp,
                )
            data = None  # type: ignore[assignment]  # let the records go before scoring
            with phase("scores"):
                scored, _ = scores.refresh(ctx)
        except BaseException:
            tx.__exit__(*sys.exc_info())
            raise
        with phase("commit"):
            tx.__exit__(None, None, None)
    check = {"ok": True}
    if not args.no_check:
        from pcrm.services import admin

        with phase("check"):
            check = admin.check(ctx).data
        if not check["ok"]:
            print("db check FAILED: " + "; ".join(check["problems"]), file=sys.stderr)
    fig["total"] = time.perf_counter() - t_start
    ctx.close()

    nc = len(ids)
    figures: dict[str, object] = {
        "contacts": nc,
        "interactions": n,
        "interactions_generated": n_gen,
        "scored": scored,
        "db_bytes": db.stat().st_size,
        "loadavg_1m": os.getloadavg()[0],
        "ok": check["ok"],
        "wall_s": {k: round(v, 3) for k, v in fig.items()},
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
    }
    for key, count, _label in (
        ("contacts", nc, "contacts"),
        ("interactions", n, "interactions"),
        ("load", nc, "contacts"),
    ):
        figures[f"{key}_per_s"] = round(count / fig[key])
        figures[f"{key}_per_cpu_s"] = round(count / cpu[key]) if cpu[key] else None

    def line(name: str, key: str, note: str) -> None:
        print(f"{name:<13}{fig[key]:8.2f} s wall {cpu[key]:8.2f} s cpu   {note}")

    print(
        f"store        {db} ({db.stat().st_size / 1e6:.0f} MB), now={clock.iso(now)}, seed={args.seed}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    line(
        "generate", "generate", f"{nc} contacts, {n_gen} interactions (Python records; not part of the load)"
    )
    line(
        "contacts",
        "contacts",
        f"{figures['contacts_per_s']:>9,} contacts/s wall, "
        f"{figures['contacts_per_cpu_s']:,}/cpu-s (rows, children, geo, search documents)",
    )
    line(
        "interactions",
        "interactions",
        f"{figures['interactions_per_s']:>9,} interactions/s wall, "
        f"{figures['interactions_per_cpu_s']:,}/cpu-s (rows, FTS5, indexes)",
    )
    rescored, written = scored if isinstance(scored, tuple) else (scored, scored)
    line("scores", "scores", f"{rescored} contacts scored, {written} rows written")
    line("commit", "commit", "WAL write and checkpoint")
    line(
        "load",
        "load",
        f"{figures['load_per_s']:>9,} contacts/s wall overall (one transaction, all of the above)",
    )
    if "check" in fig:
        line("db check", "check", "ok" if check["ok"] else "FAILED")
    print(f"{'wall':<13}{fig['total']:8.2f} s")
    if args.json:
        import json

        print(json.dumps(figures, sort_keys=True))
    return 0 if check["ok"] else 1


def _rename(contacts: list[dict[str, object]], seed: int) -> None:
    """Give the generated contacts names drawn from a realistic distribution (bench/names.py), with the
    emails and handles that follow from them."""
    sys.path.insert(0, str(Path(__file__).parent))
    from names import names

    from pcrm.services.demo import _ascii

    stream = names(seed)
    seen: set[str] = set()
    for i, rec in enumerate(contacts):
        first, last = next(stream)
        rec.update(full_name=f"{first} {last}", given_name=first, family_name=last)
        local = f"{_ascii(first)}.{_ascii(last)}"
        emails = []
        for e in rec.get("emails") or []:  # type: ignore[attr-defined]
            domain = str(e).split("@", 1)[1]
            email = f"{local}@{domain}"
            if email in seen:
                email = f"{local}{i}@{domain}"
            seen.add(email)
            emails.append(email)
        rec["emails"] = emails
        handle = f"{_ascii(first)}{_ascii(last)[:6]}{i}"
        rec["identities"] = [
            (platform, ext, handle if h else None)
            for platform, ext, h in rec.get("identities") or []  # type: ignore[attr-defined]
        ]
        if rec.get("linkedin_url"):
            slug = f"{_ascii(first)}-{_ascii(last)}-{i}"
            rec["linkedin_url"] = f"https://www.linkedin.com/in/{slug}"
            rec["identities"] = [
                (p, slug if p == "linkedin" else ext, h)
                for p, ext, h in rec["identities"]  # type: ignore[attr-defined]
            ]


if __name__ == "__main__":
    sys.exit(main())
