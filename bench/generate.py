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
from datetime import datetime, timezone
from pathlib import Path


def _parse_now(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc).replace(microsecond=0)
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", help="PCRM_HOME for the new store (must not hold a database yet)")
    ap.add_argument("--contacts", "-n", type=int, default=100_000)
    ap.add_argument("--interactions", "-m", type=int, default=1_000_000,
                    help="about this many (the generator rounds per contact)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--now", help="generate relative to this instant (ISO 8601); default: the real now")
    ap.add_argument("--duplicates", type=int, default=0, help="extra near-duplicate contacts, as in the demo")
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
    from pcrm import clock
    from pcrm.services import demo, scores
    from pcrm.services.context import open_context
    from pcrm.store import bulk, search
    from pcrm.store.db import write

    clock.set_now(now)
    t = time.perf_counter()
    data = demo.generate(args.seed, args.contacts, args.interactions, now, duplicates=args.duplicates)
    n_gen = sum(len(x) for x in data.interactions)
    fig: dict[str, float] = {"generate_s": time.perf_counter() - t}

    ctx = open_context(db)
    conn = ctx.conn
    stamp = ctx.now_iso()
    t_load = time.perf_counter()
    with write(conn):
        t = time.perf_counter()
        orgs = bulk.insert_organizations(conn, data.organizations, stamp)
        for rec in data.contacts:
            rec["organization_id"] = orgs.get(rec.get("company") or "")
        ids = bulk.insert_contacts(conn, data.contacts, stamp)
        search.flush_dirty(conn)  # write() would do it at COMMIT; here so it counts for contacts
        fig["contacts_s"] = time.perf_counter() - t
        t = time.perf_counter()
        n = bulk.insert_interactions(conn, ((cid, it) for cid, items in zip(ids, data.interactions) for it in items),
                                     stamp)
        fig["interactions_s"] = time.perf_counter() - t
        data = None  # type: ignore[assignment]  # let the records go before scoring
        t = time.perf_counter()
        scored = scores.refresh(ctx)
        fig["scores_s"] = time.perf_counter() - t
        t = time.perf_counter()
    fig["commit_s"] = time.perf_counter() - t
    fig["load_s"] = time.perf_counter() - t_load
    if not args.no_check:
        from pcrm.services import admin

        t = time.perf_counter()
        check = admin.check(ctx).data
        fig["check_s"] = time.perf_counter() - t
        if not check["ok"]:
            print("db check FAILED: " + "; ".join(check["problems"]), file=sys.stderr)
    fig["total_s"] = time.perf_counter() - t_start
    ctx.close()

    nc = len(ids)
    figures = {
        "contacts": nc, "interactions": n, "interactions_generated": n_gen, "scored": scored,
        "contacts_per_s": nc / fig["contacts_s"], "interactions_per_s": n / fig["interactions_s"],
        "load_contacts_per_s": nc / fig["load_s"], "db_bytes": db.stat().st_size,
        **{k: round(v, 3) for k, v in fig.items()},
    }
    print(f"store      {db} ({figures['db_bytes'] / 1e6:.0f} MB), now={clock.iso(now)}, seed={args.seed}")
    print(f"generate   {fig['generate_s']:7.2f} s   {nc} contacts, {n_gen} interactions (Python, not timed as load)")
    print(f"contacts   {fig['contacts_s']:7.2f} s   {figures['contacts_per_s']:>9,.0f} contacts/s "
          "(rows, children, geo, search documents)")
    print(f"interact.  {fig['interactions_s']:7.2f} s   {figures['interactions_per_s']:>9,.0f} interactions/s "
          "(rows, FTS5, indexes)")
    print(f"scores     {fig['scores_s']:7.2f} s   {scored} contacts scored")
    print(f"commit     {fig['commit_s']:7.2f} s")
    print(f"load       {fig['load_s']:7.2f} s   {figures['load_contacts_per_s']:>9,.0f} contacts/s overall "
          "(one transaction, all of the above)")
    if "check_s" in fig:
        print(f"db check   {fig['check_s']:7.2f} s   {'ok' if check['ok'] else 'FAILED'}")
    print(f"wall       {fig['total_s']:7.2f} s")
    if args.json:
        import json

        print(json.dumps(figures, sort_keys=True))
    return 0 if args.no_check or check["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
